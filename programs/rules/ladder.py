"""The return-to-run ladder's progression decision (CLINICAL.md), as pure functions.

A run is judged twice:

1. When its check-in arrives (`ladder_decide`): a red-flag symptom pauses the ladder; running
   pain above `pain_acceptable_max` (5), a limp or pain that built during the run step back
   one level; anything else holds, because whether the pain settles is not known yet. The run
   becomes the *pending* run of the state.
2. When a later check-in carries `pain_morning` 4-36 hours after the run (`ladder_settle`,
   the window of CLINICAL.md `pain_not_settled`): morning pain above the run's reference (its
   `pain_morning`, else its `pain_rest`) is `pain_not_settled` and steps back one level; pain
   that settled turns a qualifying run into a completion, and the completion that makes
   `ladder_completions_to_progress` (2) moves the patient up one level, within the weekly
   limits. With no morning pain within 36 hours the settling stays unknown and the run never
   counts. `ladder_on_check_in` applies both to one check-in, settling first.

A run *completes* its level (the choice made here, the strict reading) when it was run at the
current level, on a day the weekly limits allow, as the first run of that local day; its
`run_minutes` reached the level's running minutes (past the last level: `target_minutes`); its
`pain_during_run` and `pain_after_run` were both known and at most `pain_safe_max` (2); it
reported no symptom and no pain that built during the run; and its pain settled by the next
morning. So "completed twice" already holds "the last run had pain <= 2, settled, no symptom",
and a run at pain 3-5 is a hold that does not count.

Choices where CLINICAL.md is silent, each the safer one:

- `limping` (the `stride_change` rule) and `pain_worsened_during_run` step back one level:
  their advice is to ease off, and the same level would not be easing off.
- A red flag pauses the ladder on any check-in, with or without a run. An unknown symptom code
  pauses it too (code `unknown_symptom`): a symptom nobody has classified is not ignored.
- A run with running pain missing, or minutes missing, holds and does not count.
- A check-in whose run steps back and whose next morning does not settle steps back twice: the
  two rules fired on two check-ins.
- One check-in may carry this morning's pain (settling the last run) and a run. The run is
  recorded at the level the plan had before the check-in, the session the patient ran; when
  the settling moved the level, that run does not count (`ladder_level_changed`).
- While paused, runs and settling are recorded, a morning that does not settle still steps
  back (the patient resumes lower), and nothing counts as a completion. Resuming restarts the
  count at the current level.
- Step back past the last level returns to the last level's session. Step back at level 1
  stays at level 1.
- Past the last level Stride changes one variable, duration: each change sets the target to
  the longest run of the last 30 days (local days D-29..D) plus at most 10 %
  (`ladder_duration_increase_max`), rounded down, and only when no level went up and no
  variable changed within 6 days either side. Frequency, pace and terrain are not seen in a
  check-in; they are the therapist's to change, and the run-day limit still holds past the
  last level.
- Therapist level changes up count toward the 2-levels-in-7-days limit of later automatic
  progressions.
- Check-ins are applied in arrival order. One run is pending at a time: a new run replaces an
  unsettled one, which never counts; a run reported after its next morning's check-in (sent
  late from offline) is never judged by that morning and never counts.
"""

from dataclasses import replace

from clinic.thresholds import ClinicalThresholds
from programs.rules.run import ladder_decide
from programs.rules.settle import ladder_settle
from programs.rules.steps import red_flag_reason
from programs.rules.types import (
    Action,
    CheckInReport,
    Ladder,
    LadderDecision,
    LadderHistory,
    LadderState,
    Step,
)


def ladder_on_check_in(
    *,
    state: LadderState,
    check_in: CheckInReport,
    history: LadderHistory,
    ladder: Ladder,
    thresholds: ClinicalThresholds,
) -> list[LadderDecision]:
    """Everything one check-in does to the ladder, in order: settle the pending run, then
    judge the check-in's own run (or pause on a red flag reported without a run). The run is
    recorded at the level the patient's plan had before this check-in.

    Returns zero, one or two decisions; the last one's `state` is the new state.
    """
    decisions: list[LadderDecision] = []
    ran_at = state
    settle = ladder_settle(
        state=state, morning=check_in, history=history, ladder=ladder, thresholds=thresholds
    )
    if settle is not None:
        decisions.append(settle)
        state = settle.state
        history = history.with_decision(settle)
    if check_in.ran:
        decisions.append(
            ladder_decide(
                state=state,
                run=check_in,
                history=history,
                ladder=ladder,
                thresholds=thresholds,
                ran_at=ran_at,
            )
        )
        return decisions
    red_flag = red_flag_reason(check_in.symptoms)
    if red_flag is not None and not state.paused:
        decisions.append(
            LadderDecision(
                step=Step.SYMPTOMS,
                action=Action.PAUSE,
                day=check_in.day,
                before=state,
                state=replace(state, paused=True, pause_reason=red_flag.code, completions=0),
                reasons=(red_flag,),
            )
        )
    return decisions


# --- Therapist changes ------------------------------------------------------------------------


def state_with_level(state: LadderState, *, level: int, ladder: Ladder) -> LadderState:
    """A therapist sets the level: the count restarts, a pending run no longer counts."""
    if not 1 <= level <= len(ladder):
        raise ValueError(f"The ladder has levels 1 to {len(ladder)}.")
    return replace(state, level=level, completions=0, target_minutes=None, pending=None)


def state_resumed(state: LadderState) -> LadderState:
    """A therapist resumes a paused ladder at its current level, counting from zero."""
    if not state.paused:
        raise ValueError("The ladder is not paused.")
    return replace(state, paused=False, pause_reason="", completions=0, pending=None)


def state_paused(state: LadderState, *, reason: str) -> LadderState:
    if state.paused:
        raise ValueError("The ladder is already paused.")
    return replace(state, paused=True, pause_reason=reason, completions=0)
