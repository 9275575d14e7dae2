"""patients.rules.reminder_decision: each rule, their order, and the edges of each."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from patients.models import ReminderSkipReason
from patients.rules.reminder_decision import (
    Postpone,
    Send,
    Skip,
    SkipReason,
    reminder_decision,
)
from patients.rules.reminder_schedule import Schedule

pytestmark = pytest.mark.pure

BERLIN = ZoneInfo("Europe/Berlin")
EVERY_DAY = 0b1111111
# Quiet 22:00-08:00 Berlin; the slot of 2 June 2025 (CEST, UTC+2) due at 18:00 local.
SCHEDULE = Schedule(
    weekdays=EVERY_DAY,
    at=time(18, 0),
    timezone="Europe/Berlin",
    quiet_start=time(22, 0),
    quiet_end=time(8, 0),
)
SLOT_ON = date(2025, 6, 2)
MAX_DELAY = timedelta(minutes=90)
ONE = timedelta(microseconds=1)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


DUE = berlin(2025, 6, 2, 18, 0)
DAY_START = berlin(2025, 6, 2, 0, 0)


def decide(**overrides):
    inputs = {
        "now": DUE,
        "due": DUE,
        "slot_on": SLOT_ON,
        "schedule": SCHEDULE,
        "discharged": False,
        "paused": False,
        "max_delay": MAX_DELAY,
        "last_check_in_at": None,
        "has_channel": True,
    }
    return reminder_decision(**inputs | overrides)


def test_a_slot_due_exactly_now_is_sent():
    assert decide() == Send()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"discharged": True}, SkipReason.DISCHARGED),
        ({"paused": True}, SkipReason.PAUSED),
        ({"now": DUE + MAX_DELAY + ONE}, SkipReason.LATE),
        ({"last_check_in_at": DAY_START + timedelta(hours=7)}, SkipReason.CHECKED_IN),
        ({"has_channel": False}, SkipReason.NO_CHANNEL),
    ],
)
def test_each_skip_rule_on_its_own(overrides, reason):
    assert decide(**overrides) == Skip(reason)


def test_exactly_the_maximum_delay_late_is_still_sent():
    assert decide(now=DUE + MAX_DELAY) == Send()


def test_a_reminder_due_exactly_when_quiet_hours_start_waits_for_their_end():
    start = berlin(2025, 6, 2, 22, 0)
    decision = decide(due=start, now=start)
    assert decision == Postpone(until=berlin(2025, 6, 3, 8, 0))  # the same slot, next morning


def test_just_before_quiet_hours_and_at_their_end_the_reminder_is_sent():
    assert decide(due=berlin(2025, 6, 2, 22, 0) - ONE, now=berlin(2025, 6, 2, 22, 0) - ONE) == (
        Send()
    )
    morning = berlin(2025, 6, 3, 8, 0)
    assert decide(due=morning, now=morning) == Send()  # [start, end): the end is outside


def test_quiet_hours_after_midnight_end_the_same_morning():
    now = berlin(2025, 6, 3, 6, 30)
    assert decide(due=now, now=now) == Postpone(until=berlin(2025, 6, 3, 8, 0))


def test_no_quiet_hours_when_both_ends_are_equal():
    always = Schedule(
        weekdays=EVERY_DAY,
        at=time(23, 0),
        timezone="Europe/Berlin",
        quiet_start=time(22, 0),
        quiet_end=time(22, 0),
    )
    late_evening = berlin(2025, 6, 2, 23, 0)
    assert decide(schedule=always, due=late_evening, now=late_evening) == Send()


def test_a_check_in_at_the_very_start_of_the_slots_local_day_counts():
    assert decide(last_check_in_at=DAY_START) == Skip(SkipReason.CHECKED_IN)
    assert decide(last_check_in_at=DAY_START - ONE) == Send()  # the evening before


def test_the_slots_local_day_is_its_own_date_not_nows():
    # Postponed past midnight by quiet hours: the slot is still 2 June's, so a check-in late
    # on 2 June already counts when it goes out at 08:00 on 3 June.
    morning = berlin(2025, 6, 3, 8, 0)
    assert decide(due=morning, now=morning, last_check_in_at=berlin(2025, 6, 2, 23, 30)) == Skip(
        SkipReason.CHECKED_IN
    )


def test_the_local_day_follows_the_patients_time_zone_across_dst():
    # 30 March 2025: Berlin moves to CEST; the local day began at 00:00 CET (23:00 UTC).
    day_start = datetime(2025, 3, 29, 23, 0, tzinfo=UTC)
    due = berlin(2025, 3, 30, 18, 0)
    common = {"slot_on": date(2025, 3, 30), "due": due, "now": due}
    assert decide(**common, last_check_in_at=day_start) == Skip(SkipReason.CHECKED_IN)
    assert decide(**common, last_check_in_at=day_start - ONE) == Send()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        # Discharged before paused before late, whatever else holds.
        ({"discharged": True, "paused": True, "now": DUE + 2 * MAX_DELAY}, SkipReason.DISCHARGED),
        ({"paused": True, "now": DUE + 2 * MAX_DELAY}, SkipReason.PAUSED),
        # Late before quiet hours: a slot hours late is skipped, not postponed.
        ({"due": berlin(2025, 6, 2, 18, 0), "now": berlin(2025, 6, 2, 23, 0)}, SkipReason.LATE),
        # Checked in before no channel.
        ({"last_check_in_at": DUE, "has_channel": False}, SkipReason.CHECKED_IN),
    ],
)
def test_the_first_rule_that_holds_decides(overrides, reason):
    assert decide(**overrides) == Skip(reason)


def test_quiet_hours_postpone_before_the_check_in_and_channel_rules():
    start = berlin(2025, 6, 2, 22, 0)
    decision = decide(due=start, now=start, last_check_in_at=DUE, has_channel=False)
    assert decision == Postpone(until=berlin(2025, 6, 3, 8, 0))


def test_the_skip_reasons_are_those_a_reminder_stores():
    assert {reason.value for reason in SkipReason} == set(ReminderSkipReason.values)
