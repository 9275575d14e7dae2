"""A caseload row, and the time left to acknowledge an escalation."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from clinical.severity import SEVERITY_BY_RANK
from common.time import local_date
from console.presenters.charts import Sparkline, sparkline
from console.presenters.monitoring import nearness_words
from console.presenters.words import ago, duration_words
from patients.models import Escalation, Patient, PatientSummary
from patients.models.summaries import sparkline_days


@dataclass(frozen=True)
class CaseloadRow:
    patient: Patient
    name: str
    record_number: str
    sparkline: Sparkline
    last_peak_pain: int | None
    last_check_in_at: datetime | None
    last_check_in_ago: str
    days_since_last_check_in: int | None
    adherence_percent: int | None
    adherence_done: int
    adherence_due: int
    ladder: str
    ladder_paused: bool
    severity: str | None
    open_escalations: int
    overdue: bool
    pain_rising: bool
    unread_messages: int = 0
    # What the patient is close to in remote monitoring ("needs 3 more data days by 14 Dec").
    monitoring: tuple[str, ...] = ()


def caseload_row(patient: Patient, now: datetime, near: Any = None) -> CaseloadRow:
    """One caseload row from the patient with its summary and ladder joined (no query)."""
    try:
        summary: PatientSummary | None = patient.summary
    except PatientSummary.DoesNotExist:
        summary = None
    try:
        ladder = patient.run_ladder
    except ObjectDoesNotExist:
        ladder = None
    today = local_date(now, patient.timezone)
    peaks: dict[str, Any] = summary.daily_peaks if summary else {}
    daily = [peaks.get(day) for day in sparkline_days(today)]
    last_at = summary.last_check_in_at if summary else None
    due = summary.adherence_due if summary else 0
    done = summary.adherence_done if summary else 0
    deadline = summary.earliest_open_deadline if summary else None
    if ladder is None:
        ladder_text = "not started"
    elif ladder.paused:
        ladder_text = "paused"
    else:
        ladder_text = f"level {ladder.level}"
    return CaseloadRow(
        patient=patient,
        name=f"{patient.first_name} {patient.last_name}",
        record_number=patient.external_id,
        sparkline=sparkline(daily),
        last_peak_pain=summary.last_peak_pain if summary else None,
        last_check_in_at=last_at,
        last_check_in_ago=ago(last_at, now) if last_at else "never",
        days_since_last_check_in=(
            max(0, (today - local_date(last_at, patient.timezone)).days) if last_at else None
        ),
        adherence_percent=round(100 * done / due) if due else None,
        adherence_done=done,
        adherence_due=due,
        ladder=ladder_text,
        ladder_paused=bool(ladder and ladder.paused),
        severity=SEVERITY_BY_RANK.get(summary.max_severity_rank) if summary else None,
        open_escalations=(
            summary.open_critical + summary.open_high + summary.open_moderate + summary.open_low
            if summary
            else 0
        ),
        overdue=deadline is not None and deadline < now,
        pain_rising=bool(summary and summary.pain_rising),
        unread_messages=summary.unread_messages if summary else 0,
        monitoring=nearness_words(near),
    )


@dataclass(frozen=True)
class Deadline:
    words: str
    overdue: bool


def deadline(escalation: Escalation, now: datetime) -> Deadline | None:
    """Time left to acknowledge an open escalation; None once acknowledged or resolved."""
    if escalation.status != "open":
        return None
    left = escalation.acknowledge_by - now
    if left < timedelta(0):
        return Deadline(words=f"overdue by {duration_words(left)}", overdue=True)
    return Deadline(words=f"{duration_words(left)} left to acknowledge", overdue=False)
