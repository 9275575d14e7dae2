"""Reads for the console's pages, composed over the apps' selectors (never a second copy of
their ordering or scope): the caseload through `patients.selectors.caseload`, the same one
`GET /api/v1/caseload/` reads, and escalations through `patients.selectors.escalation_list`."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from clinic.models import Clinic, StaffUser
from patients import selectors as patient_selectors
from patients.models import SEVERITY_RANK, Escalation, EscalationStatus, Patient, Severity

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
