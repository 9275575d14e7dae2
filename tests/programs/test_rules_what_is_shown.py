"""What the patient and the therapist read of each ladder decision (pure): the reasons' lines,
the level, the count and the pause reason after each step, the session the plan shows.

The lines are what the ladder's events carry to the patient's app and the console, word for
word; the numbers in them (pain, thresholds, minutes, levels, dates) follow the case."""

from dataclasses import replace

import pytest

from assessments.rules.check_in import CheckInFacts
from clinical.thresholds import DEFAULTS
from programs.rules import (
    Action,
    LadderHistory,
    LadderLevel,
    LadderState,
    LevelUp,
    RunDay,
    Step,
    ladder_validate,
    run_days_blockers,
    run_plan,
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
    morning,
    pending_run_facts,
    pending_state,
    run,
)
from tests.programs.test_rules_ladder import EMPTY, beyond, decide, on_check_in, settle

pytestmark = pytest.mark.pure

SETTLED = "Pain after the run of 2025-03-10 settled by the morning."
SETTLED_DAY_20 = "Pain after the run of 2025-03-30 settled by the morning."
NOT_SETTLED = (
    "Pain had not settled by the morning (morning pain 3 vs 1 before the run of 2025-03-10 "
    "(not settled))."
)


# --- The run check-in --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "report", "history", "action", "level", "shown"),
    [
        (
            LadderState(level=4, completions=1),
            run(level=4, symptoms=("locking",)),
            (),
            Action.PAUSE,
            4,
            "Red flag (mechanical symptom reported: locking): running is paused until your "
            "therapist resumes it.",
        ),
        (
            LadderState(level=3, paused=True, pause_reason="therapist"),
            run(level=3),
            (),
            Action.PAUSE,
            3,
            "Running is paused until your therapist resumes it.",
        ),
        (
            LadderState(level=3, completions=1),
            run(level=3, during=None),
            (),
            Action.HOLD,
            3,
            "Pain during and after the run were not both reported: hold, it does not count.",
        ),
        (
            LadderState(level=3, completions=1),
            run(level=3, during=7),
            (),
            Action.STEP_BACK,
            2,
            "Running pain 7 is above 5 (high risk). Back one level, to level 2.",
        ),
        (
            LadderState(level=1, completions=1),
            run(level=1, after=6),
            (),
            Action.STEP_BACK,
            1,
            "Running pain 6 is above 5 (high risk). Stay at level 1, the first level.",
        ),
        (
            LadderState(level=8, completions=1, target_minutes=36),
            run(level=8, minutes=36, during=6),
            (),
            Action.STEP_BACK,
            8,
            "Running pain 6 is above 5 (high risk). Back to level 8 (36 continuous minutes was "
            "too much for now).",
        ),
        (
            LadderState(level=4, completions=1),
            run(level=4, symptoms=("limping",)),
            (),
            Action.HOLD,
            4,
            "A limp changed your stride: hold at this level.",
        ),
        (
            LadderState(level=4, completions=1),
            run(level=4, during=2, worsened=True),
            (),
            Action.HOLD,
            4,
            "Pain built up as the run went on: hold at this level.",
        ),
        (
            LadderState(level=4, completions=1),
            run(level=4, during=4, after=3),
            (),
            Action.HOLD,
            4,
            "Running pain 4 is acceptable (up to 5) but above 2: hold at this level.",
        ),
        (
            LadderState(level=3, completions=1),
            run(level=3, minutes=None),
            (),
            Action.HOLD,
            3,
            "Run minutes were not reported: it does not count.",
        ),
        (
            LadderState(level=3, completions=1),
            run(level=3, minutes=14),
            (),
            Action.HOLD,
            3,
            "14 of 15 running minutes: the session is not complete.",
        ),
        (
            LadderState(level=8, completions=1, target_minutes=33),
            run(level=8, minutes=32),
            (),
            Action.HOLD,
            8,
            "32 of 33 running minutes: the session is not complete.",
        ),
        (
            LadderState(level=5, completions=1),
            run(0, level=5, hour=20),
            (RunDay(day(0), 5, 24),),
            Action.HOLD,
            5,
            "A second run on one day does not count.",
        ),
        (
            LadderState(level=3, completions=1),
            run(1, level=3),
            (RunDay(day(0), 3, 15),),
            Action.HOLD,
            3,
            "This run does not count. No runs on consecutive days at levels 1-4: there is a run "
            "on 2025-03-10.",
        ),
        (
            LadderState(level=3, completions=1),
            run(level=3),
            (),
            Action.HOLD,
            3,
            "Session complete with little pain; it counts once tomorrow morning's pain shows it "
            "settled.",
        ),
    ],
)
def test_what_a_run_check_in_shows(state, report, history, action, level, shown):
    result = decide(state, report, LadderHistory(runs=history))
    assert (result.step, result.action, result.level) == (Step.RUN, action, level)
    assert result.summary == shown
    assert result.before == state
    # A step back or a pause starts the count again; a hold keeps it.
    assert result.completions == (1 if action == Action.HOLD else 0)
    assert result.state.pending is not None and result.state.pending.day == result.run.day


