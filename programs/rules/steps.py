"""Pieces shared by the ladder decisions: what the check-in rules found, the recorded run,
stepping back.

The ladder judges nothing the check-in rules already judged: red flags, pain above the
acceptable, a limp, pain that built during the run and whether a run's pain settled are read
from the rules' `Judgement` here, never computed a second time.
"""

from dataclasses import replace
from datetime import date

from assessments.rules.check_in import CheckInFacts, Judgement, RuleFinding
from programs.rules.types import (
    PAUSE_ESCALATION,
    PAUSING_SEVERITIES,
    RED_FLAG_CODES,
    Ladder,
    LadderState,
    Reason,
    RunRecord,
)


def finding(judgement: Judgement, code: str) -> RuleFinding | None:
    """The rules' finding of `code` for this check-in, if that rule fired."""
    return next((f for f in judgement.findings if f.code == code), None)


def red_flag_reason(judgement: Judgement) -> Reason | None:
    """A red flag the rules found (emergency first): the ladder pauses with its code."""
    for code in RED_FLAG_CODES:
        found = finding(judgement, code)
        if found is not None:
            return Reason(
                code,
                f"Red flag ({found.rationale}): running is paused until your therapist resumes it.",
            )
    return None


def escalation_pause_reason(judgement: Judgement) -> Reason | None:
    """Another critical or high finding (pain_severe, pain_rising by the MCID): it pauses
    running as its escalation does."""
    pausing = [f for f in judgement.findings if f.severity in PAUSING_SEVERITIES]
    if not pausing:
        return None
    codes = ", ".join(f.code for f in pausing)
    return Reason(
        PAUSE_ESCALATION,
        f"Running paused: {codes} was escalated to your therapist, who resumes it.",
    )


def running_pain(check_in: CheckInFacts) -> int | None:
    """Running pain: the larger of pain during and after the run; None without both."""
    if check_in.pain_during_run is None or check_in.pain_after_run is None:
        return None
    return max(check_in.pain_during_run, check_in.pain_after_run)


def run_record(
    check_in: CheckInFacts, day: date, state: LadderState, *, qualifies: bool
) -> RunRecord:
    return RunRecord(
        recorded_at=check_in.recorded_at,
        day=day,
        level=state.level,
        target_minutes=state.target_minutes,
        qualifies=qualifies,
        check_in_id=check_in.check_in_id,
    )


def stepped_back(state: LadderState, ladder: Ladder) -> LadderState:
    if state.target_minutes is not None:
        return replace(state, level=len(ladder), target_minutes=None, completions=0)
    return replace(state, level=max(1, min(state.level, len(ladder)) - 1), completions=0)


def step_back_reason(before: LadderState, after: LadderState) -> Reason:
    if before.target_minutes is not None:
        return Reason(
            "ladder_step_back",
            f"Back to level {after.level} ({before.target_minutes} continuous minutes was too "
            "much for now).",
        )
    if after.level == before.level:
        return Reason("ladder_step_back", "Stay at level 1, the first level.")
    return Reason("ladder_step_back", f"Back one level, to level {after.level}.")
