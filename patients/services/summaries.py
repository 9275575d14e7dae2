"""The per-patient status summary behind the caseload, rebuilt from its sources where they change.

Call sites (each inside the transaction that changed the source):
- `check_ins._check_in_store_and_judge`: `summary_refresh` once, after the check-in, its
  escalations and the ladder decision;
- `escalations.escalation_raise` (intake referrals, daily rules; the check-in flow defers to
  its own refresh), `escalation_acknowledge`, `escalation_resolve`:
  `summary_refresh_escalations`;
- `programs.services.program_prescribe` and `records.patient_update` (time zone):
  `summary_refresh`;
- `records.patient_create`: the empty row; `summaries_refresh_stale` (hourly beat): rows whose
  local date has moved on, since the adherence window moves with it.

Every refresh first locks the summary row, then reads its sources: under READ COMMITTED each
statement sees what committed before it, so of two concurrent refreshes the later one reads
what the earlier one wrote from, and the last write is never stale. Lock order is
patient, escalation, summary everywhere.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.db import transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from clinical.severity import Severity, severity_rank
from common.db import update_row
from common.time import local_date
from patients.models import (
    SPARKLINE_DAYS,
    CheckIn,
    Escalation,
    EscalationStatus,
    Patient,
    PatientStatus,
    PatientSummary,
)
from programs import selectors as program_selectors
from programs.rules import adherence as adherence_rules

# The latest check-in firing one of these makes the patient's pain "rising" on the caseload.
RISING_CODES = frozenset({"pain_rising", "weekly_pain_increase"})


class CheckInRow(Protocol):
    """What the summary reads of a check-in (a CheckIn, or a row read as a tuple)."""

    @property
    def pk(self) -> Any: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def peak_pain(self) -> int: ...
    @property
    def advice_rules(self) -> Any: ...
    @property
    def exercises_completed(self) -> Any: ...


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside a transaction")


def summary_create(*, patient: Patient) -> None:
    """The empty summary of a new patient (no check-ins, no escalations)."""
    PatientSummary.objects.bulk_create(
        [PatientSummary(patient_id=patient.pk, clinic_id=patient.clinic_id)],
        ignore_conflicts=True,
    )


def _lock(patient: Patient, now: datetime) -> None:
    # An UPDATE takes the row lock and tells whether the row exists, in one statement.
    if update_row(PatientSummary, patient.pk, {"updated_at": now}) == 0:
        summary_create(patient=patient)
        update_row(PatientSummary, patient.pk, {"updated_at": now})


def _subquery(sql: str, params: tuple[Any, ...]) -> RawSQL:
    # Table and column names come from the models; every value is a parameter.
    return RawSQL(sql, params)  # noqa: S611


def _escalation_fields(patient_id: int) -> dict[str, RawSQL]:
    """The escalation columns as subqueries of the UPDATE that writes them: the recount is
    part of that statement, read after the row lock is held (each statement of a READ
    COMMITTED transaction sees what committed before it). Plain SQL, so that there is nothing
    to compile: a five-way filtered aggregate built with the ORM took longer to compile than
    to run."""
    table = Escalation._meta.db_table
    unresolved = f'FROM "{table}" e WHERE e."patient_id" = %s AND e."status" <> %s'
    resolved = str(EscalationStatus.RESOLVED)

    def count(severity: Severity) -> RawSQL:
        return _subquery(
            f'(SELECT COUNT(*) {unresolved} AND e."severity" = %s)',
            (patient_id, resolved, str(severity)),
        )

    ranks = " ".join("WHEN %s THEN %s" for _ in Severity)
    rank_params: list[Any] = []
    for severity in Severity:
        rank_params += [str(severity), severity_rank(severity)]
    return {
        "open_critical": count(Severity.CRITICAL),
        "open_high": count(Severity.HIGH),
        "open_moderate": count(Severity.MODERATE),
        "open_low": count(Severity.LOW),
        "max_severity_rank": _subquery(
            f'(SELECT COALESCE(MAX(CASE e."severity" {ranks} ELSE 0 END), 0) {unresolved})',
            (*rank_params, patient_id, resolved),
        ),
        "earliest_open_deadline": _subquery(
            f'(SELECT MIN(e."acknowledge_by") FROM "{table}" e WHERE e."patient_id" = %s '  # noqa: S608
            'AND e."status" = %s)',
            (patient_id, str(EscalationStatus.OPEN)),
        ),
    }


def summary_window_start(*, patient: Patient, now: datetime) -> datetime:
    """The earliest instant whose check-ins the summary reads (the sparkline's first day)."""
    today = local_date(now, patient.timezone)
    first_day = today - timedelta(days=SPARKLINE_DAYS - 1)
    return program_selectors.local_day_bounds(first_day, today, patient.timezone)[0]


def _check_in_fields(
    patient: Patient, today: date, check_ins: Iterable[CheckInRow] | None = None
) -> dict[str, Any]:
    tz = patient.timezone
    first_day = today - timedelta(days=SPARKLINE_DAYS - 1)
    start, _ = program_selectors.local_day_bounds(first_day, today, tz)
    columns = ("recorded_at", "peak_pain", "advice_rules", "exercises_completed")
    if check_ins is None:
        recent = list(
            CheckIn.objects.filter(patient_id=patient.pk, recorded_at__gte=start)
            .order_by("-recorded_at", "-id")
            .values_list(*columns)
        )
    else:
        recent = [
            (c.recorded_at, c.peak_pain, c.advice_rules, c.exercises_completed)
            for c in sorted(check_ins, key=lambda c: (c.recorded_at, c.pk), reverse=True)
            if c.recorded_at >= start
        ]
    latest = recent[0] if recent else None
    if latest is None:
        latest = (
            CheckIn.objects.filter(patient_id=patient.pk)
            .order_by("-recorded_at", "-id")
            .values_list(*columns)
            .first()
        )
    peaks: dict[str, int] = {}
    reported_today = False
    for recorded_at, peak, _rules, _done in recent:
        day = local_date(recorded_at, tz)
        reported_today |= day == today
        if first_day <= day <= today:
            key = day.isoformat()
            peaks[key] = max(peaks.get(key, peak), peak)
    first, last = adherence_rules.caseload_window(today=today, reported_today=reported_today)
    adherence = adherence_rules.adherence(
        spans=program_selectors.program_spans(
            patient_id=patient.pk, tz_name=tz, first=first, last=last
        ),
        completed=program_selectors.completed_by_day(((row[0], row[3]) for row in recent), tz),
        first=first,
        last=last,
    )
    return {
        "last_check_in_at": latest[0] if latest else None,
        "last_peak_pain": latest[1] if latest else None,
        "pain_rising": bool(latest and RISING_CODES.intersection(latest[2] or ())),
        "daily_peaks": dict(sorted(peaks.items())),
        "adherence_first": adherence.first,
        "adherence_last": adherence.last,
        "adherence_done": adherence.done,
        "adherence_due": adherence.due,
        "computed_for": today,
    }


def summary_refresh(
    *,
    patient: Patient,
    now: datetime | None = None,
    escalations: bool = True,
    check_ins: Iterable[CheckInRow] | None = None,
) -> None:
    """Rebuild the patient's summary from the check-ins, programs and (unless the caller
    knows none changed: `escalations=False`) the escalations.

    Runs in the caller's transaction (four statements when the patient checked in in the
    last 14 days, one more otherwise: the row lock, the check-ins, the programs and the
    UPDATE, which recounts the escalations itself). Offline check-ins arriving late are placed by
    `recorded_at`.

    The check-in flow passes `check_ins`, the patient's check-ins from at least
    `summary_window_start` on (its own included), read under the patient's row lock. Then
    the row is not locked first unless escalations are recounted: every other writer of
    what the check-in part reads (check-ins, programs, the time zone) holds the patient's
    row lock too, and a concurrent rebuild of the whole row (the hourly one) either waits
    for this UPDATE or is overwritten by it with what this transaction saw, which is newer.
    Escalations are another matter (acknowledge and resolve do not lock the patient), so
    they are recounted only after the row lock: two queries for a routine check-in, three
    when it raised an escalation (the recount is part of the UPDATE).
    """
    _require_transaction("summary_refresh")
    now = now or timezone.now()
    if check_ins is None or escalations:
        _lock(patient, now)
    today = local_date(now, patient.timezone)
    fields = _check_in_fields(patient, today, check_ins)
    if _summary_update(patient.pk, fields, escalations=escalations) == 0:
        summary_create(patient=patient)
        _summary_update(patient.pk, fields, escalations=escalations)


def _summary_update(patient_id: int, fields: dict[str, Any], *, escalations: bool) -> int:
    """The UPDATE of a summary's check-in columns, recounting its escalations (subqueries,
    through the ORM) or not (plain values: a statement written once per process, as every
    routine check-in runs it)."""
    if escalations:
        summaries = PatientSummary.objects.filter(pk=patient_id)
        return summaries.update(**fields, **_escalation_fields(patient_id))
    return update_row(PatientSummary, patient_id, fields)


def summary_refresh_escalations(*, patient: Patient, now: datetime | None = None) -> None:
    """Recount the patient's unresolved escalations (two statements: the row lock, then the
    UPDATE that recounts; caller's transaction)."""
    _require_transaction("summary_refresh_escalations")
    _lock(patient, now or timezone.now())
    PatientSummary.objects.filter(pk=patient.pk).update(**_escalation_fields(patient.pk))


def summaries_rebuild(
    *, patient_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Rebuild the summaries of these patients (all when None), one transaction each.

    The backfill for existing patients (`manage.py summaries_rebuild`) and the benchmark's."""
    now = now or timezone.now()
    patients = Patient.objects.order_by("pk")
    if patient_ids is not None:
        patients = patients.filter(pk__in=list(patient_ids))
    count = 0
    for patient in patients.iterator(chunk_size=500):
        with transaction.atomic():
            summary_refresh(patient=patient, now=now)
        count += 1
    return count


def summaries_refresh_stale(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Rebuild, up to `limit`, the summaries of active and paused patients computed for an
    earlier local date than today's (or never), so adherence follows the calendar."""
    now = now or timezone.now()
    rows = Patient.objects.filter(
        status__in=[PatientStatus.ACTIVE, PatientStatus.PAUSED]
    ).values_list("pk", "timezone", "summary__computed_for")
    stale = [
        pk
        for pk, tz, computed_for in rows.iterator(chunk_size=2000)
        if computed_for is None or computed_for < local_date(now, tz)
    ][:limit]
    return summaries_rebuild(patient_ids=stale, now=now) if stale else 0