def test_a_run_on_a_day_over_the_weekly_run_days_says_which_days():
    runs = tuple(RunDay(day(offset), 6, 24) for offset in (4, 6, 7, 8))
    result = decide(LadderState(level=6), run(10, level=6), LadderHistory(runs=runs))
    assert result.codes == ["ladder_run_days_limit"]
    assert result.summary == (
        "This run does not count. At most 4 run days in any 7 days: 2025-03-14 to 2025-03-20 "
        "would have 5."
    )


def test_a_clinics_own_limits_are_the_ones_shown():
    thresholds = DEFAULTS.with_overrides(
        {"pain_acceptable_max": 6, "pain_safe_max": 3, "ladder_no_consecutive_max_level": 5}
    )
    acceptable = decide(LadderState(level=4), run(level=4, during=5), thresholds=thresholds)
    assert acceptable.summary == (
        "Running pain 5 is acceptable (up to 6) but above 3: hold at this level."
    )
    high = decide(LadderState(level=4), run(level=4, during=7), thresholds=thresholds)
    assert high.summary == "Running pain 7 is above 6 (high risk). Back one level, to level 3."
    history = LadderHistory(runs=(RunDay(day(0), 5, 20),))
    consecutive = decide(LadderState(level=5), run(1, level=5), history, thresholds=thresholds)
    assert consecutive.summary == (
        "This run does not count. No runs on consecutive days at levels 1-5: there is a run on "
        "2025-03-10."
    )


# --- The morning after -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "pain", "action", "level", "completions", "shown"),
    [
        (
            pending_state(level=3),
            1,
            Action.HOLD,
            3,
            1,
            f"{SETTLED} level 3 completed 1 of 2 times.",
        ),
        (
            pending_state(level=3, completions=1),
            1,
            Action.PROGRESS,
            4,
            0,
            "level 3 completed 2 times with little pain that settled: on to level 4.",
        ),
        (
            pending_state(level=3, completions=1),
            3,
            Action.STEP_BACK,
            2,
            0,
            f"{NOT_SETTLED} Back one level, to level 2.",
        ),
        (
            pending_state(level=1, completions=1),
            3,
            Action.STEP_BACK,
            1,
            0,
            f"{NOT_SETTLED} Stay at level 1, the first level.",
        ),
        (
            replace(pending_state(level=3, completions=1), paused=True, pause_reason="therapist"),
            1,
            Action.HOLD,
            3,
            1,
            f"{SETTLED} Hold: running is paused, so it does not count.",
        ),
        (
            pending_state(level=3, completions=1, qualifies=False),
            1,
            Action.HOLD,
            3,
            1,
            f"{SETTLED} Hold: it does not count toward the level.",
        ),
        (
            replace(pending_state(level=2, completions=1), level=3),
            1,
            Action.HOLD,
            3,
            1,
            f"{SETTLED} Hold: the level has changed since, so it does not count.",
        ),
    ],
)
def test_what_the_morning_after_shows(state, pain, action, level, completions, shown):
    result = settle(state, morning(1, pain=pain))
    assert (result.step, result.action) == (Step.SETTLE, action)
    assert (result.level, result.completions) == (level, completions)
    assert result.summary == shown
    assert result.state.pending is None  # no longer "awaiting the morning after"
    assert result.state.paused is state.paused


def test_a_run_from_before_a_therapists_change_says_so():
    state = pending_state(level=3, completions=1)
    restarted = replace(state, pending=replace(state.pending, restarted=True))
    result = settle(restarted, morning(1))
    assert result.summary == (
        f"{SETTLED} Hold: your therapist has changed the ladder since, so it does not count."
    )
    assert result.settled_run.settled is True and result.settled_run.counted is False


