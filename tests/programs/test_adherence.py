"""programs.rules.adherence: what share of due exercise sessions were reported done."""

from datetime import date, timedelta

import pytest

from programs.rules.adherence import (
    Adherence,
    ProgramSpan,
    adherence,
    caseload_window,
    exercise_weekdays,
)

pytestmark = pytest.mark.pure

MONDAY = date(2026, 11, 2)  # a Monday
WEEK = (MONDAY, MONDAY + timedelta(days=6))


def days(*offsets: int) -> list[date]:
    return [MONDAY + timedelta(days=o) for o in offsets]


def test_every_due_session_done_is_100_percent():
    span = ProgramSpan(start=MONDAY, end=None, items=((1, 3), (2, 7)))
    done = {d: {1, 2} for d in days(0, 2, 4)} | {d: {2} for d in days(1, 3, 5, 6)}
    result = adherence(spans=[span], completed=done, first=WEEK[0], last=WEEK[1])
    assert (result.done, result.due, result.ratio) == (10, 10, 1.0)


def test_a_session_done_on_another_day_counts_and_extra_sessions_are_capped():
    # Item 1 is due Mon/Wed/Fri: done Tue, Thu and every day after: 3 of 3, not 6 of 3.
    span = ProgramSpan(start=MONDAY, end=None, items=((1, 3),))
    done = {d: {1} for d in days(1, 3, 4, 5, 6)}
    result = adherence(spans=[span], completed=done, first=WEEK[0], last=WEEK[1])
    assert (result.done, result.due) == (3, 3)


def test_extra_sessions_of_one_item_do_not_make_up_for_another():
    span = ProgramSpan(start=MONDAY, end=None, items=((1, 1), (2, 1)))  # both due Monday
    done = {d: {1} for d in days(0, 1, 2)}
    assert adherence(spans=[span], completed=done, first=WEEK[0], last=WEEK[1]).ratio == 0.5


def test_nothing_due_gives_no_figure_not_zero():
    assert adherence(spans=[], completed={}, first=WEEK[0], last=WEEK[1]).ratio is None
    later = ProgramSpan(start=MONDAY + timedelta(days=10), end=None, items=((1, 7),))
    assert adherence(spans=[later], completed={}, first=WEEK[0], last=WEEK[1]).due == 0


def test_a_replaced_version_counts_until_the_day_it_was_replaced():
    old = ProgramSpan(start=MONDAY - timedelta(days=30), end=days(3)[0], items=((1, 7),))
    new = ProgramSpan(start=days(3)[0], end=None, items=((2, 7),))
    done = {d: {1} for d in days(0, 1, 2)} | {d: {2} for d in days(3)}
    result = adherence(spans=[old, new], completed=done, first=WEEK[0], last=WEEK[1])
    assert (result.done, result.due) == (4, 7)  # old Mon-Wed 3/3, new Thu-Sun 1/4


@pytest.mark.parametrize(
    ("reported_today", "expected"),
    [
        (True, (MONDAY - timedelta(days=6), MONDAY)),
        (False, (MONDAY - timedelta(days=7), MONDAY - timedelta(days=1))),
    ],
)
def test_the_caseload_window_waits_for_todays_check_in(reported_today, expected):
    assert caseload_window(today=MONDAY, reported_today=reported_today) == expected


def test_ratio_rounds_to_two_places():
    assert Adherence(first=MONDAY, last=MONDAY, done=2, due=3).ratio == 0.67


@pytest.mark.parametrize(
    ("days_per_week", "weekdays"),
    [
        (1, {0}),  # Monday
        (2, {0, 3}),  # Monday, Thursday
        (3, {0, 2, 4}),  # Monday, Wednesday, Friday
        (4, {0, 1, 3, 5}),  # Monday, Tuesday, Thursday, Saturday
        (7, {0, 1, 2, 3, 4, 5, 6}),
    ],
)
def test_the_sessions_are_due_on_spread_out_weekdays(days_per_week, weekdays):
    """A week of an exercise done `days_per_week` times: what is due, and on which days."""
    span = ProgramSpan(start=MONDAY, end=None, items=((1, days_per_week),))
    assert exercise_weekdays(days_per_week) == weekdays
    due_days = [
        d for d in days(*range(7)) if adherence(spans=[span], completed={}, first=d, last=d).due
    ]
    assert [d.weekday() for d in due_days] == sorted(weekdays)
    assert adherence(spans=[span], completed={}, first=WEEK[0], last=WEEK[1]).due == days_per_week


def test_a_version_in_force_for_one_day_of_the_span_counts_that_day():
    # Started on Sunday, the span's last day: its Sunday session is due.
    sunday = ProgramSpan(start=days(6)[0], end=None, items=((1, 7),))
    result = adherence(spans=[sunday], completed={}, first=WEEK[0], last=WEEK[1])
    assert (result.done, result.due) == (0, 1)


def test_a_version_replaced_before_the_span_does_not_hide_the_current_one():
    old = ProgramSpan(start=MONDAY - timedelta(days=30), end=MONDAY, items=((1, 7),))
    new = ProgramSpan(start=MONDAY, end=None, items=((2, 7),))
    done = {d: {2} for d in days(0, 1)}
    result = adherence(spans=[old, new], completed=done, first=WEEK[0], last=WEEK[1])
    assert (result.done, result.due) == (2, 7)


def test_the_figure_names_the_days_it_covers():
    span = ProgramSpan(start=MONDAY, end=None, items=((1, 7),))
    result = adherence(spans=[span], completed={}, first=WEEK[0], last=WEEK[1])
    assert (result.first, result.last) == WEEK
