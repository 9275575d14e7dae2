"""The caseload's marker: the patients close to a threshold, in one query."""

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from assessments.models import QuestionnaireSource
from clinic.models import Clinic
from common.time import local_date
from monitoring import rules
from monitoring.selectors.records import month_bounds

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