def test_a_run_reported_not_settled_before_says_so_when_a_late_morning_says_settled():
    state = pending_state(level=3, completions=1)
    earlier = replace(state, pending=replace(state.pending, settled=False))
    result = settle(earlier, morning(1))
    assert result.summary == (
        f"{SETTLED} Hold: it was reported earlier as not settled, so it does not count."
    )
    assert result.settled_run.settled is False and result.completions == 1


@pytest.mark.parametrize(
    ("report", "shown"),
    [
        (
            {"symptoms": ("limping",)},
            "a limp or pain that built during a run was reported, so it does not count",
        ),
        (
            {"during": 7},
            "this check-in reports running pain above the acceptable or a red flag, so it does "
            "not count",
        ),
        (
            {"symptoms": ("cannot_bear_weight",)},
            "this check-in reports running pain above the acceptable or a red flag, so it does "
            "not count",
        ),
        (
            {"symptoms": ("giving_way",)},
            "this check-in reports running pain above the acceptable or a red flag, so it does "
            "not count",
        ),
    ],
)
def test_a_settling_check_in_that_reports_a_hard_run_says_why_the_earlier_one_does_not_count(
    report, shown
):
    state = pending_state(level=3, completions=1, run_offset=0, run_hour=8)

    evening = run(1, level=3, hour=18, pain_morning=1, **report)
    decisions = on_check_in(state, evening, [pending_run_facts(state)])
    assert (
        decisions[0].summary
        == f"Pain after the run of 2025-03-10 settled by the morning. Hold: {shown}."
    )


def test_the_weekly_level_limit_says_how_many_levels():
    history = LadderHistory(level_ups=(LevelUp(day(8), 2),))
    result = settle(pending_state(level=3, completions=1, run_offset=9), morning(10), history)
    assert result.summary == (
        "level 3 completed 2 times, but at most 2 levels up in any 7 days: hold."
    )
    assert (result.level, result.completions, result.levels_up) == (3, 2, 0)


def test_a_clinic_that_asks_for_three_completions_shows_three():
    thresholds = DEFAULTS.with_overrides({"ladder_completions_to_progress": 3})
    result = settle(pending_state(level=3, completions=1), morning(1), thresholds=thresholds)
    assert result.summary == f"{SETTLED} level 3 completed 2 of 3 times."


# --- Past the last level ------------------------------------------------------------------------


def test_past_the_last_level_each_step_says_the_new_duration_and_why():
    first = beyond(target=None, run_minutes=30)
    assert first.summary == (
        f"{SETTLED_DAY_20} Next: run 33 minutes without stopping (from 30; at most 10 % over "
        "the longest run of the last 30 days, 30 minutes). Change nothing else this week."
    )
    later = beyond(target=33, run_minutes=34)
    assert later.summary == (
        f"{SETTLED_DAY_20} Next: run 37 minutes without stopping (from 33; at most 10 % over "
        "the longest run of the last 30 days, 34 minutes). Change nothing else this week."
    )
    assert (later.level, later.completions, later.state.target_minutes) == (8, 0, 37)


def test_past_the_last_level_a_count_names_the_minutes():
    result = beyond(target=33, run_minutes=33, completions=0)
    assert result.summary == f"{SETTLED_DAY_20} 33 continuous minutes completed 1 of 2 times."


def test_past_the_last_level_one_change_a_week_names_the_last_change():
    result = beyond(target=33, run_minutes=33, changes=(14, 18))
    assert result.summary == (
        f"{SETTLED_DAY_20} One change at a time: the last change was on 2025-03-28, so hold for "
        "a week after it."
    )
    assert (result.completions, result.state.target_minutes) == (2, 33)


def test_past_the_last_level_the_cap_names_the_longest_run():
    thresholds = DEFAULTS.with_overrides({"ladder_duration_increase_max": 0.2})
    state = pending_state(level=8, completions=1, target=43, run_offset=20)
    history = LadderHistory(runs=(RunDay(day(20), 8, 36),))
    result = settle(state, morning(21), history, thresholds=thresholds)
    assert result.summary == (
        f"{SETTLED_DAY_20} The longest run of the last 30 days is 36 minutes; 43 minutes is "
        "already as long as a 20 % step allows."
    )


def test_past_the_last_level_a_clinics_step_is_shown_as_its_nearest_whole_percent():
    thresholds = DEFAULTS.with_overrides({"ladder_duration_increase_max": 0.144})
    state = pending_state(level=8, completions=1, run_offset=20)
    history = LadderHistory(runs=(RunDay(day(20), 8, 50),))
    result = settle(state, morning(21), history, thresholds=thresholds)
    assert result.summary == (
        f"{SETTLED_DAY_20} Next: run 57 minutes without stopping (from 30; at most 14 % over "
        "the longest run of the last 30 days, 50 minutes). Change nothing else this week."
    )


