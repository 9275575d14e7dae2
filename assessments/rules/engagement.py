"""The daily engagement rules, `disengaged` and `no_improvement`: pure functions
over plain data (no Django), evaluated once per patient-local day by patients.services.engagement.

Definitions where the clinical rules are silent (docs/clinical-rules.md repeats them):

- Days are the patient's local dates. `today` is the date being started; the days looked at
  are the whole days before it.
- **Days without a check-in**: whole local days after the date of the latest check-in (by
  `recorded_at`), up to yesterday. With no check-in ever, counted from the day the patient was
  registered. The day of a check-in is not a day without one.
- **While check-ins are expected**: the patient is active, has a schedule with at least one
  weekday, and at least one scheduled check-in day fell in those days. A patient who checks in
  once a week on Sundays is not "disengaged" on Wednesday; every schedule has a scheduled day
  within 14 days, so the high threshold never waits on the schedule.
- `disengaged` is raised once per threshold per gap: low when the gap reaches
  `disengaged_days`, high when it reaches `disengaged_high_days` (an upgrade when the low one is
  still open). A gap is the stretch since the latest check-in; a therapist who resolves a low
  escalation is not asked again daily, only when the gap reaches the high threshold.
- **Program active**: the patient's active program version, from its `start_date`; a new
  version (a changed prescription) starts the count again: the rule judges the prescription in
  force.
- **Adherence**: over the `no_improvement_program_days` whole days before today, for each
  prescribed exercise, the days it was reported done (in `exercises_completed`), counted up to
  the days it was prescribed in those days; summed over the exercises and divided by the
  prescribed exercise-days. Doing Tuesday's exercise on Wednesday counts.
- **Mean peak pain of the last 7 days**: the check-ins recorded in (now - 7 days, now]; none
  means no mean, and the rule does not fire (`disengaged` covers silence).
- `no_improvement` fires when intake - mean < `no_improvement_points` (compared exactly), and
  at most once in 7 days: each raise is a fresh 7-day window of evidence.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Protocol

from clinical.escalations import RuleCode
from clinical.severity import Severity, severity_rank

DISENGAGED = RuleCode.DISENGAGED
NO_IMPROVEMENT = RuleCode.NO_IMPROVEMENT
LOW = Severity.LOW
HIGH = Severity.HIGH
PAIN_WINDOW_DAYS = 7
NO_IMPROVEMENT_REPEAT_DAYS = 7


class EngagementThresholds(Protocol):
    @property
    def disengaged_days(self) -> int: ...
    @property
    def disengaged_high_days(self) -> int: ...
    @property
    def no_improvement_program_days(self) -> int: ...
    @property
    def no_improvement_min_adherence(self) -> float: ...
    @property
    def no_improvement_points(self) -> int: ...


@dataclass(frozen=True)
class EngagementFinding:
    code: str
    severity: str
    rationale: str
    values: dict[str, Any] = field(default_factory=dict)


def days_between(first: date, last: date) -> Iterable[date]:
    """Every date from `first` to `last`, both included (none when first > last)."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def scheduled_days(*, first: date, last: date, weekdays: int) -> int:
    """How many dates in [first, last] fall on a weekday of the bitmask (Monday = bit 0)."""
    return sum(1 for day in days_between(first, last) if weekdays & (1 << day.weekday()))


def days_without_check_in(*, today: date, last_contact_on: date) -> int:
    return max(0, (today - last_contact_on).days - 1)


def disengaged(
    *,
    today: date,
    last_check_in_on: date | None,
    registered_on: date,
    weekdays: int,
    raised_in_gap: str | None,
    thresholds: EngagementThresholds,
) -> EngagementFinding | None:
    """`disengaged` for an active patient, or None.

    `raised_in_gap` is the highest severity already raised for this gap (since the latest
    check-in), or None.
    """
    since = last_check_in_on or registered_on
    days = days_without_check_in(today=today, last_contact_on=since)
    missed = scheduled_days(
        first=since + timedelta(days=1), last=today - timedelta(days=1), weekdays=weekdays
    )
    if not weekdays or missed == 0:
        return None
    if days >= thresholds.disengaged_high_days:
        severity, threshold = HIGH, thresholds.disengaged_high_days
    elif days >= thresholds.disengaged_days:
        severity, threshold = LOW, thresholds.disengaged_days
    else:
        return None
    if raised_in_gap is not None and severity_rank(raised_in_gap) >= severity_rank(severity):
        return None
    last = f"last check-in {last_check_in_on}" if last_check_in_on else f"none since {since}"
    return EngagementFinding(
        code=DISENGAGED,
        severity=severity,
        rationale=(
            f"no check-in for {days} days ({last}; {missed} scheduled day(s) missed; "
            f"threshold {threshold} days)"
        ),
        values={
            "days_without_check_in": days,
            "last_check_in_on": last_check_in_on.isoformat() if last_check_in_on else None,
            "counted_from": since.isoformat(),
            "scheduled_days_missed": missed,
            "threshold_days": threshold,
        },
    )


def adherence_window(*, today: date, thresholds: EngagementThresholds) -> tuple[date, date]:
    """The whole days adherence is measured over: the program-days threshold before today."""
    return today - timedelta(days=thresholds.no_improvement_program_days), today - timedelta(days=1)


def no_improvement(
    *,
    today: date,
    program_start: date | None,
    adherence_share: Fraction | None,
    peaks_last_7_days: Sequence[int],
    intake_pain_worst_running: int | None,
    raised_recently: bool,
    thresholds: EngagementThresholds,
) -> EngagementFinding | None:
    """`no_improvement` (low), or None. `raised_recently`: one was raised in the last 7 days."""
    if program_start is None or adherence_share is None or intake_pain_worst_running is None:
        return None
    if not peaks_last_7_days or raised_recently:
        return None
    program_days = (today - program_start).days
    if program_days < thresholds.no_improvement_program_days:
        return None
    if adherence_share < Fraction(str(thresholds.no_improvement_min_adherence)):
        return None
    n, total = len(peaks_last_7_days), sum(peaks_last_7_days)
    points = thresholds.no_improvement_points
    # Improved when intake - mean >= points; in integers: intake * n - total >= points * n.
    if intake_pain_worst_running * n - total >= points * n:
        return None
    mean = Fraction(total, n)
    percent = round(float(adherence_share) * 100)
    return EngagementFinding(
        code=NO_IMPROVEMENT,
        severity=LOW,
        rationale=(
            f"program {program_days} days, adherence {percent} %, mean peak pain "
            f"{float(mean):.1f} over {n} check-in(s) vs intake {intake_pain_worst_running} "
            f"(improvement {float(intake_pain_worst_running - mean):.1f}, needs {points})"
        ),
        values={
            "program_days": program_days,
            "adherence": round(float(adherence_share), 3),
            "mean_peak_pain_7d": round(float(mean), 2),
            "check_ins_7d": n,
            "intake_pain_worst_running": intake_pain_worst_running,
            "improvement_needed": points,
        },
    )
