"""A program from a template, with its doses."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from console import selectors
from console.fields import flat_errors, form_data, number
from console.views.base import Staff, audit, not_found, staff_page
from console.views.records.base import patient_url
from patients.models import Patient
from programs import selectors as program_selectors
from programs import services as program_services
from programs.serializers import PatientProgramWriteSerializer as ProgramWrite

DOSES = ("sets", "reps", "hold_seconds", "days_per_week")
DOSE_LABELS = {
    "sets": "Sets",
    "reps": "Reps",
    "hold_seconds": "Hold (seconds)",
    "days_per_week": "Days a week",
}


@require_http_methods(["GET", "POST"])
@staff_page
def program_new(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    templates = list(program_selectors.template_list(clinic=staff.clinic).order_by("name"))
    source = request.POST if request.method == "POST" else request.GET
    template = next((t for t in templates if str(t.pk) == source.get("template", "")), None)
    errors: dict[str, str] = {}
    conflict = ""
    if request.method == "POST":
        exercise_ids = request.POST.getlist("exercise")
        items: list[dict[str, Any]] = []
        for index, exercise_id in enumerate(exercise_ids):
            item = form_data(_prefixed(request.POST, index), whole=DOSES, text=("load",))
            item["exercise"] = number(exercise_id, whole=True)
            items.append(item)
        data: dict[str, Any] = {
            "patient": patient.pk,
            "template": template.pk if template else None,
            "patient_note": request.POST.get("patient_note", "").strip(),
        }
        if items:
            data["exercises"] = items
        if request.POST.get("start_date"):
            data["start_date"] = request.POST["start_date"]
        serializer = ProgramWrite(data=data, context={"clinic": staff.clinic})
        if serializer.is_valid():
            validated = dict(serializer.validated_data)
            validated.pop("patient")
            validated["items"] = validated.pop("exercises", None)
            try:
                program = program_services.program_prescribe(
                    patient=patient, by=staff.user, data=validated
                )
            except program_services.ProgramStateError as exc:
                conflict = str(exc)
            else:
                audit(
                    request,
                    staff,
                    action="create",
                    object_type="program",
                    objects=[(patient.pk, str(program.pk))],
                )
                return redirect(patient_url(patient.pk, "program"))
        else:
            errors = flat_errors(serializer.errors)
    rows = _dose_rows(staff, patient, template, request.POST if request.method == "POST" else None)
    for index, row in enumerate(rows):
        row["errors"] = {"exercise": errors.get(f"exercises.{index}.exercise", "")}
        row["cells"] = [
            (name, DOSE_LABELS[name], row[name], errors.get(f"exercises.{index}.{name}", ""))
            for name in DOSES
        ]
    return render(
        request,
        "console/program_form.html",
        {
            "section": "caseload",
            "patient": patient,
            "templates": templates,
            "template": template,
            "rows": rows,
            "errors": errors,
            "conflict": conflict,
            "patient_note": source.get("patient_note", ""),
            "start_date": source.get("start_date", ""),
        },
        status=409 if conflict else 422 if errors else 200,
    )


class _Prefixed(dict[str, str]):
    def getlist(self, key: str) -> list[str]:
        return [self[key]] if key in self else []


def _prefixed(post: Any, index: int) -> Any:
    """Item `index`'s dose fields (`sets-0` ...) as a form of their own."""
    return _Prefixed(
        {
            name: post.get(f"{name}-{index}", "")
            for name in (*DOSES, "load")
            if f"{name}-{index}" in post
        }
    )


def _dose_rows(staff: Staff, patient: Patient, template: Any, post: Any) -> list[dict[str, Any]]:
    """The exercises with their doses: the template's, else the active program's; as posted
    when the form comes back."""
    if template is not None:
        items = list(template.items.select_related("exercise").order_by("order"))
    else:
        program = program_selectors.active_program(patient=patient)
        items = list(program.items.all()) if program else []
    rows = []
    for index, item in enumerate(items):
        row = {
            "index": index,
            "exercise": item.exercise,
            **{name: getattr(item, name) for name in DOSES},
            "load": item.load,
        }
        if post is not None:
            row.update({name: post.get(f"{name}-{index}", "") for name in (*DOSES, "load")})
        rows.append(row)
    return rows