@pytest.mark.parametrize(
    ("offset", "minutes", "longest"),
    [(-9, 50, 30), (-8, 50, 50), (21, 50, 50), (22, 50, 30)],
)
def test_the_longest_run_is_of_the_30_days_up_to_the_morning(offset, minutes, longest):
    """The settling morning is day 21: the 30 days are offsets -8..21."""
    result = beyond(target=None, run_minutes=30, runs=(RunDay(day(offset), 8, minutes),))
    assert f"the longest run of the last 30 days, {longest} minutes" in result.summary


def test_runs_without_minutes_do_not_make_the_longest_run():
    result = beyond(target=None, run_minutes=30, runs=(RunDay(day(19), 8, None),))
    assert result.state.target_minutes == 33


# --- Pauses: the reason the therapist reads -------------------------------------------------------


@pytest.mark.parametrize(
    ("symptoms", "reason", "shown"),
    [
        (
            ("cannot_bear_weight",),
            "red_flag_emergency",
            "Red flag (emergency symptom reported: cannot bear weight): running is paused until "
            "your therapist resumes it.",
        ),
        (
            ("giving_way",),
            "red_flag_mechanical",
            "Red flag (mechanical symptom reported: giving way): running is paused until your "
            "therapist resumes it.",
        ),
    ],
)
def test_a_red_flag_without_a_run_pauses_with_its_reason(symptoms, reason, shown):
    state = pending_state(level=3, completions=1)
    decisions = on_check_in(state, morning(0, hour=9, symptoms=symptoms))
    assert [(d.step, d.action) for d in decisions] == [(Step.SYMPTOMS, Action.PAUSE)]
    paused = decisions[0]
    assert paused.state.paused and paused.state.pause_reason == reason
    assert (paused.level, paused.completions) == (3, 0)
    assert paused.before == state and paused.summary == shown
    assert paused.reasons[0].code == reason


def test_a_red_flag_without_a_run_while_paused_keeps_the_first_reason():
    state = LadderState(level=3, paused=True, pause_reason="therapist")
    assert on_check_in(state, morning(0, hour=9, symptoms=("locking",))) == []


def test_an_escalation_pauses_with_its_reason():
    state = LadderState(level=3, completions=1)
    decisions = on_check_in(state, CheckInFacts(recorded_at=at(0, 9), pain_rest=7))
    assert len(decisions) == 1
    paused = decisions[0]
    assert (paused.step, paused.action, paused.state.pause_reason) == (
        Step.PAUSE,
        Action.PAUSE,
        "escalation",
    )
    assert (paused.level, paused.completions, paused.before) == (3, 0, state)
    assert paused.summary == (
        "Running paused: pain_severe was escalated to your therapist, who resumes it."
    )


def test_a_red_flag_run_with_severe_pain_pauses_once_for_the_red_flag():
    decisions = on_check_in(LadderState(level=4), run(0, level=4, during=8, symptoms=("locking",)))
    assert [(d.step, d.action) for d in decisions] == [(Step.RUN, Action.PAUSE)]
    assert decisions[0].state.pause_reason == "red_flag_mechanical"


def test_a_step_back_then_an_escalation_shows_both_and_keeps_the_lower_level():
    decisions = on_check_in(LadderState(level=4, completions=1), run(0, level=4, during=8))
    assert [d.summary for d in decisions] == [
        "Running pain 8 is above 5 (high risk). Back one level, to level 3.",
        "Running paused: pain_severe was escalated to your therapist, who resumes it.",
    ]
    assert decisions[1].before == decisions[0].state
    assert (decisions[1].level, decisions[1].completions) == (3, 0)


# --- The ladder's bookkeeping: the count, the pending run, through steps back and pauses ---------


def test_after_a_step_back_the_count_starts_again_at_the_lower_level():
    """Level 4 with one completion; a run hurts (back to 3); the next easy run at 3 is the first
    of two there, not the second."""
    driver = LadderDriver(state=LadderState(level=4, completions=1))
    driver.apply(run(0, level=4, during=6))
    assert (driver.state.level, driver.state.completions, driver.state.paused) == (3, 0, False)
    driver.apply(run(2, level=3))
    _, decisions = driver.apply(morning(3))
    assert decisions[0].summary == (
        "Pain after the run of 2025-03-12 settled by the morning. level 3 completed 1 of 2 times."
    )


