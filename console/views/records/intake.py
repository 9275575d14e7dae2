"""An intake: the runner's history, symptoms and the examination's findings."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assessments.serializers import AssessmentWriteSerializer
from assessments.services import assessment_create
from clinical import intake, symptoms
from console import selectors
from console.fields import Field, bind, flat_errors, form_data
from console.presenters import code_words
from console.views.base import Staff, audit, not_found, staff_page

INTAKE_WHOLE = ("pain_rest", "pain_worst_running", "cadence_spm")
INTAKE_DECIMAL = ("weekly_km_now", "weekly_km_4_weeks_ago", "years_running", "shoe_km")
INTAKE_LISTS = ("symptoms", "aggravators", "recent_changes", "findings")
INTAKE_YES_NO = ("trauma_unable_to_bear_weight", "overstriding", "asymmetry")


def _words(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, code_words(member.value)) for member in enum]


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
