"""The decision on a run check-in: pause, step back, or hold while its settling is unknown.

See `programs.rules.ladder` for the whole model and the choices made.
"""

from dataclasses import replace
from datetime import date

from assessments.rules.check_in import CheckInFacts, Judgement
from clinical.thresholds import ClinicalThresholds
from programs.rules.limits import level_of, run_days_blockers
from programs.rules.steps import (
    finding,
    red_flag_reason,
    run_record,
    running_pain,
    step_back_reason,
    stepped_back,
)
from programs.rules.types import (
    Action,
    Ladder,
    LadderDecision,
    LadderHistory,
    LadderState,
    Reason,
    RunDay,
    Step,
)


def ladder_decide(
    *,
    state: LadderState,
    run: CheckInFacts,
    judgement: Judgement,
    day: date,
    history: LadderHistory,
    ladder: Ladder,
    thresholds: ClinicalThresholds,
    ran_at: LadderState | None = None,
) -> LadderDecision:
    """Judge a run check-in, with what the check-in rules found in it: pause on a red flag,
    step back on pain above the acceptable, or hold while its settling is unknown.

    Never progresses: progress needs the next morning's pain (see `ladder_settle`). The
    returned state's `pending` is this run (`event_id` None), whatever the action. `day` is
    the run's local date.

    `ran_at` is the state the patient's plan came from when they ran: its level (and target)
    is the session they ran, recorded with the run. It differs from `state` when the same
    check-in first settled an earlier run and so moved the level; such a run does not count.
    Defaults to `state`.
    """
    if not run.ran:
        raise ValueError("ladder_decide judges a check-in that reports a run.")
    session = ran_at if ran_at is not None else state
    level = level_of(ladder, session.level)
    run_day = RunDay(day=day, level=session.level, minutes=run.run_minutes)

    def decision(action: Action, new: LadderState, *reasons: Reason) -> LadderDecision:
        return LadderDecision(
            step=Step.RUN,
            action=action,
            day=day,
            before=state,
            state=new,
            reasons=reasons,
            run=run_day,
        )

    not_counting = run_record(run, day, session, qualifies=False)
    red_flag = red_flag_reason(judgement)
    if red_flag is not None:
        paused = replace(
            state, paused=True, pause_reason=red_flag.code, completions=0, pending=not_counting
        )
        return decision(Action.PAUSE, paused, red_flag)
    if state.paused:
        return decision(
            Action.PAUSE,
            replace(state, pending=not_counting),
            Reason("ladder_paused", "Running is paused until your therapist resumes it."),
        )

    worst = running_pain(run)
    if worst is None:
        return decision(
            Action.HOLD,
            replace(state, pending=not_counting),
            Reason(
                "running_pain_unknown",
                "Pain during and after the run were not both reported: hold, it does not count.",
            ),
        )
    if finding(judgement, "pain_above_acceptable") is not None:
        backed = replace(stepped_back(state, ladder), pending=not_counting)
        return decision(
            Action.STEP_BACK,
            backed,
            Reason(
                "pain_above_acceptable",
                f"Running pain {worst} is above {thresholds.pain_acceptable_max} (high risk).",
            ),
            step_back_reason(state, backed),
        )

    # A limp or pain that built during the run holds the level; neither pauses running.
    hold: list[Reason] = []
    if finding(judgement, "stride_change") is not None:
        hold.append(Reason("stride_change", "A limp changed your stride: hold at this level."))
    if finding(judgement, "pain_worsened_during_run") is not None:
        hold.append(
            Reason(
                "pain_worsened_during_run",
                "Pain built up as the run went on: hold at this level.",
            )
        )
    if worst > thresholds.pain_safe_max:
        hold.append(
            Reason(
                "pain_acceptable",
                f"Running pain {worst} is acceptable (up to {thresholds.pain_acceptable_max}) "
                f"but above {thresholds.pain_safe_max}: hold at this level.",
            )
        )
    if (session.level, session.target_minutes) != (state.level, state.target_minutes):
        hold.append(
            Reason(
                "ladder_level_changed",
                "This check-in's morning pain changed the level, so this run of the earlier "
                "session does not count.",
            )
        )
    required = (
        session.target_minutes if session.target_minutes is not None else level.running_minutes
    )
    if run.run_minutes is None:
        hold.append(
            Reason("ladder_minutes_unknown", "Run minutes were not reported: it does not count.")
        )
    elif run.run_minutes < required:
        hold.append(
            Reason(
                "ladder_session_short",
                f"{run.run_minutes} of {required} running minutes: the session is not complete.",
            )
        )
    if day in history.run_days():
        hold.append(Reason("ladder_second_run_same_day", "A second run on one day does not count."))
    else:
        hold.extend(
            replace(blocker, detail=f"This run does not count. {blocker.detail}")
            for blocker in run_days_blockers(
                day=day, level=session.level, runs=history.runs, thresholds=thresholds
            )
        )
    if hold:
        return decision(Action.HOLD, replace(state, pending=not_counting), *hold)
    return decision(
        Action.HOLD,
        replace(state, pending=run_record(run, day, session, qualifies=True)),
        Reason(
            "settling_unknown",
            "Session complete with little pain; it counts once tomorrow morning's pain shows "
            "it settled.",
        ),
    )
