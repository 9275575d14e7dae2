"""Property: reminder slots move forward one date at a time, on the schedule's weekdays.

Left out of `make mutation` (not marked `pure`): it draws 200 schedules and takes a second
where the tests of tests/patients/test_reminder_schedule.py take milliseconds.
"""

from datetime import UTC, datetime, time
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.patients.test_reminder_schedule import EVERY_DAY, schedule, slots


@settings(max_examples=200, deadline=None)
@given(
    tz=st.sampled_from(["America/Chicago", "Europe/Berlin", "Australia/Lord_Howe", "UTC"]),
    minutes=st.integers(min_value=0, max_value=24 * 60 - 1),
    weekdays=st.integers(min_value=1, max_value=EVERY_DAY),
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
)
def test_slots_move_forward_one_date_at_a_time(tz, minutes, weekdays, start):
    s = schedule(tz, time(minutes // 60, minutes % 60), weekdays)
    found = slots(s, start, 5)
    for earlier, later in pairwise(found):
        assert later.on > earlier.on
        assert later.due_at > earlier.due_at
    assert all(s.on_weekday(slot.on) for slot in found)
    assert found[0].due_at > start
