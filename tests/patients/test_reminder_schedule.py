"""Reminder slots as pure functions: weekdays, quiet hours, and the DST gap and fold rules."""

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from patients.rules.reminder_schedule import (
    Schedule,
    in_quiet_hours,
    next_local_midnight,
    next_slot,
    quiet_hours_end,
    slot_due_at,
)

pytestmark = pytest.mark.pure

EVERY_DAY = 0b1111111
NO_QUIET = {"quiet_start": time(0, 0), "quiet_end": time(0, 0)}


def schedule(tz="Europe/Berlin", at=time(19, 0), weekdays=EVERY_DAY, **quiet):
    quiet = quiet or {"quiet_start": time(21, 0), "quiet_end": time(8, 0)}
    return Schedule(weekdays=weekdays, at=at, timezone=tz, **quiet)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def slots(s, start, count):
    out, now, after = [], start, None
    for _ in range(count):
        slot = next_slot(schedule=s, now=now, after_on=after)
        out.append(slot)
        now, after = slot.due_at, slot.on
    return out


@pytest.mark.parametrize(
    ("tz", "at", "day", "expected_utc", "local"),
    [
        # Spring forward: 02:30 does not exist; it is sent at 03:30 local (fold=0).
        ("America/Chicago", time(2, 30), date(2026, 3, 8), utc(2026, 3, 8, 8, 30), "03:30 CDT"),
        ("Europe/Berlin", time(2, 30), date(2026, 3, 29), utc(2026, 3, 29, 1, 30), "03:30 CEST"),
        # Fall back: 01:30 (Chicago) and 02:30 (Berlin) happen twice; the first one is used.
        ("America/Chicago", time(1, 30), date(2026, 11, 1), utc(2026, 11, 1, 6, 30), "01:30 CDT"),
        ("Europe/Berlin", time(2, 30), date(2026, 10, 25), utc(2026, 10, 25, 0, 30), "02:30 CEST"),
        # An ordinary 19:00 on each transition day keeps the wall clock.
        ("America/Chicago", time(19), date(2026, 3, 8), utc(2026, 3, 9, 0, 0), "19:00 CDT"),
        ("America/Chicago", time(19), date(2026, 11, 1), utc(2026, 11, 2, 1, 0), "19:00 CST"),
        ("Europe/Berlin", time(19), date(2026, 3, 29), utc(2026, 3, 29, 17, 0), "19:00 CEST"),
        ("Europe/Berlin", time(19), date(2026, 10, 25), utc(2026, 10, 25, 18, 0), "19:00 CET"),
    ],
)
def test_a_slot_on_a_dst_day_falls_at_the_documented_instant(tz, at, day, expected_utc, local):
    due = slot_due_at(day, schedule(tz, at, **NO_QUIET))
    assert due == expected_utc
    assert due.astimezone(ZoneInfo(tz)).strftime("%H:%M %Z") == local


@pytest.mark.parametrize(
    ("tz", "at", "start"),
    [
        ("America/Chicago", time(2, 30), utc(2026, 3, 6)),
        ("America/Chicago", time(1, 30), utc(2026, 10, 30)),
        ("Europe/Berlin", time(2, 30), utc(2026, 3, 27)),
        ("Europe/Berlin", time(2, 30), utc(2026, 10, 23)),
        ("America/Chicago", time(19), utc(2026, 3, 6)),
        ("Europe/Berlin", time(19), utc(2026, 10, 23)),
    ],
)
def test_across_a_transition_every_date_has_exactly_one_slot(tz, at, start):
    found = slots(schedule(tz, at, **NO_QUIET), start, 6)
    dates = [slot.on for slot in found]
    assert dates == [dates[0] + timedelta(days=i) for i in range(6)]
    instants = [slot.due_at for slot in found]
    assert instants == sorted(instants) and len(set(instants)) == 6
    for slot in found:
        assert slot.due_at.astimezone(ZoneInfo(tz)).date() == slot.on


