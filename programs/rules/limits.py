"""The ladder's weekly limits and today's run plan.

Limits (docs/clinical-rules.md, "Run ladder"; defaults in `ClinicalThresholds`):

- at most `ladder_max_levels_per_week` (2) automatic levels up in any 7 days (a therapist's
  level change does not count toward it);
- at most `ladder_max_run_days_per_week` (4) run days a week;
- no runs on consecutive days at levels 1 to `ladder_no_consecutive_max_level` (4).

Choices where the clinical rules are silent, each the safer reading:

- "A week" is any 7 consecutive local days (a rolling window), not a calendar week: a
  calendar week would allow 8 run days in 7 consecutive days across a weekend.
- "Consecutive days at levels 1-4" forbids two neighbouring run days when either of them is
  at a level of 1-4 (the level the earlier day was run at, or the level planned now).
- Days are local dates in the patient's time zone; the caller computes them.

What the planner guarantees (tests/programs/test_rules_property.py checks it for any sequence
of check-ins): it says "run" on day D only when, counting every run already reported, adding D
keeps every 7-day window that holds D at or under the run-day limit and neither D - 1 nor
D + 1 is a run day where the consecutive-days rule applies. A patient who runs only on the
days it allows never breaks a weekly limit. A run on a day it would not allow is recorded,
never counts as a completion, and so can never move the ladder up.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from clinical.thresholds import ClinicalThresholds
from programs.rules.types import (
    Ladder,
    LadderHistory,
    LadderLevel,
    LadderState,
    LevelUp,
    Reason,
    RunDay,
    RunPlan,
)

WINDOW_DAYS = 7


def windows_holding(day: date) -> Iterable[tuple[date, date]]:
    """Every 7-day window [start, start + 6] that contains `day`."""
    for offset in range(WINDOW_DAYS):
        start = day - timedelta(days=offset)
        yield start, start + timedelta(days=WINDOW_DAYS - 1)


def run_days_blockers(
    *, day: date, level: int, runs: Iterable[RunDay], thresholds: ClinicalThresholds
) -> list[Reason]:
    """Why a run on `day` at `level` would break a weekly limit (empty: it would not)."""
    by_day: dict[date, int] = {}
    for run in runs:
        by_day[run.day] = min(run.level, by_day.get(run.day, run.level))
    reasons: list[Reason] = []
    limit = thresholds.ladder_no_consecutive_max_level
    for neighbour in (day - timedelta(days=1), day + timedelta(days=1)):
        if neighbour in by_day and (level <= limit or by_day[neighbour] <= limit):
            reasons.append(
                Reason(
                    "ladder_no_consecutive_days",
                    f"No runs on consecutive days at levels 1-{limit}: "
                    f"there is a run on {neighbour.isoformat()}.",
                )
            )
            break
    if day not in by_day:
        most = thresholds.ladder_max_run_days_per_week
        for start, end in windows_holding(day):
            count = sum(1 for d in by_day if start <= d <= end) + 1
            if count > most:
                reasons.append(
                    Reason(
                        "ladder_run_days_limit",
                        f"At most {most} run days in any 7 days: "
                        f"{start.isoformat()} to {end.isoformat()} would have {count}.",
                    )
                )
                break
    return reasons


def levels_up_allowed(
    *, day: date, levels: int, level_ups: Iterable[LevelUp], thresholds: ClinicalThresholds
) -> bool:
    """Whether `levels` more levels up on `day` keep every 7-day window within the limit.

    Only automatic progressions count: a therapist's level change is a clinical decision
    and does not use up the limit."""
    ups = [up for up in level_ups if up.automatic]
    most = thresholds.ladder_max_levels_per_week
    for start, end in windows_holding(day):
        if sum(up.levels for up in ups if start <= up.day <= end) + levels > most:
            return False
    return True


def level_of(ladder: Ladder, number: int) -> LadderLevel:
    """The ladder's level `number`, clamped to the ladder (the last level past its end)."""
    return ladder[min(max(number, 1), len(ladder)) - 1]


def run_plan(
    *,
    state: LadderState | None,
    history: LadderHistory,
    ladder: Ladder,
    thresholds: ClinicalThresholds,
    today: date,
) -> RunPlan:
    """Whether `today` (the patient's local date) is a run day, and which session.

    - no ladder started: "not_started"; a paused ladder: "paused" (no running);
    - a run already reported today: "done" (today was a run day);
    - a weekly limit in the way: "rest", with the reasons;
    - otherwise "run" with the current level's session (past the last level: the last
      level's pattern at `target_minutes` of continuous running).
    """
    if state is None or not ladder:
        return RunPlan(
            status="not_started",
            reasons=(Reason("ladder_not_started", "Your therapist has not started running yet."),),
        )
    session = level_of(ladder, state.level)
    if state.paused:
        return RunPlan(
            status="paused",
            reasons=(
                Reason("ladder_paused", "Running is paused until your therapist resumes it."),
            ),
        )
    if today in history.run_days():
        return RunPlan(
            status="done",
            session=session,
            target_minutes=state.target_minutes,
            reasons=(Reason("ladder_ran_today", "You have run today: one run a day."),),
        )
    blockers = run_days_blockers(
        day=today, level=state.level, runs=history.runs, thresholds=thresholds
    )
    if blockers:
        return RunPlan(status="rest", reasons=tuple(blockers))
    return RunPlan(status="run", session=session, target_minutes=state.target_minutes)
