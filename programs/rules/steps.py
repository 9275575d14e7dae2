"""Pieces shared by the ladder decisions: red flags, the pending run, stepping back."""

from dataclasses import replace

from programs.rules.types import (
    EMERGENCY_SYMPTOMS,
    KNOWN_SYMPTOMS,
    MECHANICAL_SYMPTOMS,
    PAUSE_RED_FLAG_EMERGENCY,
    PAUSE_RED_FLAG_MECHANICAL,
    PAUSE_UNKNOWN_SYMPTOM,
    CheckInReport,
    Ladder,
    LadderState,
    PendingRun,
    Reason,
)


def red_flag_reason(symptoms: frozenset[str]) -> Reason | None:
    emergency = sorted(symptoms & EMERGENCY_SYMPTOMS)
    if emergency:
        return Reason(
            PAUSE_RED_FLAG_EMERGENCY,
            f"Red-flag symptom ({', '.join(emergency)}): running is paused until your "
            "therapist resumes it.",
        )
    mechanical = sorted(symptoms & MECHANICAL_SYMPTOMS)
    if mechanical:
        return Reason(
            PAUSE_RED_FLAG_MECHANICAL,
            f"Red-flag symptom ({', '.join(mechanical)}): running is paused until your "
            "therapist resumes it.",
        )
    unknown = sorted(symptoms - KNOWN_SYMPTOMS)
    if unknown:
        return Reason(
            PAUSE_UNKNOWN_SYMPTOM,
            f"Unrecognised symptom ({', '.join(unknown)}): running is paused until your "
            "therapist has looked at it.",
        )
    return None


def pending_of(run: CheckInReport, state: LadderState, *, qualifies: bool) -> PendingRun:
    return PendingRun(
        recorded_at=run.recorded_at,
        day=run.day,
        level=state.level,
        target_minutes=state.target_minutes,
        reference_pain=run.reference_pain,
        qualifies=qualifies,
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