def test_after_a_morning_that_did_not_settle_the_count_starts_again():
    driver = LadderDriver(state=LadderState(level=4, completions=1))
    driver.apply(run(0, level=4))
    _, decisions = driver.apply(morning(1, pain=3))
    assert decisions[0].action == Action.STEP_BACK
    assert (driver.state.level, driver.state.completions, driver.state.pending) == (3, 0, None)


def test_a_run_awaiting_its_morning_when_running_was_paused_never_counts_after_resuming():
    """The patient ran, then the therapist paused running and resumed it the same evening: the
    resumed ladder shows no run awaiting the morning after, and that morning counts nothing."""
    driver = LadderDriver(state=LadderState(level=3, completions=1))
    driver.apply(run(0, level=3))
    assert driver.state.pending is not None
    driver.state = state_paused(driver.state, reason="therapist")
    assert (driver.state.pause_reason, driver.state.completions) == ("therapist", 0)
    assert driver.state.pending is not None  # still recorded while paused
    driver.resume()
    assert driver.state.pending is None and driver.state.pause_reason == ""
    _, decisions = driver.apply(morning(1))
    assert decisions[0].counted is False and driver.state.completions == 0
    assert "your therapist has changed the ladder since" in decisions[0].summary


def test_a_therapist_level_change_clears_the_target_the_count_and_the_pending_run():
    state = pending_state(level=8, completions=1, target=40)
    new = state_with_level(state, level=6, ladder=DEFAULT_LADDER)
    assert (new.level, new.completions, new.target_minutes, new.pending) == (6, 0, None, None)
    assert (
        run_plan(
            state=new, history=LadderHistory(), ladder=DEFAULT_LADDER, thresholds=T, today=day(5)
        ).session
        == DEFAULT_LADDER[5]
    )


def test_a_therapist_cannot_set_a_level_outside_the_ladder():
    with pytest.raises(ValueError) as refused:
        state_with_level(LadderState(level=3), level=9, ladder=DEFAULT_LADDER)
    assert str(refused.value) == "The ladder has levels 1 to 8."


def test_pause_and_resume_refuse_the_wrong_state_with_a_message():
    with pytest.raises(ValueError) as refused:
        state_resumed(LadderState(level=3))
    assert str(refused.value) == "The ladder is not paused."
    paused = state_paused(LadderState(level=3), reason="escalation")
    assert paused.pause_reason == "escalation"
    with pytest.raises(ValueError) as refused:
        state_paused(paused, reason="therapist")
    assert str(refused.value) == "The ladder is already paused."


# --- Today's plan and the sessions -------------------------------------------------------------


def test_what_todays_plan_says():
    ladder, empty = DEFAULT_LADDER, LadderHistory()
    not_started = run_plan(state=None, history=empty, ladder=ladder, thresholds=T, today=day(0))
    assert [r.detail for r in not_started.reasons] == [
        "Your therapist has not started running yet."
    ]
    paused = run_plan(
        state=LadderState(level=3, paused=True),
        history=empty,
        ladder=ladder,
        thresholds=T,
        today=day(0),
    )
    assert [r.detail for r in paused.reasons] == [
        "Running is paused until your therapist resumes it."
    ]
    done = run_plan(
        state=LadderState(level=8, target_minutes=36),
        history=LadderHistory(runs=(RunDay(day(0), 8, 36),)),
        ladder=ladder,
        thresholds=T,
        today=day(0),
    )
    assert (done.status, done.session, done.target_minutes) == ("done", ladder[7], 36)
    assert [r.detail for r in done.reasons] == ["You have run today: one run a day."]
    rest = run_plan(
        state=LadderState(level=3),
        history=LadderHistory(runs=(RunDay(day(1), 3, 15),)),
        ladder=ladder,
        thresholds=T,
        today=day(0),
    )
    assert (rest.status, rest.session, rest.run_day) == ("rest", None, False)
    assert [r.detail for r in rest.reasons] == [
        "No runs on consecutive days at levels 1-4: there is a run on 2025-03-11."
    ]


def test_a_level_past_the_ladder_shows_the_last_session():
    plan = run_plan(
        state=LadderState(level=12),
        history=LadderHistory(),
        ladder=DEFAULT_LADDER,
        thresholds=T,
        today=day(0),
    )
    assert plan.session == DEFAULT_LADDER[-1]


