"""The caseload's monitoring mark (`monitoring.rules.nearness`), pure: when a patient is close
to the next code, what the therapist reads, e.g. "needs 3 more data days by 30 Mar (98977)"
(`days_needed`, `needed_by`, `device_code`) or "12 of 20 minutes (98980)" (`minutes`,
`minutes_target`, `management_code`). The codes are the 2026 table."""

from datetime import date

import pytest

from monitoring import rules
from tests.monitoring.test_rules import CODES_2026

pytestmark = pytest.mark.pure

MARCH_1 = date(2026, 3, 1)


def near(*, today, data_days=0, minutes=0, interactive=0, started=MARCH_1):
    return rules.nearness(
        started_on=started,
        today=today,
        data_days=data_days,
        minutes=minutes,
        interactive_count=interactive,
        rules=CODES_2026,
    )


def device_mark(result):
    return None if result is None else (result.days_needed, result.needed_by, result.device_code)


def minutes_mark(result):
    return (
        None if result is None else (result.minutes, result.minutes_target, result.management_code)
    )


@pytest.mark.parametrize(
    ("data_days", "today", "mark"),
    [
        # Period 1 Mar-30 Mar; 98977 needs 16 data days, 98985 needs 2.
        (11, date(2026, 3, 20), (5, date(2026, 3, 30), "98977")),
        (13, date(2026, 3, 20), (3, date(2026, 3, 30), "98977")),
        (15, date(2026, 3, 30), (1, date(2026, 3, 30), "98977")),  # the last day still counts
        (0, date(2026, 3, 1), (2, date(2026, 3, 30), "98985")),
        (1, date(2026, 3, 29), (1, date(2026, 3, 30), "98985")),
        (10, date(2026, 3, 20), None),  # 6 short: not close
        (13, date(2026, 3, 29), None),  # 3 short with 2 days left: out of reach
        (16, date(2026, 3, 20), None),  # 98977 reached: nothing higher
    ],
)
def test_a_device_period_close_to_its_next_code(data_days, today, mark):
    assert device_mark(near(today=today, data_days=data_days)) == mark


@pytest.mark.parametrize(
    ("today", "needed_by"),
    [
        # Started 20 January: periods 20 Jan-18 Feb, 19 Feb-20 Mar, 21 Mar-19 Apr.
        (date(2026, 2, 18), date(2026, 2, 18)),
        (date(2026, 2, 19), date(2026, 3, 20)),
        (date(2026, 3, 20), date(2026, 3, 20)),
        (date(2026, 3, 21), date(2026, 4, 19)),
        (date(2026, 4, 19), date(2026, 4, 19)),
    ],
)
def test_the_mark_speaks_of_the_running_period(today, needed_by):
    result = near(today=today, data_days=1, started=date(2026, 1, 20))
    assert device_mark(result) == (1, needed_by, "98985")


def test_nothing_before_the_episode_starts():
    assert near(today=date(2026, 2, 28), data_days=1, minutes=9, interactive=1) is None


@pytest.mark.parametrize(
    ("minutes", "interactive", "mark"),
    [
        (1, 0, (1, 10, "98979")),
        (9, 1, (9, 10, "98979")),
        (10, 1, (10, 20, "98980")),  # 10 short: still close
        (12, 1, (12, 20, "98980")),
        (19, 1, (19, 20, "98980")),
        (0, 0, None),  # no time recorded yet: no mark
        (20, 1, None),  # 98980 reached: no higher management code
        (45, 1, None),
    ],
)
def test_management_minutes_close_to_the_next_code(minutes, interactive, mark):
    # Day 1 of the period with 2 data days already: the device code is reached, no device mark.
    result = near(today=MARCH_1, data_days=2, minutes=minutes, interactive=interactive)
    assert minutes_mark(result) == mark
    if result is not None:
        assert device_mark(result) == (None, None, None)


def test_both_marks_at_once():
    result = near(today=date(2026, 3, 20), data_days=13, minutes=12, interactive=1)
    assert device_mark(result) == (3, date(2026, 3, 30), "98977")
    assert minutes_mark(result) == (12, 20, "98980")


def test_a_device_mark_without_minutes_names_no_management_code():
    result = near(today=date(2026, 3, 20), data_days=13, minutes=0)
    assert device_mark(result) == (3, date(2026, 3, 30), "98977")
    assert minutes_mark(result) == (0, None, None)
