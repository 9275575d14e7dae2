"""Reads for the console's pages, composed over the apps' selectors (never a second copy of
their ordering or scope): the caseload through `patients.selectors.caseload`, the same one
`GET /api/v1/caseload/` reads, and escalations through `patients.selectors.escalation_list`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from assessments.models import Assessment, QuestionnaireResponse
from assessments.selectors import latest_intake_at_or_before, questionnaire_list
from clinic.models import Clinic, StaffUser
from clinical.severity import SEVERITY_RANK, Severity
from common.time import local_date
from patients import selectors as patient_selectors
from patients.models import (
    CheckIn,
    Escalation,
    EscalationStatus,
    Patient,
)
from programs import selectors as program_selectors
from programs.models import PatientProgram

# The API's `?severity=` reads the summary's count of unresolved escalations of that severity.
OPEN_COUNT_FIELD = {
    Severity.CRITICAL: "summary__open_critical",
    Severity.HIGH: "summary__open_high",
    Severity.MODERATE: "summary__open_moderate",
    Severity.LOW: "summary__open_low",
}
CASELOAD_PAGE_SIZE = 50
INBOX_LIMIT = 200


@dataclass(frozen=True)
class CaseloadPage:
    patients: list[Patient]
    offset: int
    has_next: bool


def caseload_page(
    *,
    staff: StaffUser,
    clinic: Clinic,
    now: datetime,
    query: str = "",
    mine: bool = False,
    status: str = "active",
    severity: str | None = None,
    offset: int = 0,
    size: int = CASELOAD_PAGE_SIZE,
) -> CaseloadPage:
    """One page of the caseload by priority, filtered like the API's, searched by name or
    record number (every word must match one of first name, last name, record number).
    One query: patients with their summary and ladder joined."""
    queryset = patient_selectors.caseload(clinic=clinic, now=now).filter(status=status)
    if mine:
        queryset = queryset.filter(therapist=staff)
    if severity:
        queryset = queryset.filter(**{f"{OPEN_COUNT_FIELD[Severity(severity)]}__gt": 0})
    for word in query.split()[:5]:
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(external_id__icontains=word)
        )
    queryset = patient_selectors.caseload_first(queryset, clinic=clinic, count=offset + size + 1)
    rows = list(queryset[offset : offset + size + 1])
    return CaseloadPage(patients=rows[:size], offset=offset, has_next=len(rows) > size)


def _severity_rank() -> Case:
    return Case(
        *(When(severity=severity, then=Value(rank)) for severity, rank in SEVERITY_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def escalation_inbox(*, clinic: Clinic, patient_id: int | None = None) -> QuerySet[Escalation]:
    """Open and acknowledged escalations, the most severe first, then the nearest deadline;
    with the patient joined and the evidence prefetched (two queries)."""
    queryset = (
        patient_selectors.escalation_list(clinic=clinic)
        .filter(status__in=[EscalationStatus.OPEN, EscalationStatus.ACKNOWLEDGED])
        .select_related("patient", "acknowledged_by")
        .annotate(severity_rank=_severity_rank())
        .order_by("-severity_rank", "acknowledge_by", "id")
    )
    if patient_id is not None:
        queryset = queryset.filter(patient_id=patient_id)
    return queryset


def escalation_of_clinic(*, clinic: Clinic, escalation_id: int) -> Escalation | None:
    """The clinic's escalation with its patient, staff and evidence; None for another
    clinic's or a missing one (both are a 404)."""
    return (
        patient_selectors.escalation_list(clinic=clinic)
        .select_related("patient", "acknowledged_by", "resolved_by")
        .filter(pk=escalation_id)
        .first()
    )


# --- A patient's page --------------------------------------------------------------------

PATIENT_CHART_DAYS = 30
PATIENT_CHART_SPANS = (30, 90)
PATIENT_CHECK_INS = 14
PATIENT_OUTCOMES = 20


@dataclass(frozen=True)
class PatientRecord:
    patient: Patient
    trend: patient_selectors.Trend
    check_ins: list[CheckIn]
    escalations: list[Escalation]
    intake: Assessment | None
    program: PatientProgram | None
    outcomes: list[QuestionnaireResponse]


def patient_of_clinic(*, clinic: Clinic, patient_id: int) -> Patient | None:
    """The clinic's patient, None for another clinic's or a missing one (both are a 404)."""
    return patient_selectors.patient_list(clinic=clinic).filter(pk=patient_id).first()


def patient_record(
    *, clinic: Clinic, patient_id: int, now: datetime, days: int = PATIENT_CHART_DAYS
) -> PatientRecord | None:
    """Everything the patient page shows, or None for another clinic's or a missing patient:
    the 30-day trend (the API's selector), the latest check-ins, every escalation with its
    evidence, the latest intake, the active program with its exercises; a fixed number of
    queries whatever the history's length."""
    patient = (
        patient_selectors.patient_list(clinic=clinic)
        .select_related("therapist", "summary", "run_ladder__ladder")
        .filter(pk=patient_id)
        .first()
    )
    if patient is None:
        return None
    today = local_date(now, patient.timezone)
    trend = patient_selectors.patient_trend(
        patient=patient,
        first=today - timedelta(days=days - 1),
        last=today,
        now=now,
    )
    return PatientRecord(
        patient=patient,
        trend=trend,
        check_ins=list(
            patient_selectors.check_in_list(patient_id=patient.pk).order_by("-recorded_at", "-id")[
                :PATIENT_CHECK_INS
            ]
        ),
        escalations=list(
            patient_selectors.escalation_list(clinic=clinic)
            .filter(patient_id=patient.pk)
            .select_related("acknowledged_by", "resolved_by")
            .order_by("-opened_at", "-id")
        ),
        intake=latest_intake_at_or_before(patient_id=patient.pk, moment=now),
        program=program_selectors.active_program(patient=patient),
        outcomes=list(
            questionnaire_list(patient=patient).order_by("-recorded_at", "-id")[:PATIENT_OUTCOMES]
        ),
    )
