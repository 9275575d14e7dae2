"""The ladder rules, table-driven at and around each threshold (pure, no DB)."""

import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from assessments.rules.check_in import CheckInFacts
from clinical.thresholds import DEFAULTS
from programs.rules import (
    Action,
    LadderHistory,
    LadderState,
    LevelUp,
    RunDay,
    Step,
    VariableChange,
    ladder_decide,
    ladder_on_check_in,
    ladder_settle,
    state_paused,
    state_resumed,
    state_with_level,
)
from tests.programs.ladder_helpers import (
    DEFAULT_LADDER,
    LadderDriver,
    T,
    at,
    day,
    judged,
    local_day,
    morning,
    pending_run_facts,
    pending_state,
    run,
)

pytestmark = pytest.mark.pure

EMPTY = LadderHistory()


def decide(state, report, history=EMPTY, thresholds=T):
    return ladder_decide(
        state=state,
        run=report,
        judgement=judged(report, thresholds=thresholds),
        day=local_day(report),
        history=history,
        ladder=DEFAULT_LADDER,
        thresholds=thresholds,
    )


def settle(state, report, history=EMPTY, thresholds=T, *, reference=1, run_facts=None):
    """The check-in rules judge `report` against the pending run (`run_facts`, or one built
    with `reference` as its rest pain); the ladder applies their judgement."""
    if run_facts is None and state.pending is not None:
        run_facts = pending_run_facts(state, reference=reference)
    past = [run_facts] if run_facts is not None else []
    return ladder_settle(
        state=state,
        judgement=judged(report, past, thresholds),
        day=local_day(report),
        run=state.pending,
        history=history,
        ladder=DEFAULT_LADDER,
        thresholds=thresholds,
    )


def on_check_in(state, report, past=(), history=EMPTY, thresholds=T):
    """`ladder_on_check_in` with the rules' judgement of `report` against `past`; the run the
    judgement speaks of is the state's pending run when their ids match."""
    judgement = judged(report, past, thresholds)
    run_id = judgement.not_settled_run_id or judgement.settled_run_id
    settling = state.pending if state.pending and state.pending.check_in_id == run_id else None
    return ladder_on_check_in(
        state=state,
        check_in=report,
        judgement=judgement,
        day=local_day(report),
        settling=settling,
        history=history,
        ladder=DEFAULT_LADDER,
        thresholds=thresholds,
    )


# --- Running pain: safe (0-2) qualifies, acceptable (3-5) holds, high (> 5) steps back -------


@pytest.mark.parametrize(
    ("during", "after", "action", "qualifies", "code"),
    [
        (0, 0, Action.HOLD, True, "settling_unknown"),
        (2, 2, Action.HOLD, True, "settling_unknown"),
        (3, 0, Action.HOLD, False, "pain_acceptable"),
        (0, 3, Action.HOLD, False, "pain_acceptable"),
        (5, 5, Action.HOLD, False, "pain_acceptable"),
        (6, 0, Action.STEP_BACK, False, "pain_above_acceptable"),
        (0, 6, Action.STEP_BACK, False, "pain_above_acceptable"),
        (10, 10, Action.STEP_BACK, False, "pain_above_acceptable"),
        (None, 1, Action.HOLD, False, "running_pain_unknown"),
        (1, None, Action.HOLD, False, "running_pain_unknown"),
    ],
)
def test_running_pain_decides_hold_or_step_back(during, after, action, qualifies, code):
    result = decide(LadderState(level=3), run(level=3, during=during, after=after))
    assert result.step == Step.RUN
    assert result.action == action
    assert code in result.codes
    assert result.state.pending is not None
    assert result.state.pending.qualifies is qualifies
    assert result.level == (2 if action == Action.STEP_BACK else 3)


def test_run_decision_never_progresses_before_the_morning():
    result = decide(LadderState(level=2, completions=1), run(level=2, during=0, after=0))
    assert result.action == Action.HOLD
    assert result.level == 2 and result.completions == 1


@pytest.mark.parametrize(
    ("acceptable_max", "worst", "action"),
    [(4, 4, Action.HOLD), (4, 5, Action.STEP_BACK), (6, 6, Action.HOLD), (6, 7, Action.STEP_BACK)],
)
def test_a_clinic_may_move_the_acceptable_pain_threshold(acceptable_max, worst, action):
    thresholds = DEFAULTS.with_overrides({"pain_acceptable_max": acceptable_max})
    result = decide(LadderState(level=3), run(level=3, during=worst), thresholds=thresholds)
    assert result.action == action