def test_consecutive_days_name_the_neighbouring_run():
    before = run_days_blockers(day=day(5), level=2, runs=[RunDay(day(4), 2)], thresholds=T)
    after = run_days_blockers(day=day(5), level=2, runs=[RunDay(day(6), 2)], thresholds=T)
    assert [r.detail for r in before] == [
        "No runs on consecutive days at levels 1-4: there is a run on 2025-03-14."
    ]
    assert [r.detail for r in after] == [
        "No runs on consecutive days at levels 1-4: there is a run on 2025-03-16."
    ]


def test_two_runs_on_a_neighbouring_day_are_judged_by_the_lower_level():
    runs = [RunDay(day(4), 6), RunDay(day(4), 3)]
    assert [r.code for r in run_days_blockers(day=day(5), level=6, runs=runs, thresholds=T)] == [
        "ladder_no_consecutive_days"
    ]
    runs = [RunDay(day(4), 3), RunDay(day(4), 6)]
    assert [r.code for r in run_days_blockers(day=day(5), level=6, runs=runs, thresholds=T)] == [
        "ladder_no_consecutive_days"
    ]


@pytest.mark.parametrize(
    ("level", "shown", "running", "continuous"),
    [
        (
            LadderLevel(1, 1, 2, 6),
            "Run 1 min, walk 2 min; do this 6 times (6 minutes of running).",
            6,
            False,
        ),
        (
            LadderLevel(5, 8, 1, 3),
            "Run 8 min, walk 1 min; do this 3 times (24 minutes of running).",
            24,
            False,
        ),
        (LadderLevel(7, 20, 0, 1), "Run 20 minutes without stopping.", 20, True),
        (
            LadderLevel(7, 10, 0, 2),
            "Run 10 min, walk 0 min; do this 2 times (20 minutes of running).",
            20,
            False,
        ),
        (
            LadderLevel(7, 10, 1, 1),
            "Run 10 min, walk 1 min; do this 1 times (10 minutes of running).",
            10,
            False,
        ),
    ],
)
def test_each_session_reads_as_the_patient_runs_it(level, shown, running, continuous):
    assert level.describe() == shown
    assert (level.running_minutes, level.continuous) == (running, continuous)


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ((), "A ladder needs at least one level."),
        ((LadderLevel(2, 1, 1, 1),), "Ladder levels must be numbered 1..n in order."),
        (
            (LadderLevel(1, 1, 1, 1), LadderLevel(3, 1, 1, 1)),
            "Ladder levels must be numbered 1..n in order.",
        ),
        ((LadderLevel(1, 0, 1, 1),), "Level 1 has an impossible session."),
        ((LadderLevel(1, 1, 1, 0),), "Level 1 has an impossible session."),
        ((LadderLevel(1, 1, -1, 1),), "Level 1 has an impossible session."),
        ((LadderLevel(1, 1, 1, 1), LadderLevel(2, 0, 1, 1)), "Level 2 has an impossible session."),
    ],
)
def test_a_clinics_ladder_is_refused_with_the_reason(levels, message):
    with pytest.raises(ValueError) as refused:
        ladder_validate(levels)
    assert str(refused.value) == message


def test_the_smallest_possible_sessions_are_accepted():
    ladder_validate((LadderLevel(1, 1, 0, 1), LadderLevel(2, 1, 0, 1)))
    ladder_validate(DEFAULT_LADDER)


# --- What the ladder remembers from one check-in to the next ----------------------------------


def test_two_escalated_findings_are_both_named():
    past = [CheckInFacts(recorded_at=at(-days, 9), pain_rest=1) for days in (3, 2, 1)]
    decisions = on_check_in(
        LadderState(level=3), CheckInFacts(recorded_at=at(0, 9), pain_rest=8), past
    )
    assert [d.summary for d in decisions] == [
        "Running paused: pain_severe, pain_rising was escalated to your therapist, who resumes it."
    ]
    assert decisions[0].day == day(0)


def test_a_red_flag_morning_is_dated_on_its_day():
    decisions = on_check_in(LadderState(level=3), morning(4, hour=9, symptoms=("locking",)))
    assert decisions[0].day == day(4)


def test_a_run_decision_is_dated_on_the_runs_day():
    result = decide(LadderState(level=3), run(6, level=3))
    assert result.day == day(6) and result.run == RunDay(day(6), 3, 15)


