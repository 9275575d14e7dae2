"""The patient record's forms: a new patient, an intake, a program from a template with its
doses, an outcome measure; the patient's status (pause, resume, discharge) and the run
ladder's therapist actions. Each validates through the API's serializer (the same error
texts), calls the API's service, writes the API's audit event, and redirects to the patient's
page; a refused form comes back with the errors next to the fields (422) and nothing saved."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessments import scoring
from assessments.serializers import AssessmentWriteSerializer, QuestionnaireWriteSerializer
from assessments.services import assessment_create, questionnaire_record
from clinic.models import StaffUser
from clinical import intake, measures, symptoms
from clinical.ladder import PauseReason
from console import selectors
from console.fields import Field, bind, flat_errors, form_data, number
from console.presenters import code_words
from console.views.base import Staff, audit, not_found, staff_page
from console.views.patients import patient_page
from patients import services as patient_services
from patients.models import Patient
from patients.serializers.records import PatientWriteSerializer
from programs import selectors as program_selectors
from programs import services as program_services
from programs.serializers import LadderNoteSerializer, LadderSetLevelSerializer
from programs.serializers import PatientProgramWriteSerializer as ProgramWrite

DOSES = ("sets", "reps", "hold_seconds", "days_per_week")
DOSE_LABELS = {
    "sets": "Sets",
    "reps": "Reps",
    "hold_seconds": "Hold (seconds)",
    "days_per_week": "Days a week",
}


def _patient_url(patient_id: int, anchor: str = "") -> str:
    return reverse("console:patient", args=[patient_id]) + (f"#{anchor}" if anchor else "")


def _words(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, code_words(member.value)) for member in enum]


# --- A new patient -------------------------------------------------------------------------


def _patient_fields(staff: Staff) -> list[Field]:
    therapists = StaffUser.objects.filter(clinic=staff.clinic, is_active=True).order_by(
        "last_name", "first_name"
    )
    return [
        Field("first_name", "First name", required=True),
        Field("last_name", "Last name", required=True),
        Field("date_of_birth", "Date of birth", kind="date", required=True),
        Field("external_id", "Record number", help="The clinic's record number, if any."),
        Field(
            "timezone",
            "Time zone",
            value=staff.clinic.timezone,
            required=True,
            help="Where the patient lives, e.g. Europe/Berlin: reminders follow it.",
        ),
        Field("email", "Email", kind="email"),
        Field("phone", "Phone", kind="tel"),
        Field(
            "therapist",
            "Therapist",
            kind="select",
            value=str(staff.user.pk),
            choices=[(str(t.pk), t.display_name) for t in therapists],
        ),
    ]


@require_http_methods(["GET", "POST"])
@staff_page
def patient_new(request: HttpRequest, staff: Staff) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = form_data(
            request.POST,
            text=("first_name", "last_name", "external_id", "timezone", "email", "phone"),
            whole=("therapist",),
        )
        for name in ("date_of_birth",):
            if request.POST.get(name):
                data[name] = request.POST[name]
        serializer = PatientWriteSerializer(data=data, context={"clinic": staff.clinic})
        if serializer.is_valid():
            try:
                patient = patient_services.patient_create(
                    clinic=staff.clinic,
                    created_by=staff.user,
                    data=dict(serializer.validated_data),
                )
            except patient_services.PatientTherapistError as exc:
                errors = {"therapist": str(exc)}
            else:
                audit(
                    request,
                    staff,
                    action="create",
                    object_type="patient",
                    objects=[(patient.pk, str(patient.pk))],
                )
                return redirect(_patient_url(patient.pk))
        else:
            errors = flat_errors(serializer.errors)
    fields = bind(
        _patient_fields(staff), request.POST if request.method == "POST" else None, errors
    )
    return render(
        request,
        "console/patient_form.html",
        {"section": "caseload", "fields": fields, "errors": errors},
        status=422 if errors else 200,
    )


# --- An intake -----------------------------------------------------------------------------

INTAKE_WHOLE = ("pain_rest", "pain_worst_running", "cadence_spm")
INTAKE_DECIMAL = ("weekly_km_now", "weekly_km_4_weeks_ago", "years_running", "shoe_km")
INTAKE_LISTS = ("symptoms", "aggravators", "recent_changes", "findings")
INTAKE_YES_NO = ("trauma_unable_to_bear_weight", "overstriding", "asymmetry")


def _symptom_words(symptom: symptoms.Symptom) -> str:
    """'Calf pain and swelling (possible deep-vein thrombosis)'; no repeat when they say the
    same."""
    words, meaning = symptom.label, symptoms.SYMPTOM_MEANING[symptom]
    return words if meaning.lower() == words.lower() else f"{words} ({meaning})"


def _intake_fields() -> tuple[list[Field], list[Field]]:
    red_flags = [
        Field(
            "symptoms",
            "Symptoms found",
            kind="checks",
            required=True,
            choices=[(s.value, _symptom_words(s)) for s in symptoms.Symptom],
            none_choice="None of these",
            help="Tick every symptom found, or “None of these”.",
        ),
        Field(
            "trauma_unable_to_bear_weight",
            "Trauma, and unable to bear weight",
            kind="yes_no",
            required=True,
        ),
    ]
    rest = [
        Field(
            "location",
            "Where it hurts",
            kind="select",
            required=True,
            choices=[("", "Choose…"), *_words(intake.Location)],
        ),
        Field(
            "timing",
            "When it hurts",
            kind="select",
            required=True,
            choices=[("", "Choose…"), *_words(intake.Timing)],
        ),
        Field("pain_rest", "Pain at rest (0-10)", kind="number", required=True),
        Field("pain_worst_running", "Worst pain when running (0-10)", kind="number", required=True),
        Field("aggravators", "Aggravated by", kind="checks", choices=_words(intake.Aggravator)),
        Field("weekly_km_now", "Weekly km now", kind="number", help="0-300 km."),
        Field("weekly_km_4_weeks_ago", "Weekly km 4 weeks ago", kind="number", help="0-300 km."),
        Field(
            "recent_changes",
            "Recent changes in training",
            kind="checks",
            choices=_words(intake.RecentChange),
        ),
        Field("years_running", "Years running", kind="number", help="0-80."),
        Field("cadence_spm", "Cadence (steps per minute)", kind="number", help="100-240."),
        Field("overstriding", "Overstriding observed", kind="yes_no", unknown=True),
        Field("shoe_km", "Km on current shoes", kind="number", help="0-5000 km."),
        Field("asymmetry", "Left/right asymmetry in gait", kind="yes_no", unknown=True),
        Field("findings", "Examination findings", kind="checks", choices=_words(intake.Finding)),
        Field(
            "assessed_at",
            "Assessed at",
            kind="datetime",
            help="Leave empty for now. Not in the future.",
        ),
    ]
    return red_flags, rest


@require_http_methods(["GET", "POST"])
@staff_page
def intake_new(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = form_data(
            request.POST,
            whole=INTAKE_WHOLE,
            decimal=INTAKE_DECIMAL,
            yes_no=INTAKE_YES_NO,
            lists=INTAKE_LISTS,
        )
        for name in ("location", "timing", "assessed_at"):
            if request.POST.get(name):
                data[name] = request.POST[name]
        data["patient"] = patient.pk
        serializer = AssessmentWriteSerializer(data=data, context={"clinic": staff.clinic})
        if serializer.is_valid():
            validated = dict(serializer.validated_data)
            assessment = assessment_create(
                patient=validated["patient"], by=staff.user, data=validated
            )
            audit(
                request,
                staff,
                action="create",
                object_type="assessment",
                objects=[(patient.pk, str(assessment.pk))],
            )
            return redirect(reverse("console:patient", args=[patient.pk]) + "?saved=intake#intake")
        errors = flat_errors(serializer.errors)
    post = request.POST if request.method == "POST" else None
    red_flags, rest = _intake_fields()
    return render(
        request,
        "console/intake_form.html",
        {
            "section": "caseload",
            "patient": patient,
            "red_flags": bind(red_flags, post, errors),
            "fields": bind(rest, post, errors),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


# --- A program from a template, with its doses ---------------------------------------------


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
                return redirect(_patient_url(patient.pk, "program"))
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


# --- An outcome measure --------------------------------------------------------------------

SCALE_WORDS = {
    measures.Instrument.NPRS: "0 is no pain, 10 the worst imaginable.",
    measures.Instrument.LEFS: "Each item 0 (extreme difficulty or unable) to 4 (no difficulty).",
    measures.Instrument.KOOS: "Each item 0 (none, no problems) to 4 (extreme), as on the form.",
    measures.Instrument.KOOS_PF: "Each item 0 (none, no problems) to 4 (extreme), as on the form.",
}
INSTRUMENT_NAMES = {
    measures.Instrument.NPRS: "NPRS (pain, 0-10)",
    measures.Instrument.LEFS: "LEFS (Lower Extremity Functional Scale)",
    measures.Instrument.KOOS: "KOOS (Knee injury and Osteoarthritis Outcome Score)",
    measures.Instrument.KOOS_PF: "KOOS-PF (patellofemoral)",
}


@require_http_methods(["GET", "POST"])
@staff_page
def outcome_new(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    source = request.POST if request.method == "POST" else request.GET
    instrument = source.get("instrument", measures.Instrument.NPRS)
    if instrument not in scoring.INSTRUMENTS:
        instrument = measures.Instrument.NPRS
    spec = scoring.INSTRUMENTS[instrument]
    errors: dict[str, str] = {}
    if request.method == "POST":
        answers = form_data(request.POST, whole=spec.items)
        data: dict[str, Any] = {"instrument": instrument, "answers": answers}
        if request.POST.get("recorded_at"):
            data["recorded_at"] = request.POST["recorded_at"]
        serializer = QuestionnaireWriteSerializer(data=data)
        if serializer.is_valid():
            response = questionnaire_record(
                patient=patient, data=dict(serializer.validated_data), by=staff.user
            )
            audit(
                request,
                staff,
                action="create",
                object_type="questionnaire_response",
                objects=[(patient.pk, str(response.pk))],
            )
            return redirect(_patient_url(patient.pk, "outcomes"))
        errors = flat_errors(serializer.errors)
    items = [
        {
            "name": item,
            "label": "Pain now, 0 (none) to 10 (worst imaginable)"
            if item == scoring.NPRS_ITEM
            else f"Item {item}",
            "value": request.POST.get(item, "") if request.method == "POST" else "",
            "error": errors.get(f"answers.{item}", ""),
        }
        for item in spec.items
    ]
    return render(
        request,
        "console/outcome_form.html",
        {
            "section": "caseload",
            "patient": patient,
            "instrument": instrument,
            "instruments": list(INSTRUMENT_NAMES.items()),
            "instrument_name": INSTRUMENT_NAMES[measures.Instrument(instrument)],
            "scale_words": SCALE_WORDS[measures.Instrument(instrument)],
            "answer_range": range(spec.max_answer + 1),
            "items": items,
            "errors": errors,
            "recorded_at": source.get("recorded_at", ""),
        },
        status=422 if errors else 200,
    )


# --- Status: pause, resume, discharge ------------------------------------------------------


def _status_action(
    request: HttpRequest, staff: Staff, patient_id: int, action: str
) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    service = {
        "pause": patient_services.patient_pause,
        "resume": patient_services.patient_resume,
        "discharge": patient_services.patient_discharge,
    }[action]
    audit(
        request,
        staff,
        action=action,
        object_type="patient",
        objects=[(patient.pk, str(patient.pk))],
    )
    try:
        service(patient=patient, by=staff.user)
    except patient_services.PatientStateError as exc:
        return patient_page(request, staff, patient_id, status=409, status_error=str(exc))
    return redirect(_patient_url(patient.pk))


@require_POST
@staff_page
def patient_pause(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    return _status_action(request, staff, patient_id, "pause")


@require_POST
@staff_page
def patient_resume(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    return _status_action(request, staff, patient_id, "resume")


@require_http_methods(["GET", "POST"])
@staff_page
def patient_discharge(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    """GET asks for confirmation; POST with `confirm` discharges."""
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        return _status_action(request, staff, patient_id, "discharge")
    error = "Tick the box to confirm the discharge." if request.method == "POST" else ""
    return render(
        request,
        "console/discharge_confirm.html",
        {"section": "caseload", "patient": patient, "error": error},
        status=422 if error else 200,
    )


# --- The run ladder: resume after review, set level, hold ----------------------------------


@require_POST
@staff_page
def ladder_action(request: HttpRequest, staff: Staff, patient_id: int, action: str) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None or action not in {"level", "resume", "hold"}:
        return not_found(request)
    row = program_selectors.patient_ladder_list(clinic=staff.clinic).filter(patient=patient).first()
    if row is None:
        return patient_page(
            request,
            staff,
            patient_id,
            status=409,
            ladder_error="The patient has no run ladder yet.",
        )
    serializer: Any
    if action == "level":
        serializer = LadderSetLevelSerializer(
            data=form_data(request.POST, whole=("level",), text=("note",)),
            context={"clinic": staff.clinic},
        )
    else:
        serializer = LadderNoteSerializer(data=form_data(request.POST, text=("note",)))
    if not serializer.is_valid():
        errs = flat_errors(serializer.errors)
        if action == "level":
            return patient_page(
                request,
                staff,
                patient_id,
                status=422,
                level_error=errs.get("level", ""),
                level_note_error=errs.get("note", ""),
                ladder_posted={action: request.POST},
            )
        return patient_page(
            request,
            staff,
            patient_id,
            status=422,
            ladder_error=next(iter(errs.values())),
            ladder_posted={action: request.POST},
        )
    data = serializer.validated_data
    audit_action = {"level": "set_level", "resume": "resume", "hold": "pause"}[action]
    audit(
        request,
        staff,
        action=audit_action,
        object_type="run_ladder",
        objects=[(patient.pk, str(row.pk))],
    )
    try:
        if action == "level":
            program_services.ladder_set_level(
                patient=patient, by=staff.user, level=data["level"], note=data["note"]
            )
        elif action == "resume":
            program_services.ladder_resume(
                patient=patient, by=staff.user, note=data.get("note", "")
            )
        else:
            program_services.ladder_pause(
                patient=patient,
                reason=PauseReason.THERAPIST,
                by=staff.user,
                note=data.get("note", ""),
            )
    except program_services.LadderStateError as exc:
        return patient_page(request, staff, patient_id, status=409, ladder_error=str(exc))
    except ValueError as exc:
        return patient_page(
            request,
            staff,
            patient_id,
            status=422,
            level_error=str(exc),
            ladder_posted={action: request.POST},
        )
    return redirect(_patient_url(patient.pk, "ladder"))
