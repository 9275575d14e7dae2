"""What the FHIR export reads, in a fixed number of queries whatever the record's size."""

from dataclasses import dataclass

from django.db.models import Prefetch

from assessments.models import QuestionnaireResponse
from patients.fhir.terms import RED_FLAG_DISPLAY
from patients.models import CheckIn, Escalation, EscalationStatus, Patient
from programs.models import PatientLadder, PatientProgram, RunLadderLevel
from programs.selectors import active_program

# Escalations exported as FHIR Flags: the red flags of check-ins and of the intake triage.
RED_FLAG_CODES = tuple(RED_FLAG_DISPLAY)


@dataclass(frozen=True)
class FhirRecord:
    patient: Patient
    check_ins: list[CheckIn]
    questionnaires: list[QuestionnaireResponse]
    program: PatientProgram | None
    ladder: PatientLadder | None
    red_flags: list[Escalation]


def fhir_record(*, patient: Patient) -> FhirRecord:
    """The patient (with clinic), every check-in, every outcome measure, the active program
    with its exercises, the run ladder with its levels, and the unresolved red-flag
    escalations: 8 queries."""
    check_ins = list(CheckIn.objects.filter(patient=patient).order_by("recorded_at", "id"))
    questionnaires = list(
        QuestionnaireResponse.objects.filter(patient=patient)
        .select_related("recorded_by")
        .order_by("recorded_at", "id")
    )
    levels = Prefetch("ladder__levels", queryset=RunLadderLevel.objects.order_by("number"))
    ladder = (
        PatientLadder.objects.filter(patient=patient)
        .select_related("ladder")
        .prefetch_related(levels)
        .first()
    )
    red_flags = list(
        Escalation.objects.filter(patient=patient, code__in=RED_FLAG_CODES)
        .exclude(status=EscalationStatus.RESOLVED)
        .order_by("opened_at", "id")
    )
    return FhirRecord(
        patient=patient,
        check_ins=check_ins,
        questionnaires=questionnaires,
        program=active_program(patient=patient),
        ladder=ladder,
        red_flags=red_flags,
    )