# --- Symptoms: red flags pause, a limp or building pain steps back --------------------------


@pytest.mark.parametrize(
    ("symptoms", "action", "code"),
    [
        (("cannot_bear_weight",), Action.PAUSE, "red_flag_emergency"),
        (("hot_swollen_knee_fever",), Action.PAUSE, "red_flag_emergency"),
        (("calf_pain_swelling",), Action.PAUSE, "red_flag_emergency"),
        (("numbness_tingling",), Action.PAUSE, "red_flag_emergency"),
        (("locking",), Action.PAUSE, "red_flag_mechanical"),
        (("giving_way",), Action.PAUSE, "red_flag_mechanical"),
        (("swelling",), Action.PAUSE, "red_flag_mechanical"),
        (("catching",), Action.PAUSE, "red_flag_mechanical"),
        (("night_pain",), Action.PAUSE, "red_flag_mechanical"),
        (("sharp_pain",), Action.PAUSE, "red_flag_mechanical"),
        (("swelling", "numbness_tingling"), Action.PAUSE, "red_flag_emergency"),
        # Changed: a limp holds the level; it used to step back.
        (("limping",), Action.HOLD, "stride_change"),
        ((), Action.HOLD, "settling_unknown"),
    ],
)
def test_symptoms_on_a_run(symptoms, action, code):
    result = decide(LadderState(level=4, completions=1), run(level=4, symptoms=symptoms))
    assert result.action == action
    assert code in result.codes
    if action == Action.PAUSE:
        assert result.state.paused and result.state.pause_reason == code
        assert result.completions == 0 and result.level == 4
    if code == "stride_change":
        assert not result.state.paused and result.level == 4
        assert result.state.pending.qualifies is False


def test_an_unknown_symptom_never_reaches_the_ladder():
    # Changed: an unknown symptom used to pause the ladder (`unknown_symptom`); the check-in
    # rules now refuse it before anything is judged, so the ladder never sees one.
    with pytest.raises(ValueError):
        run(level=4, symptoms=("something_new",))


def test_pain_that_built_during_the_run_holds_the_level():
    # Changed: pain that built during the run holds the level and the
    # run does not count; it used to step back one level.
    result = decide(LadderState(level=4, completions=1), run(level=4, during=2, worsened=True))
    assert result.action == Action.HOLD
    assert result.codes[0] == "pain_worsened_during_run"
    assert result.level == 4 and result.completions == 1 and not result.state.paused
    assert result.state.pending.qualifies is False


def test_pause_outranks_step_back():
    result = decide(LadderState(level=4), run(level=4, during=9, symptoms=("locking",)))
    assert result.action == Action.PAUSE


@pytest.mark.parametrize(
    ("symptoms", "paused"),
    [(("locking",), True), (("cannot_bear_weight",), True), (("limping",), False), ((), False)],
)
def test_a_red_flag_without_a_run_pauses_too(symptoms, paused):
    decisions = on_check_in(LadderState(level=3), morning(0, symptoms=symptoms))
    if paused:
        assert [d.action for d in decisions] == [Action.PAUSE]
        assert decisions[0].step == Step.SYMPTOMS and decisions[0].state.paused
    else:
        assert decisions == []


def test_a_paused_ladder_stays_paused_on_a_run():
    state = LadderState(level=3, paused=True, pause_reason="red_flag_mechanical")
    result = decide(state, run(level=3))
    assert result.action == Action.PAUSE and "ladder_paused" in result.codes
    assert result.state.paused and result.state.pending is not None
    assert result.state.pending.qualifies is False


# --- Completing a level: the session's running minutes -------------------------------------


@pytest.mark.parametrize(
    ("level", "minutes", "qualifies"),
    [
        (3, 14, False),
        (3, 15, True),
        (3, 16, True),
        (1, 5, False),
        (1, 6, True),
        (8, 29, False),
        (8, 30, True),
        (3, None, False),
        (3, 0, False),
    ],
)
def test_a_run_completes_its_level_when_it_reaches_the_running_minutes(level, minutes, qualifies):
    result = decide(LadderState(level=level), run(level=level, minutes=minutes))
    assert result.action == Action.HOLD
    assert result.state.pending.qualifies is qualifies
    if not qualifies:
        assert {"ladder_session_short", "ladder_minutes_unknown"} & set(result.codes)


