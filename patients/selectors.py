"""Reads for patient views, with the relations each needs loaded up front."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from clinic.models import Clinic
from common.time import local_date
from patients.models import (
    CheckIn,
    Escalation,
    EscalationStatus,
    Message,
    Patient,
    PatientSummary,
    UndeliverableNotification,
)
from programs import selectors as program_selectors
from programs.rules import adherence as adherence_rules


def patient_list(*, clinic: Clinic) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic=clinic)


def patient_of_clinic(*, clinic: Clinic, patient_id: int) -> Patient | None:
    """The clinic's patient with this id, or None: another clinic's patient is not found."""
    return patient_list(clinic=clinic).filter(pk=patient_id).first()


def check_in_list(*, patient_id: int) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(patient_id=patient_id)


def message_list(*, patient_id: int) -> QuerySet[Message]:
    """A patient's messages with their authors (newest first by the model's ordering)."""
    return Message.objects.filter(patient_id=patient_id).select_related("staff")


def escalation_list(*, clinic: Clinic) -> QuerySet[Escalation]:
    """Escalations with their evidence in one extra query, whatever the page size."""
    return Escalation.objects.filter(clinic=clinic).prefetch_related("evidence")


# --- The caseload ---------------------------------------------------------------------------

# Priority, highest first: the highest unresolved escalation severity, then an open
# escalation past its acknowledgement deadline, then rising pain, then the longest since the
# last check-in (since registration for a patient who never checked in), then id. The first
# three fold into one tier, severity rank * 4 + overdue * 2 + rising (0..19), so the order is
# (tier desc, priority_since asc, id asc): a unique key the caseload's cursor pages over.
CASELOAD_ORDER = ("-priority_tier", "priority_since", "id")
CASELOAD_ORDER_REVERSED = ("priority_tier", "-priority_since", "-id")


def undeliverable_unacknowledged_exists(*, since: datetime) -> bool:
    """Whether an escalation event since `since` found no person to tell and its escalation is
    still open (nobody has acknowledged it): the `/health/` notifications check."""
    return UndeliverableNotification.objects.filter(
        created_at__gte=since, escalation__status=EscalationStatus.OPEN
    ).exists()


def caseload(*, clinic: Clinic, now: datetime) -> QuerySet[Patient]:
    """The clinic's patients with their summary and ladder joined (one query per page) and the
    priority keys annotated. "Overdue" is read against `now` from the stored earliest deadline.
    """
    overdue = Case(
        When(summary__earliest_open_deadline__lt=now, then=Value(2)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rising = Case(
        When(summary__pain_rising=True, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        Patient.objects.filter(clinic=clinic)
        .select_related("summary", "run_ladder")
        .annotate(
            priority_tier=Coalesce(F("summary__max_severity_rank"), Value(0)) * Value(4)
            + overdue
            + rising,
            priority_since=Coalesce(
                F("summary__last_check_in_at"), F("created_at"), output_field=DateTimeField()
            ),
        )
        .order_by(*CASELOAD_ORDER)
    )


class _EqualsAny(Func):
    """`lhs = ANY(array)`, PostgreSQL's."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def caseload_first(
    queryset: QuerySet[Patient], *, clinic: Clinic, count: int, reverse: bool = False
) -> QuerySet[Patient]:
    """`queryset` (the caseload, filtered, in the caseload's order or its reverse) narrowed to
    the patients that can be among its first `count`, still in one query, so that a large
    clinic's page sorts a few hundred rows rather than every patient.

    The clinic's patients fall into four parts, and the first `count` of the whole are among
    the first `count` of each part:
    - flagged: an unresolved escalation, an open deadline or rising pain (from a partial
      index; sorted in full, they are few);
    - calm, checked in: tier 0, ordered by the last check-in alone, which an index walks;
    - calm, never checked in: tier 0 since registration (a partial index);
    - no summary row: one is made with every patient, so this part is sought only when the
      clinic has fewer summaries than patients (two index counts).

    PostgreSQL's: its planner takes each part from its own index once the filtered keys are
    pulled up into the part. On SQLite (the embedded default, a small clinic's) the queryset
    is returned as it is.
    """
    if connection.vendor != "postgresql":
        return queryset
    keys = queryset.order_by().values(
        k_tier=F("priority_tier"),
        k_since=F("priority_since"),
        k_created=F("created_at"),
        k_id=F("pk"),
        s_patient=F("summary__patient_id"),
        s_clinic=F("summary__clinic_id"),
        s_rank=F("summary__max_severity_rank"),
        s_rising=F("summary__pain_rising"),
        s_deadline=F("summary__earliest_open_deadline"),
        s_last=F("summary__last_check_in_at"),
    )
    base, params = keys.query.sql_with_params()
    desc, asc = ("ASC", "DESC") if reverse else ("DESC", "ASC")
    # A summary's clinic is its patient's (summary_create); naming it lets the partial
    # indexes serve.
    flagged = "k.s_clinic = %s AND (k.s_rank > 0 OR k.s_rising OR k.s_deadline IS NOT NULL)"
    calm = "k.s_clinic = %s AND k.s_rank = 0 AND NOT k.s_rising AND k.s_deadline IS NULL"
    patients = Patient._meta.db_table
    summaries = PatientSummary._meta.db_table
    clinic_column = Patient._meta.get_field("clinic").column  # the same on both tables
    parts = (
        (flagged, f"k.k_tier {desc}, k.k_since {asc}, k.k_id {asc}", (clinic.pk,)),
        (f"{calm} AND k.s_last IS NOT NULL", f"k.s_last {asc}, k.k_id {asc}", (clinic.pk,)),
        (f"{calm} AND k.s_last IS NULL", f"k.k_created {asc}, k.k_id {asc}", (clinic.pk,)),
        (
            f'k.s_patient IS NULL AND (SELECT COUNT(*) FROM "{patients}" '  # noqa: S608
            f'WHERE "{clinic_column}" = %s) > (SELECT COUNT(*) FROM "{summaries}" '
            f'WHERE "{clinic_column}" = %s)',
            f"k.k_created {asc}, k.k_id {asc}",
            (clinic.pk, clinic.pk),
        ),
    )
    # Table and column names come from the models, the filtered keys are the ORM's own SQL;
    # every value is a parameter.
    # LIMIT written as a number, as Django writes its own: a prepared statement's generic plan
    # then knows how few rows each part gives.
    limit = int(count)
    sql = " UNION ALL ".join(
        f"(SELECT k.k_id FROM ({base}) k WHERE {where} ORDER BY {order} LIMIT {limit})"  # noqa: S608
        for where, order, _ in parts
    )
    sql_params: list[Any] = []
    for _, _, extra in parts:
        sql_params += [*params, *extra]
    # `id = ANY(ARRAY(...))`: the few hundred ids are looked up by primary key, where
    # `id IN (...)` is planned as a semi-join over a scan of every patient.
    return queryset.filter(_EqualsAny(F("pk"), RawSQL(f"ARRAY({sql})", sql_params)))  # noqa: S611


