"""Data days per device period: in SQL on PostgreSQL, in Python elsewhere."""

import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection

from assessments.models import QuestionnaireResponse, QuestionnaireSource
from common.time import local_date
from monitoring import rules
from monitoring.models import MonitoringEpisode
from monitoring.selectors.records import overlapping
from patients.models import CheckIn

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
            overlapping(first, last), clinic_id=clinic_id, patient_id__in=patient_ids
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