def test_past_the_last_level_the_target_minutes_are_the_session():
    state = LadderState(level=8, target_minutes=33)
    assert decide(state, run(level=8, minutes=32)).state.pending.qualifies is False
    assert decide(state, run(level=8, minutes=33)).state.pending.qualifies is True


def test_a_second_run_on_one_day_does_not_count():
    history = LadderHistory(runs=(RunDay(day(0), 5, 24),))
    result = decide(LadderState(level=5), run(0, level=5, hour=20), history)
    assert result.state.pending.qualifies is False
    assert "ladder_second_run_same_day" in result.codes


def test_a_new_run_replaces_the_pending_one_which_a_late_morning_can_still_settle():
    # Changed: a new run used to drop the unsettled one for good ("settling_unknown"). The
    # rules now say which run a morning settles, so a check-in from that morning that arrives
    # late (offline) still settles it.
    state = pending_state(level=5, run_offset=0)
    older = state.pending
    result = decide(state, run(2, level=5, hour=18))
    assert result.state.pending.day == day(2)
    late_morning = morning(1, pain=1, hour=7)
    judgement = judged(late_morning, [pending_run_facts(state)])
    assert judgement.settled_run_id == older.check_in_id
    settled = ladder_settle(
        state=result.state,
        judgement=judgement,
        day=local_day(late_morning),
        run=older,
        history=EMPTY,
        ladder=DEFAULT_LADDER,
        thresholds=T,
    )
    assert settled.counted and settled.completions == 1
    assert settled.state.pending.day == day(2)  # the newer run still awaits its morning


# --- Settling: the next morning's pain against the run's reference -------------------------


@pytest.mark.parametrize(
    ("reference", "morning_pain", "action", "settled"),
    [
        (2, 1, Action.HOLD, True),
        (2, 2, Action.HOLD, True),
        (2, 3, Action.STEP_BACK, False),
        (0, 0, Action.HOLD, True),
        (0, 1, Action.STEP_BACK, False),
    ],
)
def test_settling_compares_morning_pain_with_the_reference(
    reference, morning_pain, action, settled
):
    state = pending_state(level=3)
    result = settle(state, morning(1, pain=morning_pain), reference=reference)
    assert result.step == Step.SETTLE
    assert result.action == action and result.settled is settled
    assert result.state.pending is None
    if not settled:
        assert result.codes[0] == "pain_not_settled" and result.level == 2


@pytest.mark.parametrize(
    ("pain_rest", "pain_morning", "reference"), [(3, None, 3), (3, 1, 1), (0, 4, 4)]
)
def test_the_reference_is_the_run_check_ins_morning_pain_else_its_rest_pain(
    pain_rest, pain_morning, reference
):
    # The reference is the check-in rules' (the ladder keeps none of its own): the morning
    # pain equal to it settles, one more does not.
    ran = run(level=2, pain_rest=pain_rest, pain_morning=pain_morning)
    result = decide(LadderState(level=2), ran)
    assert settle(result.state, morning(1, pain=reference), run_facts=ran).settled is True
    if reference < 10:
        assert settle(result.state, morning(1, pain=reference + 1), run_facts=ran).settled is False


@pytest.mark.parametrize(
    ("hours_after", "outcome"),
    [
        (3.99, None),
        (4, "judged"),
        (13, "judged"),
        (36, "judged"),
        (36.02, None),
        (60, None),
    ],
)
def test_settling_is_judged_4_to_36_hours_after_the_run(hours_after, outcome):
    state = pending_state(level=2, run_offset=0, run_hour=18)
    report = replace(morning(1), recorded_at=at(0, 18) + timedelta(hours=hours_after))
    result = settle(state, report)
    # Changed: past 36 hours the ladder used to record a "settling_unknown" hold; the window
    # is now the check-in rules' alone, which do not report on the run, so the ladder decides
    # nothing and the run never counts.
    if outcome is None:
        assert result is None
    else:
        assert result.settled is True and result.counted is True


def test_without_morning_pain_the_run_stays_pending():
    state = pending_state(level=2)
    assert settle(state, morning(1, pain=None)) is None


def test_nothing_to_settle_without_a_pending_run():
    assert settle(LadderState(level=2), morning(1)) is None


# --- Progress: two completions, within the weekly limits ------------------------------------