# --- A patient's daily trend ---------------------------------------------------------------

TREND_DEFAULT_DAYS = 28
TREND_MAX_DAYS = 366


@dataclass(frozen=True)
class TrendDay:
    date: date
    peak_pain: int | None
    morning_pain: int | None
    run_minutes: int | None
    adherence: float | None


@dataclass(frozen=True)
class TrendEscalation:
    id: int
    code: str
    severity: str
    status: str
    opened_at: datetime
    date: date


@dataclass(frozen=True)
class Trend:
    patient_id: int
    timezone: str
    first: date
    last: date
    days: list[TrendDay]
    escalations: list[TrendEscalation]


def patient_trend(*, patient: Patient, first: date, last: date, now: datetime) -> Trend:
    """Per local day of `first`..`last`: the highest peak pain, the highest morning pain, the
    minutes run and the 7-day adherence ending that day (programs.rules.adherence); and the
    escalations opened in the range. Today's adherence waits for today's check-in, as on the
    caseload. Three queries, whatever the range."""
    tz = patient.timezone
    today = local_date(now, tz)
    window_first = first - timedelta(days=adherence_rules.WINDOW_DAYS - 1)
    start, end = program_selectors.local_day_bounds(window_first, last, tz)
    rows = list(
        CheckIn.objects.filter(patient_id=patient.pk, recorded_at__gte=start, recorded_at__lt=end)
        .order_by("recorded_at", "id")
        .values_list(
            "recorded_at", "peak_pain", "pain_morning", "run_minutes", "exercises_completed"
        )
    )
    spans = program_selectors.program_spans(
        patient_id=patient.pk, tz_name=tz, first=window_first, last=last
    )
    completed = program_selectors.completed_by_day(((r[0], r[4]) for r in rows), tz)
    peak: dict[date, int] = {}
    morning: dict[date, int] = {}
    minutes: dict[date, int] = {}
    for recorded_at, peak_pain, pain_morning, run_minutes, _done in rows:
        day = local_date(recorded_at, tz)
        peak[day] = max(peak.get(day, peak_pain), peak_pain)
        if pain_morning is not None:
            morning[day] = max(morning.get(day, pain_morning), pain_morning)
        if run_minutes is not None:
            minutes[day] = minutes.get(day, 0) + run_minutes
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        ratio = None
        if day < today or (day == today and day in peak):
            ratio = adherence_rules.adherence(
                spans=spans,
                completed=completed,
                first=day - timedelta(days=adherence_rules.WINDOW_DAYS - 1),
                last=day,
            ).ratio
        days.append(
            TrendDay(
                date=day,
                peak_pain=peak.get(day),
                morning_pain=morning.get(day),
                run_minutes=minutes.get(day),
                adherence=ratio,
            )
        )
    first_start, last_end = program_selectors.local_day_bounds(first, last, tz)
    escalations = [
        TrendEscalation(
            id=e.pk,
            code=e.code,
            severity=e.severity,
            status=e.status,
            opened_at=e.opened_at,
            date=local_date(e.opened_at, tz),
        )
        for e in Escalation.objects.filter(
            patient_id=patient.pk, opened_at__gte=first_start, opened_at__lt=last_end
        ).order_by("opened_at", "id")
    ]
    return Trend(
        patient_id=patient.pk,
        timezone=tz,
        first=first,
        last=last,
        days=days,
        escalations=escalations,
    )
