"""The return-to-run ladder's progression decision (docs/clinical-rules.md), as pure functions.

The ladder judges nothing twice. Each check-in is first judged by the check-in rules
(`assessments.rules.check_in.judge_check_in`, against the check-ins recorded before it); the
ladder takes that `Judgement` as it is: red flags, pain above the acceptable, a limp, pain
that built during the run, and whether a run's pain settled by the next morning. So the advice
the patient reads and the ladder never disagree, whatever order check-ins arrive in.

A run is judged twice:

1. When its check-in arrives (`ladder_decide`): a red flag pauses the ladder; running pain
   (the larger of `pain_during_run` and `pain_after_run`) above
   `pain_acceptable_max` (5), which the rules report as `pain_above_acceptable`, steps back one
   level; a limp (`stride_change`) or pain that built during the run holds the level and the
   run does not count; anything else holds, because whether the pain settles is not
   known yet. The run becomes the *pending* run of the state (shown as "awaiting the morning
   after").
2. When a later check-in's judgement says whether a run settled (`ladder_settle`): the rules
   chose the run (the latest run 4-36 hours before, by `recorded_at`) and compared the morning
   pain with its reference. `pain_not_settled` steps back one level, whatever order the
   check-ins arrived in; a settled qualifying run at the current level counts as a completion,
   and the completion that makes `ladder_completions_to_progress` (2) moves the patient up one
   level, within the weekly limits. A run the rules never report on never counts.
   `ladder_on_check_in` applies both to one check-in, settling first, then pauses for any
   other critical or high finding (`pain_severe`, `pain_rising` by the MCID).

A run *completes* its level (the choice made here, the strict reading) when it was run at the
current level, on a day the weekly limits allow, as the first run of that local day; its
`run_minutes` reached the level's running minutes (past the last level: `target_minutes`); its
`pain_during_run` and `pain_after_run` were both known and at most `pain_safe_max` (2); it
reported no symptom and no pain that built during the run; and its pain settled by the next
morning. So "completed twice" already holds "the last run had pain <= 2, settled, no symptom",
and a run at pain 3-5 is a hold that does not count.

Choices where the clinical rules are silent, each the safer one:

- Every check-in the rules judge as `pain_not_settled` steps back one level, even when another
  check-in had already reported the same run (each is what the patient was told).
- A run once reported as not settled never counts, even if another check-in reports it as
  settled; a run counts once, however many check-ins report it as settled.
- A check-in that settles a run but itself reports a limp or pain that built during a run
  holds: the run does not count (they hold the level).
- A red flag, or any other critical or high finding, pauses the ladder on any check-in, with
  or without a run; it stays paused until the escalation is resolved and a therapist resumes
  it.
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
  variable changed within 6 days either side (a therapist's level change included). Frequency,
  pace and terrain are not seen in a check-in; they are the therapist's to change, and the
  run-day limit still holds past the last level.
- A therapist's level change is allowed at any time (paused or not), is recorded with who and
  why, and does not count toward the 2-levels-in-7-days limit: it is a clinical decision.
- A run settled by a check-in that arrives after a later run still counts if the level has
  not changed since it was run.
"""

from dataclasses import replace
from datetime import date

from assessments.rules.check_in import CheckInFacts, Judgement
from clinical.thresholds import ClinicalThresholds
from programs.rules.run import ladder_decide
from programs.rules.settle import ladder_settle
from programs.rules.steps import escalation_pause_reason, red_flag_reason
from programs.rules.types import (
    Action,
    Ladder,
    LadderDecision,
    LadderHistory,
    LadderState,
    RunRecord,
    Step,
)


def ladder_on_check_in(
    *,
    state: LadderState,
    check_in: CheckInFacts,
    judgement: Judgement,
    day: date,
    settling: RunRecord | None,
    history: LadderHistory,
    ladder: Ladder,
    thresholds: ClinicalThresholds,
) -> list[LadderDecision]:
    """Everything one check-in does to the ladder, in order: apply what the rules said of the
    run before it, judge its own run (or pause on a red flag reported without a run), then
    pause for any other critical or high finding.

    `judgement` is the check-in rules' judgement of `check_in`; `day` its local date;
    `settling` the ladder's record of the run the judgement settled or did not settle
    (`settled_run_id` / `not_settled_run_id`), None when there is none or the ladder did not
    record it. The run is recorded at the level the patient's plan had before this check-in.

    Returns zero to three decisions; the last one's `state` is the new state.
    """
    decisions: list[LadderDecision] = []
    ran_at = state
    settle = ladder_settle(
        state=state,
        judgement=judgement,
        day=day,
        run=settling,
        history=history,
        ladder=ladder,
        thresholds=thresholds,
    )
    if settle is not None:
        decisions.append(settle)
        state = settle.state
        history = history.with_decision(settle)
    if check_in.ran:
        run = ladder_decide(
            state=state,
            run=check_in,
            judgement=judgement,
            day=day,
            history=history,
            ladder=ladder,
            thresholds=thresholds,
            ran_at=ran_at,
        )
        decisions.append(run)
        state = run.state
    else:
        red_flag = red_flag_reason(judgement)
        if red_flag is not None and not state.paused:
            paused = replace(state, paused=True, pause_reason=red_flag.code, completions=0)
            decisions.append(
                LadderDecision(
                    step=Step.SYMPTOMS,
                    action=Action.PAUSE,
                    day=day,
                    before=state,
                    state=paused,
                    reasons=(red_flag,),
                )
            )
            state = paused
    escalation = escalation_pause_reason(judgement)
    if escalation is not None and not state.paused:
        decisions.append(
            LadderDecision(
                step=Step.PAUSE,
                action=Action.PAUSE,
                day=day,
                before=state,
                state=replace(state, paused=True, pause_reason=escalation.code, completions=0),
                reasons=(escalation,),
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