@pytest.mark.parametrize(
    ("needed", "completions", "action", "level", "completions_after"),
    [
        (2, 0, Action.HOLD, 3, 1),
        (2, 1, Action.PROGRESS, 4, 0),
        (2, 2, Action.PROGRESS, 4, 0),
        (3, 1, Action.HOLD, 3, 2),
        (3, 2, Action.PROGRESS, 4, 0),
        (1, 0, Action.PROGRESS, 4, 0),
    ],
)
def test_progress_after_the_level_is_completed_twice(
    needed, completions, action, level, completions_after
):
    thresholds = DEFAULTS.with_overrides({"ladder_completions_to_progress": needed})
    state = pending_state(level=3, completions=completions)
    result = settle(state, morning(1), thresholds=thresholds)
    assert result.action == action
    assert result.level == level and result.completions == completions_after
    assert result.counted is True
    assert result.levels_up == (1 if action == Action.PROGRESS else 0)


@pytest.mark.parametrize(
    ("qualifies", "pending_level", "paused", "counted"),
    [
        (True, 3, False, True),
        (False, 3, False, False),
        (True, 2, False, False),
        (True, 3, True, False),
    ],
)
def test_only_a_qualifying_run_at_the_current_level_counts(
    qualifies, pending_level, paused, counted
):
    state = replace(
        pending_state(level=pending_level, completions=1, qualifies=qualifies),
        level=3,
        paused=paused,
    )
    result = settle(state, morning(1))
    assert result.counted is counted
    assert result.action == (Action.PROGRESS if counted else Action.HOLD)


@pytest.mark.parametrize(
    ("earlier_ups", "allowed"),
    [
        ((), True),
        ((1,), True),
        ((1, 1), False),
        ((6, 1), False),
        ((7, 1), True),
        ((7, 8), True),
        ((6, 6), False),
        ((2,), True),
    ],
)
def test_at_most_two_levels_up_in_any_7_days(earlier_ups, allowed):
    """`earlier_ups` are days before the settling morning on which the level went up."""
    history = LadderHistory(level_ups=tuple(LevelUp(day(10 - ago), 1) for ago in earlier_ups))
    state = pending_state(level=3, completions=1, run_offset=9)
    result = settle(state, morning(10), history)
    assert result.action == (Action.PROGRESS if allowed else Action.HOLD)
    if not allowed:
        assert result.codes == ["ladder_weekly_level_limit"]
        assert result.completions == 2 and result.level == 3


def test_automatic_progress_counts_toward_the_weekly_level_limit():
    history = LadderHistory(level_ups=(LevelUp(day(8), 2),))
    result = settle(pending_state(level=3, completions=1, run_offset=9), morning(10), history)
    assert result.action == Action.HOLD and result.codes == ["ladder_weekly_level_limit"]


def test_a_therapist_jump_does_not_count_toward_the_weekly_level_limit():
    # Changed: a therapist's level change used to count toward the
    # 2-levels-in-7-days limit and so held this progression.
    history = LadderHistory(level_ups=(LevelUp(day(8), 2, automatic=False),))
    result = settle(pending_state(level=3, completions=1, run_offset=9), morning(10), history)
    assert result.action == Action.PROGRESS and result.level == 4


@pytest.mark.parametrize(("level", "after"), [(1, 1), (2, 1), (5, 4), (8, 7)])
def test_step_back_one_level_and_never_below_1(level, after):
    result = settle(pending_state(level=level), morning(1, pain=2), reference=1)
    assert result.action == Action.STEP_BACK and result.level == after


def test_a_run_that_stepped_back_and_did_not_settle_steps_back_again():
    ran = run(0, level=5, during=7)
    first = decide(LadderState(level=5), ran)
    assert first.level == 4
    second = settle(first.state, morning(1, pain=ran.pain_rest + 1), run_facts=ran)
    assert second.action == Action.STEP_BACK and second.level == 3


def test_settling_while_paused_still_steps_back_and_stays_paused():
    state = replace(pending_state(level=5), paused=True, pause_reason="escalation")
    result = settle(state, morning(1, pain=5))
    assert result.action == Action.STEP_BACK and result.level == 4 and result.state.paused


# --- Past the last level: one variable at a time, duration + at most 10 % -------------------