def test_a_check_in_without_a_run_is_not_a_run_decision():
    with pytest.raises(ValueError) as refused:
        decide(LadderState(level=1), morning(0))
    assert str(refused.value) == "ladder_decide judges a check-in that reports a run."


def test_a_run_reported_with_the_morning_that_moved_the_level_says_why_it_does_not_count():
    state = pending_state(level=5, completions=1, run_offset=0, run_hour=8)

    decisions = on_check_in(
        state, run(1, level=6, hour=8, pain_morning=1), [pending_run_facts(state)]
    )
    assert decisions[1].summary == (
        "This check-in's morning pain changed the level, so this run of the earlier session does "
        "not count."
    )


def test_levels_gained_this_week_hold_the_third():
    """A clinic that progresses after one completion: two levels up on days 1 and 2, then the
    third completion on day 3 holds at level 7."""
    thresholds = DEFAULTS.with_overrides({"ladder_completions_to_progress": 1})
    driver = LadderDriver(thresholds, LadderState(level=5))
    for offset, level in ((0, 5), (1, 6), (2, 7)):
        driver.apply(run(offset, level=level, hour=18))
        _, decisions = driver.apply(morning(offset + 1, hour=7))
    assert decisions[0].summary == (
        "level 7 completed 1 times, but at most 2 levels up in any 7 days: hold."
    )
    assert driver.state.level == 7


def test_run_days_reported_this_week_make_the_fifth_not_count():
    driver = LadderDriver(state=LadderState(level=6))
    for offset in range(4):
        driver.apply(run(offset, level=6, hour=18))
    _, decisions = driver.apply(run(4, level=6, hour=18))
    assert decisions[-1].codes == ["ladder_run_days_limit"]


def test_past_the_last_level_a_week_passes_between_two_duration_steps():
    """Target 33 minutes, one completion a step: a step on day 1 (to 36), a completion on day 4
    holds, a completion on day 8 steps again (to 39)."""
    thresholds = DEFAULTS.with_overrides({"ladder_completions_to_progress": 1})
    driver = LadderDriver(thresholds, LadderState(level=8, target_minutes=33))
    actions = []
    for offset, minutes in ((0, 33), (3, 36), (7, 36)):
        driver.apply(run(offset, level=8, minutes=minutes, hour=18))
        _, decisions = driver.apply(morning(offset + 1, hour=7))
        actions.append((decisions[0].action, decisions[0].state.target_minutes))
    assert actions == [(Action.PROGRESS, 36), (Action.HOLD, 36), (Action.PROGRESS, 39)]


def test_past_the_last_level_a_count_that_moves_nothing_does_not_start_the_week():
    """Two completions a step: the first completion (day 1) changes nothing, so the second
    (day 3) may step up."""
    driver = LadderDriver(state=LadderState(level=8, target_minutes=33))
    for offset in (0, 2):
        driver.apply(run(offset, level=8, minutes=33, hour=18))
        _, decisions = driver.apply(morning(offset + 1, hour=7))
    assert (decisions[0].action, decisions[0].state.target_minutes) == (Action.PROGRESS, 36)


def test_past_the_last_level_without_a_recorded_run_the_longest_is_0_minutes():
    state = pending_state(level=8, completions=1, target=33, run_offset=20)
    result = settle(state, morning(21), LadderHistory())
    assert result.summary == (
        f"{SETTLED_DAY_20} The longest run of the last 30 days is 0 minutes; 33 minutes is "
        "already as long as a 10 % step allows."
    )


def test_the_codes_a_partner_app_reads_with_each_step():
    back = decide(LadderState(level=3), run(level=3, during=6))
    assert back.codes == ["pain_above_acceptable", "ladder_step_back"]
    first = decide(LadderState(level=1), run(level=1, during=6))
    assert first.codes == ["pain_above_acceptable", "ladder_step_back"]
    beyond_back = decide(
        LadderState(level=8, target_minutes=36), run(level=8, minutes=36, during=6)
    )
    assert beyond_back.codes == ["pain_above_acceptable", "ladder_step_back"]
    assert beyond(target=None, run_minutes=30).codes == ["ladder_duration_up"]


def test_the_run_awaiting_its_morning_keeps_its_time():
    report = run(2, level=3, hour=17.5)
    assert decide(LadderState(level=3), report).state.pending.recorded_at == report.recorded_at