def test_weekdays_pick_the_dates():
    mon_wed = schedule(weekdays=0b0000101)
    found = slots(mon_wed, utc(2026, 6, 1, 12), 4)  # Monday 1 June 2026, 14:00 in Berlin
    assert [s.on.strftime("%a") for s in found] == ["Mon", "Wed", "Mon", "Wed"]


def test_once_a_week_the_next_reminder_is_a_week_later():
    """Tuesdays only: once Tuesday's reminder is due, the next one is the following Tuesday."""
    tuesdays = schedule(weekdays=0b0000010)
    slot = next_slot(schedule=tuesdays, now=berlin(2026, 6, 2, 19, 0))
    assert (slot.on, slot.due_at) == (date(2026, 6, 9), berlin(2026, 6, 9, 19, 0))
    sent = next_slot(schedule=tuesdays, now=berlin(2026, 6, 2, 12, 0), after_on=date(2026, 6, 2))
    assert (sent.on, sent.due_at) == (date(2026, 6, 9), berlin(2026, 6, 9, 19, 0))


def test_a_schedule_without_weekdays_has_no_slot():
    assert next_slot(schedule=schedule(weekdays=0), now=utc(2026, 6, 1)) is None


@pytest.mark.parametrize(
    ("at", "start", "end", "quiet"),
    [
        (time(21, 0), time(21, 0), time(8, 0), True),  # start included
        (time(8, 0), time(21, 0), time(8, 0), False),  # end excluded
        (time(7, 59), time(21, 0), time(8, 0), True),
        (time(0, 0), time(21, 0), time(8, 0), True),
        (time(20, 59), time(21, 0), time(8, 0), False),
        (time(13, 0), time(12, 0), time(14, 0), True),  # a window inside one day
        (time(14, 0), time(12, 0), time(14, 0), False),
        (time(3, 0), time(0, 0), time(0, 0), False),  # equal ends: no quiet hours
    ],
)
def test_quiet_hours_are_half_open_and_may_wrap_midnight(at, start, end, quiet):
    assert in_quiet_hours(at, start, end) is quiet


def test_a_morning_slot_inside_quiet_hours_waits_for_their_end_the_same_day():
    due = slot_due_at(date(2026, 6, 2), schedule(at=time(7, 30)))
    assert due.astimezone(ZoneInfo("Europe/Berlin")) == datetime(
        2026, 6, 2, 8, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )


def test_a_late_evening_slot_inside_quiet_hours_is_sent_next_morning_as_the_same_slot():
    s = schedule(at=time(22, 0))
    slot = next_slot(schedule=s, now=utc(2026, 6, 2, 12))
    assert slot.on == date(2026, 6, 2)
    assert slot.due_at.astimezone(ZoneInfo("Europe/Berlin")).isoformat() == (
        "2026-06-03T08:00:00+02:00"
    )
    # The next one is the next date's, not the same date twice.
    following = next_slot(schedule=s, now=slot.due_at, after_on=slot.on)
    assert following.on == date(2026, 6, 3)


def test_quiet_hours_end_is_none_outside_them():
    s = schedule()
    assert quiet_hours_end(utc(2026, 6, 2, 12), s) is None
    assert quiet_hours_end(utc(2026, 6, 2, 20), s) == utc(2026, 6, 3, 6)  # 22:00 CEST -> 08:00


def test_next_local_midnight_on_a_dst_day():
    assert next_local_midnight(utc(2026, 3, 28, 12), "Europe/Berlin") == utc(2026, 3, 28, 23)
    assert next_local_midnight(utc(2026, 3, 29, 12), "Europe/Berlin") == utc(2026, 3, 29, 22)