def beyond(target=None, completions=1, run_minutes=30, runs=(), changes=()):
    state = pending_state(level=8, completions=completions, target=target, run_offset=20)
    history = LadderHistory(
        runs=(*runs, RunDay(day(20), 8, run_minutes)),
        variable_changes=tuple(VariableChange(day(d), "duration") for d in changes),
    )
    return settle(state, morning(21), history)


@pytest.mark.parametrize(
    ("target", "run_minutes", "earlier", "action", "new_target"),
    [
        (None, 30, (), Action.PROGRESS, 33),
        (None, 34, (), Action.PROGRESS, 37),
        (33, 33, (), Action.PROGRESS, 36),
        (36, 36, ((5, 40),), Action.PROGRESS, 44),
        (36, 36, ((-8, 40),), Action.PROGRESS, 44),
        (36, 36, ((-9, 40),), Action.PROGRESS, 39),
        (30, 30, (), Action.PROGRESS, 33),
        (None, 31, (), Action.PROGRESS, 34),
    ],
)
def test_past_the_last_level_duration_grows_by_at_most_10_percent_of_the_30_day_longest(
    target, run_minutes, earlier, action, new_target
):
    """`earlier`: (day offset, minutes) of other runs; day 21 is the settling morning, so the
    30 days are offsets -8..21 and a run at -9 is outside them."""
    runs = tuple(RunDay(day(offset), 8, minutes) for offset, minutes in earlier)
    result = beyond(target=target, run_minutes=run_minutes, runs=runs)
    assert result.action == action
    assert result.state.target_minutes == new_target
    assert result.variable_change == "duration" and result.completions == 0
    assert result.levels_up == 0 and result.level == 8


@pytest.mark.parametrize(
    ("target", "longest", "step", "action", "new_target"),
    [
        (40, 40, 0.10, Action.PROGRESS, 44),
        (45, 45, 0.10, Action.PROGRESS, 49),
        (36, 35, 0.10, Action.PROGRESS, 38),
        (38, 35, 0.10, Action.HOLD, 38),
        (39, 35, 0.10, Action.HOLD, 39),
        (30, 30, 0.0, Action.HOLD, 30),
        (30, 30, 0.2, Action.PROGRESS, 36),
    ],
)
def test_past_the_last_level_the_longest_run_caps_the_step(
    target, longest, step, action, new_target
):
    """The target may exceed this run's minutes only by 10 % of the 30-day longest run."""
    thresholds = DEFAULTS.with_overrides({"ladder_duration_increase_max": step})
    state = pending_state(level=8, completions=1, target=target, run_offset=20, qualifies=True)
    history = LadderHistory(runs=(RunDay(day(20), 8, longest),))
    result = settle(state, morning(21), history, thresholds=thresholds)
    assert result.action == action
    assert result.state.target_minutes == new_target
    if action == Action.HOLD:
        assert result.codes == ["ladder_duration_cap"]


@pytest.mark.parametrize(
    ("changed_days_before", "action"),
    [((), Action.PROGRESS), ((6,), Action.HOLD), ((1,), Action.HOLD), ((7,), Action.PROGRESS)],
)
def test_past_the_last_level_one_change_a_week(changed_days_before, action):
    result = beyond(target=33, run_minutes=33, changes=tuple(21 - d for d in changed_days_before))
    assert result.action == action
    if action == Action.HOLD:
        assert result.codes == ["ladder_one_variable_per_week"]
        assert result.state.target_minutes == 33


def test_reaching_the_last_level_and_the_first_duration_step_are_a_week_apart():
    state = pending_state(level=8, completions=1, run_offset=20)
    history = LadderHistory(runs=(RunDay(day(20), 8, 30),), level_ups=(LevelUp(day(16), 1),))
    result = settle(state, morning(21), history)
    assert result.action == Action.HOLD and result.codes == ["ladder_one_variable_per_week"]


def test_step_back_past_the_last_level_returns_to_the_last_level():
    result = decide(LadderState(level=8, target_minutes=36), run(level=8, minutes=36, during=6))
    assert result.action == Action.STEP_BACK
    assert result.level == 8 and result.state.target_minutes is None


# --- Check-in order: settle first, then the run ---------------------------------------------


