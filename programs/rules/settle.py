"""The decision on the morning after a run: did its pain settle, and does the ladder move up.

See `programs.rules.ladder` for the whole model and the choices made.
"""

import math
from dataclasses import replace
from datetime import date, timedelta

from clinic.thresholds import ClinicalThresholds
from programs.rules.limits import levels_up_allowed
from programs.rules.steps import step_back_reason, stepped_back
from programs.rules.types import (
    VARIABLE_DURATION,
    Action,
    CheckInReport,
    Ladder,
    LadderDecision,
    LadderHistory,
    LadderState,
    Reason,
    Step,
)

CONSIDERED_DAYS_FOR_LONGEST_RUN = 30


def ladder_settle(
    *,
    state: LadderState,
    morning: CheckInReport,
    history: LadderHistory,
    ladder: Ladder,
    thresholds: ClinicalThresholds,
) -> LadderDecision | None:
    """Judge the pending run with a later check-in; None when there is nothing to judge yet.

    - no pending run, or the check-in is less than `settle_min_hours` (4) after it: None;
    - more than `settle_max_hours` (36) after it: the settling can no longer be known; the
      run is dropped without counting (hold);
    - no `pain_morning` in the check-in: None (the run stays pending until the window ends);
    - morning pain above the run's reference: `pain_not_settled`, step back one level;
    - otherwise settled: a qualifying run at the current level counts as a completion, and
      reaching `ladder_completions_to_progress` progresses when the weekly limits allow.
    """
    pending = state.pending
    if pending is None:
        return None
    elapsed = morning.recorded_at - pending.recorded_at
    if elapsed < timedelta(hours=thresholds.settle_min_hours):
        return None
    cleared = replace(state, pending=None)

    def decision(
        action: Action,
        new: LadderState,
        *reasons: Reason,
        settled: bool | None,
        counted: bool = False,
        levels_up: int = 0,
        variable_change: str | None = None,
    ) -> LadderDecision:
        return LadderDecision(
            step=Step.SETTLE,
            action=action,
            day=morning.day,
            before=state,
            state=new,
            reasons=reasons,
            settled=settled,
            counted=counted,
            levels_up=levels_up,
            variable_change=variable_change,
        )

    if elapsed > timedelta(hours=thresholds.settle_max_hours):
        return decision(
            Action.HOLD,
            cleared,
            Reason(
                "settling_unknown",
                f"No morning pain within {thresholds.settle_max_hours} hours of the run of "
                f"{pending.day.isoformat()}: it does not count.",
            ),
            settled=None,
        )
    if morning.pain_morning is None:
        return None
    m, r = morning.pain_morning, pending.reference_pain
    if m > r:
        backed = stepped_back(cleared, ladder)
        return decision(
            Action.STEP_BACK,
            backed,
            Reason(
                "pain_not_settled",
                f"Morning pain {m} vs {r} before the run of {pending.day.isoformat()}: "
                "it had not settled.",
            ),
            step_back_reason(state, backed),
            settled=False,
        )

    settled_line = f"Pain after the run of {pending.day.isoformat()} settled by the morning."
    counts = (
        pending.qualifies
        and pending.level == state.level
        and pending.target_minutes == state.target_minutes
        and not state.paused
    )
    if not counts:
        why = "it does not count toward the level"
        if state.paused:
            why = "running is paused, so it does not count"
        elif pending.qualifies:
            why = "the level has changed since, so it does not count"
        return decision(
            Action.HOLD,
            cleared,
            Reason("ladder_settled", f"{settled_line} Hold: {why}."),
            settled=True,
        )

    completions = state.completions + 1
    counted = replace(cleared, completions=completions)
    needed = thresholds.ladder_completions_to_progress
    where = (
        f"{state.target_minutes} continuous minutes"
        if state.target_minutes is not None
        else f"level {state.level}"
    )
    if completions < needed:
        return decision(
            Action.HOLD,
            counted,
            Reason(
                "ladder_completed",
                f"{settled_line} {where} completed {completions} of {needed} times.",
            ),
            settled=True,
            counted=True,
        )
    if state.target_minutes is None and state.level < len(ladder):
        if not levels_up_allowed(
            day=morning.day, levels=1, level_ups=history.level_ups, thresholds=thresholds
        ):
            return decision(
                Action.HOLD,
                counted,
                Reason(
                    "ladder_weekly_level_limit",
                    f"{where} completed {completions} times, but at most "
                    f"{thresholds.ladder_max_levels_per_week} levels up in any 7 days: hold.",
                ),
                settled=True,
                counted=True,
            )
        up = replace(counted, level=state.level + 1, completions=0)
        return decision(
            Action.PROGRESS,
            up,
            Reason(
                "ladder_progress",
                f"{where} completed {completions} times with little pain that settled: "
                f"on to level {up.level}.",
            ),
            settled=True,
            counted=True,
            levels_up=1,
        )
    action, new, reason = _beyond_last_level(
        state=state,
        counted=counted,
        settled_line=settled_line,
        day=morning.day,
        history=history,
        ladder=ladder,
        thresholds=thresholds,
    )
    return decision(
        action,
        new,
        reason,
        settled=True,
        counted=True,
        variable_change=VARIABLE_DURATION if action == Action.PROGRESS else None,
    )


def _beyond_last_level(
    *,
    state: LadderState,
    counted: LadderState,
    settled_line: str,
    day: date,
    history: LadderHistory,
    ladder: Ladder,
    thresholds: ClinicalThresholds,
) -> tuple[Action, LadderState, Reason]:
    """Past the last level: one variable (duration) at a time, at most 10 % over the longest."""
    changed_days = [up.day for up in history.level_ups] + [
        change.day for change in history.variable_changes
    ]
    near = [changed for changed in changed_days if abs((changed - day).days) <= 6]
    if near:
        return (
            Action.HOLD,
            counted,
            Reason(
                "ladder_one_variable_per_week",
                f"{settled_line} One change at a time: the last change was on "
                f"{max(near).isoformat()}, so hold for a week after it.",
            ),
        )
    since = day - timedelta(days=CONSIDERED_DAYS_FOR_LONGEST_RUN - 1)
    longest = max(
        (
            run.minutes
            for run in history.runs
            if run.minutes is not None and since <= run.day <= day
        ),
        default=0,
    )
    current = (
        state.target_minutes if state.target_minutes is not None else ladder[-1].running_minutes
    )
    step = thresholds.ladder_duration_increase_max
    cap = longest + math.floor(longest * step + 1e-9)
    percent = round(step * 100)
    if cap <= current:
        return (
            Action.HOLD,
            counted,
            Reason(
                "ladder_duration_cap",
                f"{settled_line} The longest run of the last 30 days is {longest} minutes; "
                f"{current} minutes is already as long as a {percent} % step allows.",
            ),
        )
    return (
        Action.PROGRESS,
        replace(counted, target_minutes=cap, completions=0),
        Reason(
            "ladder_duration_up",
            f"{settled_line} Next: run {cap} minutes without stopping (from {current}; at most "
            f"{percent} % over the longest run of the last 30 days, {longest} minutes). Change "
            "nothing else this week.",
        ),
    )