def test_a_resumed_ladder_is_running_again():
    resumed = state_resumed(state_paused(LadderState(level=3), reason="therapist"))
    assert (
        resumed.paused is False
        and run_plan(
            state=resumed,
            history=LadderHistory(),
            ladder=DEFAULT_LADDER,
            thresholds=T,
            today=day(0),
        ).status
        == "run"
    )


def test_a_duration_step_is_recorded_as_a_change_of_duration():
    thresholds = DEFAULTS.with_overrides({"ladder_completions_to_progress": 1})
    driver = LadderDriver(thresholds, LadderState(level=8, target_minutes=33))
    driver.apply(run(0, level=8, minutes=33, hour=18))
    driver.apply(morning(1, hour=7))
    assert [(c.day, c.variable) for c in driver.history.variable_changes] == [(day(1), "duration")]


@pytest.mark.parametrize("symptom", ["cannot_bear_weight", "giving_way"])
def test_a_red_flag_morning_after_a_run_pauses_without_moving_up(symptom):
    """The run before it settled, but the morning brings a red flag: it does not earn the
    completion that would have moved the ladder up; running pauses at the same level."""
    state = pending_state(level=3, completions=1)
    report = morning(1, symptoms=(symptom,))
    decisions = on_check_in(state, report, [pending_run_facts(state)])
    assert [(d.step, d.action) for d in decisions] == [
        (Step.SETTLE, Action.HOLD),
        (Step.SYMPTOMS, Action.PAUSE),
    ]
    assert decisions[0].summary == (
        f"{SETTLED} Hold: this check-in reports running pain above the acceptable or a red "
        "flag, so it does not count."
    )
    assert (decisions[0].level, decisions[0].completions, decisions[0].levels_up) == (3, 1, 0)
    assert decisions[-1].level == 3 and decisions[-1].state.paused


# --- What the ladder's history shows of each morning after ----------------------------------------
#
# Each decision becomes an event of the ladder's history (the console and the partner API show
# its codes, the level before and after, whether the run's pain settled and whether it counted);
# the run's own event is updated to show what became of it (`settled_run`).


def _morning_after(case):
    weekly = LadderHistory(level_ups=(LevelUp(day(8), 2),))
    cases = {
        "not_settled": (pending_state(level=3, completions=1), morning(1, pain=3), EMPTY),
        "does_not_count": (
            pending_state(level=3, completions=1, qualifies=False),
            morning(1),
            EMPTY,
        ),
        "completed": (pending_state(level=3), morning(1), EMPTY),
        "weekly_limit": (pending_state(level=3, completions=1, run_offset=9), morning(10), weekly),
        "progress": (pending_state(level=3, completions=1), morning(1), EMPTY),
    }
    state, report, history = cases[case]
    return state, settle(state, report, history)


@pytest.mark.parametrize(
    ("case", "codes", "settled", "counted", "levels"),
    [
        ("not_settled", ["pain_not_settled", "ladder_step_back"], False, False, (3, 2)),
        ("does_not_count", ["ladder_settled"], True, False, (3, 3)),
        ("completed", ["ladder_completed"], True, True, (3, 3)),
        ("weekly_limit", ["ladder_weekly_level_limit"], True, True, (3, 3)),
        ("progress", ["ladder_progress"], True, True, (3, 4)),
    ],
)
def test_the_history_shows_whether_the_run_settled_and_counted(
    case, codes, settled, counted, levels
):
    state, result = _morning_after(case)
    assert result.codes == codes
    assert (result.settled, result.counted) == (settled, counted)
    assert (result.before.level, result.level) == levels
    assert result.before == state
    # The run's own entry shows the same.
    assert (result.settled_run.settled, result.settled_run.counted) == (settled, counted)
    assert result.settled_run.check_in_id == state.pending.check_in_id


@pytest.mark.parametrize(
    ("target", "run_minutes", "changes", "codes", "new_target"),
    [
        (None, 30, (), ["ladder_duration_up"], 33),
        (33, 33, (14, 18), ["ladder_one_variable_per_week"], 33),
        (36, 30, (), ["ladder_duration_cap"], 36),
    ],
)
def test_past_the_last_level_the_history_shows_the_run_settled_and_counted(
    target, run_minutes, changes, codes, new_target
):
    result = beyond(target=target, run_minutes=run_minutes, changes=changes)
    assert result.codes == codes
    assert (result.settled, result.counted) == (True, True)
    assert (result.before.level, result.before.target_minutes) == (8, target)
    assert result.state.target_minutes == new_target
    assert (result.settled_run.settled, result.settled_run.counted) == (True, True)
    assert result.settled_run.day == day(20)