def test_one_check_in_settles_the_last_run_then_reports_a_new_one():
    state = pending_state(level=5, completions=1, run_offset=0, run_hour=8)
    report = run(1, level=6, hour=8, pain_morning=1)
    decisions = on_check_in(state, report, [pending_run_facts(state)])
    assert [d.step for d in decisions] == [Step.SETTLE, Step.RUN]
    assert decisions[0].action == Action.PROGRESS and decisions[0].level == 6
    # The run was level 5's session (the plan before this check-in): recorded so, not counted.
    assert decisions[1].before.level == 6 and decisions[1].run == RunDay(day(1), 5, 24)
    assert decisions[1].state.pending.qualifies is False
    assert "ladder_level_changed" in decisions[1].codes


# --- Therapist changes ------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "ok"), [(0, False), (1, True), (8, True), (9, False)])
def test_a_therapist_sets_a_level_of_the_ladder(level, ok):
    state = pending_state(level=3, completions=1, target=None)
    if ok:
        new = state_with_level(state, level=level, ladder=DEFAULT_LADDER)
        assert new.level == level and new.completions == 0 and new.pending is None
    else:
        with pytest.raises(ValueError):
            state_with_level(state, level=level, ladder=DEFAULT_LADDER)


def test_resume_and_pause_are_transitions():
    paused = state_paused(LadderState(level=3, completions=1), reason="therapist")
    assert paused.paused and paused.completions == 0
    with pytest.raises(ValueError):
        state_paused(paused, reason="therapist")
    resumed = state_resumed(paused)
    assert not resumed.paused and resumed.pause_reason == ""
    with pytest.raises(ValueError):
        state_resumed(resumed)


def test_check_in_reports_refuse_impossible_values():
    with pytest.raises(ValueError):
        run(during=11)
    with pytest.raises(ValueError):
        replace(run(), recorded_at=at(0).replace(tzinfo=None))
    with pytest.raises(ValueError):
        decide(LadderState(level=1), morning(0))


# --- The ladder takes the check-in rules' judgement as it is ---------------------------------


def test_a_run_reported_as_not_settled_never_counts_even_if_another_morning_says_settled():
    """Run at 18:00, a check-in at 08:00 next day with morning pain above the reference (not
    settled: step back), then one from 06:00 that arrived late saying it had settled."""
    state = pending_state(level=3, completions=1)
    ran = pending_run_facts(state, reference=1)
    worse = morning(1, pain=3, hour=8)
    back = settle(state, worse, run_facts=ran)
    assert back.action == Action.STEP_BACK and back.settled_run.settled is False
    late = morning(1, pain=1, hour=6)
    again = ladder_settle(
        state=replace(back.state, level=3),
        judgement=judged(late, [ran]),
        day=local_day(late),
        run=back.settled_run,
        history=EMPTY,
        ladder=DEFAULT_LADDER,
        thresholds=T,
    )
    assert again.action == Action.HOLD and again.counted is False
    assert "reported earlier as not settled" in again.summary


def test_every_morning_the_rules_judge_not_settled_steps_back():
    """Two check-ins that both report the same run as not settled: the patient was told to
    ease off twice, and the ladder steps back twice."""
    state = pending_state(level=5)
    ran = pending_run_facts(state, reference=1)
    first = settle(state, morning(1, pain=3, hour=7), run_facts=ran)
    second = ladder_settle(
        state=first.state,
        judgement=judged(morning(1, pain=3, hour=9), [ran]),
        day=day(1),
        run=first.settled_run,
        history=EMPTY,
        ladder=DEFAULT_LADDER,
        thresholds=T,
    )
    assert (first.level, second.level) == (4, 3)


def test_a_run_counts_once_however_many_mornings_say_it_settled():
    state = pending_state(level=3)
    ran = pending_run_facts(state)
    first = settle(state, morning(1, hour=7), run_facts=ran)
    assert first.counted and first.settled_run.counted
    second = ladder_settle(
        state=first.state,
        judgement=judged(morning(1, hour=9), [ran]),
        day=day(1),
        run=first.settled_run,
        history=EMPTY,
        ladder=DEFAULT_LADDER,
        thresholds=T,
    )
    assert second is None


def test_not_settled_steps_back_even_for_a_run_the_ladder_did_not_record():
    """The rules' word is enough: a run from before the ladder started still steps it back."""
    ran = CheckInFacts(
        recorded_at=at(0, 18), pain_rest=1, ran=True, pain_during_run=1, pain_after_run=1
    )
    report = morning(1, pain=4)
    decisions = on_check_in(LadderState(level=4), report, [ran])
    assert [(d.step, d.action) for d in decisions] == [(Step.SETTLE, Action.STEP_BACK)]
    assert decisions[0].level == 3 and decisions[0].codes[0] == "pain_not_settled"


