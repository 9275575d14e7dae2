"""The weekly limits and today's run plan, table-driven at and around each threshold (pure)."""

import pytest

from clinical.thresholds import DEFAULTS
from programs.rules import (
    LadderHistory,
    LadderState,
    LevelUp,
    RunDay,
    levels_up_allowed,
    run_days_blockers,
    run_plan,
)
from tests.programs.ladder_helpers import DEFAULT_LADDER, T, day, pending_state, run

pytestmark = pytest.mark.pure


def plan(state, runs=(), today=10, thresholds=T):
    history = LadderHistory(runs=tuple(runs))
    return run_plan(
        state=state, history=history, ladder=DEFAULT_LADDER, thresholds=thresholds, today=day(today)
    )


def runs_on(*offsets, level=5):
    return [RunDay(day(offset), level, 24) for offset in offsets]


# --- At most 4 run days in any 7 days --------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "blocked"),
    [
        ((), False),
        ((4, 6, 8), False),
        ((4, 6, 7, 8), True),
        ((3, 5, 7, 8), False),  # day 3 is outside every window holding day 10 ... 4-10
        ((4, 5, 7, 8), True),
        ((12, 14, 15, 16), True),  # windows after today count too (out-of-order reports)
        ((11, 13, 15, 17), False),  # 10-16 holds 10, 11, 13, 15: four
        ((17, 18, 19, 20), False),  # more than 6 days after today
        ((8, 11, 13, 15), False),
        ((8, 9, 11, 12), True),
    ],
)
def test_at_most_4_run_days_in_any_7_days(earlier, blocked):
    reasons = run_days_blockers(day=day(10), level=6, runs=runs_on(*earlier, level=6), thresholds=T)
    codes = [r.code for r in reasons]
    assert ("ladder_run_days_limit" in codes) is blocked


@pytest.mark.parametrize(
    ("limit", "earlier", "blocked"), [(3, (6, 8, 4), True), (5, (4, 6, 7, 8), False)]
)
def test_a_clinic_may_change_the_run_days_limit(limit, earlier, blocked):
    thresholds = DEFAULTS.with_overrides({"ladder_max_run_days_per_week": limit})
    reasons = run_days_blockers(
        day=day(10), level=6, runs=runs_on(*earlier, level=6), thresholds=thresholds
    )
    assert bool(reasons) is blocked


# --- No runs on consecutive days at levels 1-4 -----------------------------------------------


@pytest.mark.parametrize(
    ("level", "neighbour_offset", "neighbour_level", "blocked"),
    [
        (1, -1, 1, True),
        (4, -1, 4, True),
        (4, -2, 4, False),
        (5, -1, 5, False),
        (5, -1, 4, True),  # yesterday was at level 4: still consecutive days at 1-4
        (4, -1, 5, True),  # today would be at level 4
        (5, 1, 4, True),
        (4, 1, 6, True),
        (6, 1, 6, False),
        (8, -1, 8, False),
    ],
)
def test_no_runs_on_consecutive_days_at_levels_1_to_4(
    level, neighbour_offset, neighbour_level, blocked
):
    runs = runs_on(10 + neighbour_offset, level=neighbour_level)
    codes = [r.code for r in run_days_blockers(day=day(10), level=level, runs=runs, thresholds=T)]
    assert ("ladder_no_consecutive_days" in codes) is blocked


@pytest.mark.parametrize(("limit", "level", "blocked"), [(2, 3, False), (2, 2, True), (6, 5, True)])
def test_a_clinic_may_change_the_consecutive_days_level(limit, level, blocked):
    thresholds = DEFAULTS.with_overrides({"ladder_no_consecutive_max_level": limit})
    reasons = run_days_blockers(
        day=day(10), level=level, runs=runs_on(9, level=level), thresholds=thresholds
    )
    assert bool(reasons) is blocked


# --- At most 2 levels up in any 7 days -------------------------------------------------------


@pytest.mark.parametrize(
    ("ups", "levels", "allowed"),
    [
        ((), 1, True),
        ((), 2, True),
        ((), 3, False),
        (((9, 1),), 1, True),
        (((9, 1),), 2, False),
        (((4, 1), (9, 1)), 1, False),
        (((3, 1), (9, 1)), 1, True),
        (((16, 2),), 1, False),  # a later window holding today would have 3
        (((17, 2),), 1, True),
    ],
)
def test_levels_up_in_any_7_days(ups, levels, allowed):
    history = tuple(LevelUp(day(offset), count) for offset, count in ups)
    assert levels_up_allowed(day=day(10), levels=levels, level_ups=history, thresholds=T) is allowed


# --- Today's plan ------------------------------------------------------------------------------


def test_no_ladder_means_no_run():
    result = run_plan(state=None, history=LadderHistory(), ladder=(), thresholds=T, today=day(0))
    assert result.status == "not_started" and not result.run_day and result.session is None


def test_a_paused_ladder_means_no_run():
    result = plan(LadderState(level=3, paused=True))
    assert result.status == "paused" and not result.run_day and result.session is None


def test_a_run_day_with_its_session():
    result = plan(LadderState(level=3))
    assert result.status == "run" and result.run_day
    assert result.session == DEFAULT_LADDER[2]


def test_after_running_today_the_day_is_done():
    result = plan(LadderState(level=5), runs=runs_on(10))
    assert result.status == "done" and result.run_day


@pytest.mark.parametrize(
    ("level", "earlier", "status", "code"),
    [
        (3, (9,), "rest", "ladder_no_consecutive_days"),
        (3, (8,), "run", None),
        (6, (9,), "run", None),
        (6, (5, 7, 8, 9), "rest", "ladder_run_days_limit"),
        (6, (4, 7, 8, 9), "rest", "ladder_run_days_limit"),
        (6, (3, 7, 8, 9), "run", None),
    ],
)
def test_rest_days_honour_the_weekly_limits(level, earlier, status, code):
    result = plan(LadderState(level=level), runs=runs_on(*earlier, level=level))
    assert result.status == status
    if code:
        assert [r.code for r in result.reasons] == [code] and result.session is None


def test_past_the_last_level_the_plan_carries_the_target():
    result = plan(LadderState(level=8, target_minutes=36))
    assert result.status == "run" and result.target_minutes == 36


def test_a_pending_run_does_not_change_the_plan():
    assert plan(pending_state(level=5, run_offset=8)).status == "run"
    assert run(0).ran
