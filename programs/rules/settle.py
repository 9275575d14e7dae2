"""The decision on the morning after a run: did its pain settle, and does the ladder move up.

See `programs.rules.ladder` for the whole model and the choices made.
"""

import math
from dataclasses import replace
from datetime import date, timedelta

from assessments.rules.check_in import Judgement
from clinical.thresholds import ClinicalThresholds
from programs.rules.limits import levels_up_allowed
from programs.rules.steps import finding, step_back_reason, stepped_back
from programs.rules.types import (
    VARIABLE_DURATION,
    Action,
    Ladder,
    LadderDecision,
    LadderHistory,
    LadderState,
    Reason,
    RunRecord,
    Step,
)

CONSIDERED_DAYS_FOR_LONGEST_RUN = 30


def ladder_settle(
    *,
    state: LadderState,
    judgement: Judgement,
    day: date,
    run: RunRecord | None,
    history: LadderHistory,
    ladder: Ladder,
    thresholds: ClinicalThresholds,
) -> LadderDecision | None:
    """What the check-in rules said of a run's settling, applied to the ladder.

    The rules judged a check-in (`judgement`): whether the run before it settled by its
    morning pain (`pain_not_settled`, `settled_run_id`); the window, the reference and the
    order by `recorded_at` are theirs. `run` is the ladder's record of that run (None when the
    ladder did not record it, e.g. it was run before the ladder started). `day` is the
    check-in's local date. None when the rules said nothing of a run.

    - not settled: step back one level, whatever the run and whatever order the check-ins
      arrived in, paused or not;
    - settled, a run the ladder did not record or that already counted: None;
    - settled, but reported as not settled before: hold, it never counts;
    - settled: a qualifying run at the current level counts as a completion, unless this
      check-in reports a limp, pain that built during a run, running pain above the
      acceptable or a red flag (hold), and reaching
      `ladder_completions_to_progress` progresses when the weekly limits allow.
    """
    if not judgement.pain_not_settled and judgement.settled_run_id is None:
        return None
    same_run = (
        run is not None
        and state.pending is not None
        and state.pending.check_in_id == run.check_in_id
    )
    cleared = replace(state, pending=None) if same_run else state

    def decision(
        action: Action,
        new: LadderState,
        *reasons: Reason,
        settled: bool,
        settled_run: RunRecord | None,
        counted: bool = False,
        levels_up: int = 0,
        variable_change: str | None = None,
    ) -> LadderDecision:
        return LadderDecision(
            step=Step.SETTLE,
            action=action,
            day=day,
            before=state,
            state=new,
            reasons=reasons,
            settled=settled,
            counted=counted,
            levels_up=levels_up,
            variable_change=variable_change,
            settled_run=settled_run,
        )

    if judgement.pain_not_settled:
        found = finding(judgement, "pain_not_settled")
        backed = stepped_back(cleared, ladder)
        return decision(
            Action.STEP_BACK,
            backed,
            Reason(
                "pain_not_settled",
                f"Pain had not settled by the morning ({found.rationale if found else ''}).",
            ),
            step_back_reason(state, backed),
            settled=False,
            settled_run=replace(run, settled=False) if run is not None else None,
        )
    if run is None or run.counted:
        return None
    settled_line = f"Pain after the run of {run.day.isoformat()} settled by the morning."
    load_signs = [
        code for code in ("stride_change", "pain_worsened_during_run") if finding(judgement, code)
    ]
    # The same check-in's own run hurt too much or brought a red flag: the run before it does
    # not earn a completion now (progress needs the latest run to be easy), and that run's
    # own decision steps back or pauses from the level it was run at.
    warning_signs = [
        code
        for code in ("pain_above_acceptable", "red_flag_emergency", "red_flag_mechanical")
        if finding(judgement, code)
    ]
    counts = (
        run.qualifies
        and run.settled is not False
        and not run.restarted
        and run.level == state.level
        and run.target_minutes == state.target_minutes
        and not state.paused
        and not load_signs
        and not warning_signs
    )
    if not counts:
        why = "it does not count toward the level"
        if run.settled is False:
            why = "it was reported earlier as not settled, so it does not count"
        elif state.paused:
            why = "running is paused, so it does not count"
        elif run.restarted:
            why = "your therapist has changed the ladder since, so it does not count"
        elif load_signs:
            why = "a limp or pain that built during a run was reported, so it does not count"
        elif warning_signs:
            why = (
                "this check-in reports running pain above the acceptable or a red flag, so it "
                "does not count"
            )
        elif run.qualifies:
            why = "the level has changed since, so it does not count"
        return decision(
            Action.HOLD,
            cleared,
            Reason("ladder_settled", f"{settled_line} Hold: {why}."),
            settled=True,
            settled_run=replace(run, settled=run.settled is not False),
        )
    settled_run = replace(run, settled=True, counted=True)

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
            settled_run=settled_run,
            counted=True,
        )
    if state.target_minutes is None and state.level < len(ladder):
        if not levels_up_allowed(
            day=day, levels=1, level_ups=history.level_ups, thresholds=thresholds
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
                settled_run=settled_run,
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
            settled_run=settled_run,
            counted=True,
            levels_up=1,
        )
    action, new, reason = _beyond_last_level(
        state=state,
        counted=counted,
        settled_line=settled_line,
        day=day,
        history=history,
        ladder=ladder,
        thresholds=thresholds,
    )
    return decision(
        action,
        new,
        reason,
        settled=True,
        settled_run=settled_run,
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