@pytest.mark.parametrize(
    ("symptoms", "worsened", "counted"),
    [((), False, True), (("limping",), False, False), ((), True, False)],
)
def test_a_limp_or_building_pain_on_the_settling_check_in_holds(symptoms, worsened, counted):
    state = pending_state(level=3, completions=1, run_offset=0, run_hour=8)
    ran = pending_run_facts(state)
    report = run(1, level=3, hour=18, symptoms=symptoms, worsened=worsened, pain_morning=1)
    decisions = on_check_in(state, report, [ran])
    assert decisions[0].step == Step.SETTLE and decisions[0].counted is counted
    assert all(not d.state.paused for d in decisions)
    assert decisions[-1].level == (4 if counted else 3)


def test_a_run_from_before_a_therapists_change_does_not_count():
    state = pending_state(level=3, completions=1)
    restarted = replace(state, pending=replace(state.pending, restarted=True))
    result = settle(restarted, morning(1))
    assert result.action == Action.HOLD and result.counted is False
    assert "therapist" in result.summary


@pytest.mark.parametrize(
    ("fields", "step", "reason"),
    [
        ({"pain_rest": 7}, Step.PAUSE, "escalation"),  # pain_severe: high
        (
            {"pain_rest": 2, "symptoms": frozenset({"locking"})},
            Step.SYMPTOMS,
            "red_flag_mechanical",
        ),
        ({"pain_rest": 6}, None, ""),  # no finding of critical or high severity
    ],
)
def test_a_critical_or_high_finding_pauses_running(fields, step, reason):
    report = CheckInFacts(recorded_at=at(0, 9), **fields)
    decisions = on_check_in(LadderState(level=3, completions=1), report)
    if step is None:
        assert decisions == []
    else:
        assert [(d.step, d.action) for d in decisions] == [(step, Action.PAUSE)]
        assert decisions[0].state.paused and decisions[0].state.pause_reason == reason


def test_a_run_with_severe_pain_steps_back_and_pauses():
    decisions = on_check_in(LadderState(level=4), run(0, level=4, during=8))
    assert [(d.step, d.action) for d in decisions] == [
        (Step.RUN, Action.STEP_BACK),
        (Step.PAUSE, Action.PAUSE),
    ]
    assert decisions[-1].state.paused and decisions[-1].level == 3


def test_the_ladder_rules_import_no_django():
    code = (
        "import sys, programs.rules; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


@pytest.mark.parametrize(
    ("evening", "code"),
    [
        ({"pain_after_run": 6}, "pain_above_acceptable"),
        ({"symptoms": frozenset({"locking"})}, "red_flag_mechanical"),
    ],
)
def test_an_evening_run_that_hurts_voids_the_settled_morning_run_and_steps_back_from_its_level(
    evening, code
):
    """Level 5, one completion: a morning run that would be the second completion settles in
    the evening check-in, which reports a run of its own with running pain above the
    acceptable or a red flag. The morning run does not progress the ladder to level 6 only for
    the evening run to step it back to 5: the latest run was not easy, so nothing is earned,
    and the painful run steps back from the level it was run at (4), or pauses."""
    driver = LadderDriver(state=LadderState(level=5, completions=1))
    morning = CheckInFacts(
        recorded_at=at(0, 7),
        check_in_id=1,
        pain_rest=0,
        ran=True,
        run_minutes=24,
        pain_during_run=0,
        pain_after_run=0,
    )
    driver.apply(morning)
    fields = {"pain_during_run": 1, "pain_after_run": 1, "symptoms": frozenset()} | evening
    judgement, decisions = driver.apply(
        CheckInFacts(
            recorded_at=at(0, 18),
            check_in_id=2,
            pain_rest=0,
            pain_morning=0,
            ran=True,
            run_minutes=24,
            **fields,
        )
    )
    assert code in judgement.codes
    assert judgement.settled_run_id == 1
    assert [d.action for d in decisions if d.action == Action.PROGRESS] == []
    settle = decisions[0]
    assert (settle.step, settle.action) == (Step.SETTLE, Action.HOLD)
    assert "does not count" in settle.reasons[0].detail
    if code == "pain_above_acceptable":
        assert (driver.state.level, driver.state.paused) == (4, False)
    else:
        assert (driver.state.level, driver.state.paused) == (5, True)
