"""Reads of the monitoring record: the codes in force, data days per device period (in SQL),
time entries, and a month's record for one patient or a whole clinic in a fixed number of
queries."""

import calendar
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from assessments.models import QuestionnaireResponse, QuestionnaireSource
from clinic.models import Clinic
from common.time import local_date
from monitoring import rules
from monitoring.models import MonitoringEpisode, MonthSignOff, RtmCode, TimeEntry
from patients.models import CheckIn, Patient


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def code_rules(*, on: date) -> list[rules.CodeRule]:
    """The codes table rows in force on a day, as rule values (one query)."""
    rows = RtmCode.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
    )
    return [
        rules.CodeRule(
            code=row.code,
            kind=row.kind,  # type: ignore[arg-type]
            min_days=row.min_days,
            max_days=row.max_days,
            min_minutes=row.min_minutes,
            max_minutes=row.max_minutes,
            unit_minutes=row.unit_minutes,
            requires_interactive=row.requires_interactive,
            with_code=row.with_code,
            excludes=tuple(row.excludes or ()),
        )
        for row in rows
    ]


def open_episode(*, patient: Patient) -> MonitoringEpisode | None:
    return MonitoringEpisode.objects.filter(patient=patient, ended_at__isnull=True).first()


def episode_covering(*, patient: Patient, day: date) -> MonitoringEpisode | None:
    return (
        MonitoringEpisode.objects.filter(patient=patient, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .first()
    )


def signed_off(*, patient_id: int, month: date) -> MonthSignOff | None:
    return MonthSignOff.objects.filter(patient_id=patient_id, month=month.replace(day=1)).first()


def time_entry_list(*, patient_id: int) -> QuerySet[TimeEntry]:
    return TimeEntry.objects.filter(patient_id=patient_id).select_related("staff", "reversed_by")


def _overlapping(first: date, last: date) -> Q:
    return Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


# What a month's record shows of the patient (and the statement's order): nothing more is read.
STATEMENT_PATIENT_FIELDS = ("id", "clinic_id", "first_name", "last_name", "external_id", "timezone")


def statement_patients(*, clinic: Clinic, month: date) -> QuerySet[Patient]:
    """The clinic's patients with a monitoring record in the month: an episode overlapping it
    (so every device period ending in it), or a time entry dated in it."""
    first, last = month_bounds(month)
    episodes = MonitoringEpisode.objects.filter(
        _overlapping(first, last), patient_id=OuterRef("pk")
    )
    entries = TimeEntry.objects.filter(
        patient_id=OuterRef("pk"), performed_on__gte=first, performed_on__lte=last
    )
    return (
        Patient.objects.filter(clinic=clinic)
        .filter(Exists(episodes) | Exists(entries))
        .only(*STATEMENT_PATIENT_FIELDS)
    )


# -- data days ------------------------------------------------------------------------------

# One statement for any number of patients: each check-in and patient-sent questionnaire
# response becomes its local date in the patient's zone (AT TIME ZONE on a timestamptz, so DST
# is PostgreSQL's business), UNION keeps one row per (episode, local date), and the days are
# counted per episode and 30-day period. A check-in counts for `recorded_at` (the day it was
# filled in), so a late offline one lands on its own day. `days` is MATERIALIZED so that each
# row is converted once (inlined, the planner repeats AT TIME ZONE in each pushed-down filter).
DATA_DAYS_SQL = """
WITH ep AS (
    SELECT e.id, e.patient_id, e.started_on, e.ended_on, p.timezone
    FROM monitoring_monitoringepisode e
    JOIN patients_patient p ON p.id = e.patient_id
    WHERE e.clinic_id = %(clinic)s AND e.patient_id = ANY(%(patients)s)
      AND e.started_on <= %(last)s AND (e.ended_on IS NULL OR e.ended_on >= %(first)s)
), days AS MATERIALIZED (
    SELECT ep.id, ep.started_on, ep.ended_on, (c.recorded_at AT TIME ZONE ep.timezone)::date AS day
    FROM patients_checkin c JOIN ep ON ep.patient_id = c.patient_id
    WHERE c.recorded_at >= %(since)s AND c.recorded_at < %(until)s
    UNION
    SELECT ep.id, ep.started_on, ep.ended_on, (q.recorded_at AT TIME ZONE ep.timezone)::date
    FROM assessments_questionnaireresponse q JOIN ep ON ep.patient_id = q.patient_id
    WHERE q.source = %(source)s AND q.recorded_at >= %(since)s AND q.recorded_at < %(until)s
)
SELECT id, (day - started_on) / 30 + 1 AS period, count(*)
FROM days
WHERE day >= started_on AND (ended_on IS NULL OR day <= ended_on)
  AND day >= %(first)s AND day <= %(last)s
GROUP BY id, period
"""


def _utc_window(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants that hold every local day first..last in any zone (offsets within ±14 h)."""
    since = datetime.combine(first, time.min, tzinfo=UTC) - timedelta(days=1)
    until = datetime.combine(last, time.min, tzinfo=UTC) + timedelta(days=2)
    return since, until


def data_days_by_period(
    *, clinic_id: int, patient_ids: Sequence[int], first: date, last: date
) -> dict[tuple[int, int], int]:
    """{(episode id, period number): data days} for the local days first..last."""
    if not patient_ids:
        return {}
    since, until = _utc_window(first, last)
    if connection.vendor != "postgresql":
        return _data_days_python(
            clinic_id=clinic_id, patient_ids=patient_ids, first=first, last=last
        )
    params: dict[str, Any] = {
        "clinic": clinic_id,
        "patients": list(patient_ids),
        "first": first,
        "last": last,
        "since": since,
        "until": until,
        "source": QuestionnaireSource.PATIENT.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(DATA_DAYS_SQL, params)
        return {(int(e), int(p)): int(n) for e, p, n in cursor.fetchall()}


def _data_days_python(
    *, clinic_id: int, patient_ids: Sequence[int], first: date, last: date
) -> dict[tuple[int, int], int]:
    """The same count where there is no PostgreSQL (the embedded SQLite default): SQLite has no
    time zone database, so the local dates are made here with zoneinfo. Three queries."""
    since, until = _utc_window(first, last)
    episodes = list(
        MonitoringEpisode.objects.filter(
            _overlapping(first, last), clinic_id=clinic_id, patient_id__in=patient_ids
        ).values_list("id", "patient_id", "started_on", "ended_on", "patient__timezone")
    )
    moments: list[tuple[int, datetime]] = list(
        CheckIn.objects.filter(
            patient_id__in=patient_ids, recorded_at__gte=since, recorded_at__lt=until
        ).values_list("patient_id", "recorded_at")
    )
    moments += list(
        QuestionnaireResponse.objects.filter(
            patient_id__in=patient_ids,
            source=QuestionnaireSource.PATIENT,
            recorded_at__gte=since,
            recorded_at__lt=until,
        ).values_list("patient_id", "recorded_at")
    )
    zones = {patient_id: zoneinfo.ZoneInfo(tz) for _, patient_id, _, _, tz in episodes}
    days: set[tuple[int, date]] = {
        (patient_id, local_date(at, zones[patient_id]))
        for patient_id, at in moments
        if patient_id in zones
    }
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for episode_id, patient_id, started_on, ended_on, _ in episodes:
        for pid, day in days:
            if pid != patient_id or not first <= day <= last or day < started_on:
                continue
            if ended_on is not None and day > ended_on:
                continue
            counts[(episode_id, rules.period_number(started_on=started_on, day=day))] += 1
    return dict(counts)


# -- a month's record -----------------------------------------------------------------------


@dataclass(frozen=True)
class PatientMonth:
    patient: Patient
    record: rules.MonthRecord
    sign_off: MonthSignOff | None


def _name(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


def month_records(
    *,
    clinic: Clinic,
    patients: Sequence[Patient],
    month: date,
    now: datetime | None = None,
    code_table: Sequence[rules.CodeRule] | None = None,
) -> list[PatientMonth]:
    """The month's record of each patient, in five queries whatever their number (four when
    the caller has read the codes in force already)."""
    now = now or timezone.now()
    first, last = month_bounds(month)
    ids = [p.pk for p in patients]
    if code_table is None:
        code_table = code_rules(on=first)
    episodes: dict[int, list[rules.EpisodeFact]] = defaultdict(list)
    window_first = first - timedelta(days=rules.PERIOD_DAYS - 1)
    row: Any
    for row in (
        MonitoringEpisode.objects.filter(
            _overlapping(window_first, last), clinic=clinic, patient_id__in=ids
        )
        .order_by("started_on", "id")
        .values(
            "id",
            "patient_id",
            "started_on",
            "ended_on",
            "setup_by_id",
            "setup_by__first_name",
            "setup_by__last_name",
            "setup_by__email",
        )
    ):
        episodes[row["patient_id"]].append(
            rules.EpisodeFact(
                episode_id=row["id"],
                started_on=row["started_on"],
                ended_on=row["ended_on"],
                setup_by_id=row["setup_by_id"],
                setup_by_name=_name(
                    row["setup_by__first_name"], row["setup_by__last_name"], row["setup_by__email"]
                ),
            )
        )
    data_days = data_days_by_period(
        clinic_id=clinic.pk, patient_ids=ids, first=window_first, last=last
    )
    entries: dict[int, list[rules.TimeFact]] = defaultdict(list)
    for (
        entry_id,
        patient_id,
        staff_id,
        staff_first,
        staff_last,
        staff_email,
        credential,
        performed_on,
        minutes,
        activity,
        interactive,
        reverses_id,
        reverses_on,
        reason,
    ) in (
        TimeEntry.objects.filter(
            clinic=clinic, patient_id__in=ids, performed_on__gte=first, performed_on__lte=last
        )
        .order_by("performed_on", "id")
        .values_list(
            "id",
            "patient_id",
            "staff_id",
            "staff__first_name",
            "staff__last_name",
            "staff__email",
            "credential",
            "performed_on",
            "minutes",
            "activity",
            "interactive",
            "reverses_id",
            "reverses__performed_on",
            "reason",
        )
    ):
        entries[patient_id].append(
            rules.TimeFact(
                entry_id=entry_id,
                staff_id=staff_id,
                staff_name=_name(staff_first, staff_last, staff_email),
                credential=credential,
                performed_on=performed_on,
                minutes=minutes,
                activity=activity,
                interactive=interactive,
                reverses_id=reverses_id,
                reverses_on=reverses_on,
                reason=reason,
            )
        )
    sign_offs = {
        s.patient_id: s
        for s in MonthSignOff.objects.filter(patient_id__in=ids, month=first).select_related(
            "signed_by"
        )
    }
    todays: dict[str, date] = {}
    for patient in patients:
        if patient.timezone not in todays:
            todays[patient.timezone] = local_date(now, patient.timezone)
    return [
        PatientMonth(
            patient=patient,
            record=rules.month_record(
                month_first=first,
                month_last=last,
                today=todays[patient.timezone],
                episodes=episodes.get(patient.pk, []),
                data_days=data_days,
                entries=entries.get(patient.pk, []),
                rules=code_table,
            ),
            sign_off=sign_offs.get(patient.pk),
        )
        for patient in patients
    ]


# -- the caseload's marker --------------------------------------------------------------------

# One statement for a caseload page: each patient's open episode, the data days of its running
# 30-day period (local dates in the patient's zone), the month's minutes and interactive
# communications (the clinic's month), and the codes in force today as JSON.
CASELOAD_NEARNESS_SQL = """
WITH ep AS (
    SELECT e.patient_id, e.started_on, p.timezone,
           (%(now)s::timestamptz AT TIME ZONE p.timezone)::date AS today
    FROM monitoring_monitoringepisode e
    JOIN patients_patient p ON p.id = e.patient_id
    WHERE e.clinic_id = %(clinic)s AND e.patient_id = ANY(%(patients)s) AND e.ended_at IS NULL
), cur AS (
    SELECT patient_id, started_on, timezone, today,
           started_on + ((today - started_on) / 30) * 30 AS period_first
    FROM ep WHERE today >= started_on
), days AS MATERIALIZED (
    SELECT cur.patient_id, (c.recorded_at AT TIME ZONE cur.timezone)::date AS day
    FROM patients_checkin c JOIN cur ON cur.patient_id = c.patient_id
    WHERE c.recorded_at >= %(since)s
    UNION
    SELECT cur.patient_id, (q.recorded_at AT TIME ZONE cur.timezone)::date
    FROM assessments_questionnaireresponse q JOIN cur ON cur.patient_id = q.patient_id
    WHERE q.source = %(source)s AND q.recorded_at >= %(since)s
)
SELECT cur.patient_id, cur.started_on, cur.today,
    (SELECT count(*) FROM days d WHERE d.patient_id = cur.patient_id
        AND d.day >= cur.period_first AND d.day <= cur.today),
    (SELECT coalesce(sum(t.minutes), 0) FROM monitoring_timeentry t
        WHERE t.patient_id = cur.patient_id
          AND t.performed_on >= %(first)s AND t.performed_on <= %(last)s),
    (SELECT count(*) FROM monitoring_timeentry t
        WHERE t.patient_id = cur.patient_id AND t.interactive AND t.activity <> 'message'
          AND t.reverses_id IS NULL AND t.performed_on >= %(first)s AND t.performed_on <= %(last)s
          AND NOT EXISTS (SELECT 1 FROM monitoring_timeentry r WHERE r.reverses_id = t.id
                          AND r.performed_on >= %(first)s AND r.performed_on <= %(last)s)),
    (SELECT json_agg(json_build_object(
        'code', r.code, 'kind', r.kind, 'min_days', r.min_days, 'max_days', r.max_days,
        'min_minutes', r.min_minutes, 'max_minutes', r.max_minutes,
        'unit_minutes', r.unit_minutes, 'requires_interactive', r.requires_interactive,
        'with_code', r.with_code, 'excludes', r.excludes))
     FROM monitoring_rtmcode r
     WHERE r.effective_from <= %(first)s
       AND (r.effective_to IS NULL OR r.effective_to >= %(first)s))
FROM cur
"""


def caseload_nearness(
    *, clinic: Clinic, patient_ids: Sequence[int], now: datetime | None = None
) -> dict[int, rules.Nearness]:
    """For a caseload page: the patients close to a threshold in their running device period
    or the clinic's month, in one query (none at all for an empty page)."""
    if not patient_ids or connection.vendor != "postgresql":
        return {}
    now = now or timezone.now()
    first, last = month_bounds(local_date(now, clinic.timezone))
    with connection.cursor() as cursor:
        cursor.execute(
            CASELOAD_NEARNESS_SQL,
            {
                "now": now,
                "clinic": clinic.pk,
                "patients": list(patient_ids),
                "since": now - timedelta(days=rules.PERIOD_DAYS + 2),
                "source": QuestionnaireSource.PATIENT,
                "first": first,
                "last": last,
            },
        )
        rows = cursor.fetchall()
    marks: dict[int, rules.Nearness] = {}
    for patient_id, started_on, today, data_days, minutes, interactive, codes in rows:
        table = [_code_rule(row) for row in (_json(codes) or [])]
        near = rules.nearness(
            started_on=started_on,
            today=today,
            data_days=data_days,
            minutes=int(minutes),
            interactive_count=interactive,
            rules=table,
        )
        if near is not None:
            marks[patient_id] = near
    return marks


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _code_rule(row: dict[str, Any]) -> rules.CodeRule:
    return rules.CodeRule(
        code=row["code"],
        kind=row["kind"],
        min_days=row["min_days"],
        max_days=row["max_days"],
        min_minutes=row["min_minutes"],
        max_minutes=row["max_minutes"],
        unit_minutes=row["unit_minutes"],
        requires_interactive=row["requires_interactive"],
        with_code=row["with_code"],
        excludes=tuple(row["excludes"] or ()),
    )