def test_the_schedule_module_imports_no_django():
    code = (
        "import sys, patients.rules.reminder_schedule; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- The exact edges a patient would notice ---------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


def test_a_reminder_due_exactly_when_quiet_hours_start_waits_for_the_morning():
    due = slot_due_at(date(2026, 6, 2), schedule(at=time(21, 0)))
    assert due == berlin(2026, 6, 3, 8, 0)


def test_a_reminder_due_exactly_when_quiet_hours_end_is_sent_on_time():
    assert slot_due_at(date(2026, 6, 2), schedule(at=time(8, 0))) == berlin(2026, 6, 2, 8, 0)


def test_a_reminder_due_right_now_is_not_the_next_one():
    """At the very instant a slot falls due it is being sent: the next one is tomorrow's."""
    s = schedule(at=time(19, 0))
    slot = next_slot(schedule=s, now=berlin(2026, 6, 2, 19, 0))
    assert (slot.on, slot.due_at) == (date(2026, 6, 3), berlin(2026, 6, 3, 19, 0))
    just_before = next_slot(schedule=s, now=berlin(2026, 6, 2, 18, 59, 59))
    assert (just_before.on, just_before.due_at) == (date(2026, 6, 2), berlin(2026, 6, 2, 19, 0))


def test_after_midnight_the_postponed_slot_of_the_evening_before_is_still_due():
    s = schedule(at=time(22, 0))
    slot = next_slot(schedule=s, now=berlin(2026, 6, 3, 0, 30))
    assert (slot.on, slot.due_at) == (date(2026, 6, 2), berlin(2026, 6, 3, 8, 0))
    # Once that one is sent, the following date's comes next, never the same date again.
    following = next_slot(schedule=s, now=berlin(2026, 6, 3, 0, 30), after_on=date(2026, 6, 2))
    assert (following.on, following.due_at) == (date(2026, 6, 3), berlin(2026, 6, 4, 8, 0))


@pytest.mark.parametrize(
    ("moment", "quiet", "ends"),
    [
        # Quiet hours past midnight: from their start they end the next morning ...
        (berlin(2026, 6, 2, 21, 0), (time(21, 0), time(8, 0)), berlin(2026, 6, 3, 8, 0)),
        # ... after midnight, the same morning.
        (berlin(2026, 6, 3, 0, 30), (time(21, 0), time(8, 0)), berlin(2026, 6, 3, 8, 0)),
        (berlin(2026, 6, 3, 7, 59), (time(21, 0), time(8, 0)), berlin(2026, 6, 3, 8, 0)),
        # Quiet hours inside one day end that day.
        (berlin(2026, 6, 2, 13, 0), (time(12, 0), time(14, 0)), berlin(2026, 6, 2, 14, 0)),
        (berlin(2026, 6, 2, 12, 0), (time(12, 0), time(14, 0)), berlin(2026, 6, 2, 14, 0)),
        (berlin(2026, 6, 2, 14, 0), (time(12, 0), time(14, 0)), None),
    ],
)
def test_quiet_hours_end_on_the_right_morning(moment, quiet, ends):
    s = schedule(quiet_start=quiet[0], quiet_end=quiet[1])
    assert quiet_hours_end(moment, s) == ends


def test_next_local_midnight_follows_the_local_date_not_the_utc_one():
    # 23:30 UTC on 1 June is already 01:30 on 2 June in Berlin: the next midnight is 3 June's.
    assert next_local_midnight(utc(2026, 6, 1, 23, 30), "Europe/Berlin") == utc(2026, 6, 2, 22)
    # In Chicago it is still 1 June (18:30): the next midnight is 2 June's.
    assert next_local_midnight(utc(2026, 6, 1, 23, 30), "America/Chicago") == utc(2026, 6, 2, 5)


def test_far_west_of_utc_the_postponed_slot_is_found_by_the_local_date():
    """In Honolulu 14:30 is already the next day in UTC; yesterday's postponed slot is due."""
    honolulu = ZoneInfo("Pacific/Honolulu")
    s = schedule("Pacific/Honolulu", time(22, 0), quiet_start=time(21, 0), quiet_end=time(15, 0))
    slot = next_slot(schedule=s, now=datetime(2026, 6, 3, 14, 30, tzinfo=honolulu))
    assert (slot.on, slot.due_at) == (
        date(2026, 6, 2),
        datetime(2026, 6, 3, 15, 0, tzinfo=honolulu),
    )
