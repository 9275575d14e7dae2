"""Pure tests of monitoring.rules: no database, no Django. The codes are the 2026 table."""

from datetime import date

import pytest

from monitoring import rules
from monitoring.rules import CodeRule, EpisodeFact, TimeFact

pytestmark = pytest.mark.pure

CODES_2026 = [
    CodeRule("98975", "setup"),
    CodeRule("98977", "device", min_days=16, max_days=30, excludes=("98985",)),
    CodeRule("98985", "device", min_days=2, max_days=15, excludes=("98977",)),
    CodeRule(
        "98979",
        "management",
        min_minutes=10,
        max_minutes=19,
        requires_interactive=True,
        excludes=("98980",),
    ),
    CodeRule("98980", "management", min_minutes=20, requires_interactive=True),
    CodeRule("98981", "add_on", min_minutes=40, unit_minutes=20, with_code="98980"),
]
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("days", "code"),
    [(0, None), (1, None), (2, "98985"), (15, "98985"), (16, "98977"), (30, "98977")],
)
def test_device_code_boundaries(days, code):
    assert rules.device_code(data_days=days, rules=CODES_2026) == code


def _period(days: int, *, today: date, first=date(2026, 3, 1)) -> rules.DevicePeriod:
    return rules.device_period(
        episode_id=1,
        number=1,
        first=first,
        last=date(2026, 3, 30),
        ended=False,
        data_days=days,
        today=today,
        rules=CODES_2026,
    )


def test_a_running_period_says_how_many_days_are_still_needed_and_by_when():
    p = _period(1, today=date(2026, 3, 20))
    assert (p.code, p.final, p.next_code, p.days_needed, p.needed_by, p.reachable) == (
        None,
        False,
        "98985",
        1,
        date(2026, 3, 30),
        True,
    )
    p = _period(5, today=date(2026, 3, 26))
    assert (p.code, p.final, p.next_code, p.days_needed, p.reachable) == (
        "98985",
        False,
        "98977",
        11,
        False,  # 5 days left (26..30) cannot bring 11
    )
    p = _period(16, today=date(2026, 3, 20))
    assert (p.code, p.final, p.days_needed) == ("98977", True, None)


def test_a_finished_period_keeps_what_it_reached():
    p = _period(15, today=date(2026, 4, 2))
    assert (p.complete, p.code, p.final, p.days_needed) == (True, "98985", True, None)


def test_periods_run_30_days_from_the_start_and_belong_to_the_month_they_end_in():
    # Started 20 January: periods 20 Jan-18 Feb, 19 Feb-20 Mar, 21 Mar-19 Apr.
    started = date(2026, 1, 20)
    feb = rules.periods_ending_in(
        started_on=started,
        ended_on=None,
        month_first=date(2026, 2, 1),
        month_last=date(2026, 2, 28),
    )
    assert feb == [(1, date(2026, 1, 20), date(2026, 2, 18))]
    march = rules.periods_ending_in(
        started_on=started, ended_on=None, month_first=MARCH[0], month_last=MARCH[1]
    )
    assert march == [(2, date(2026, 2, 19), date(2026, 3, 20))]
    # Discharge on 5 April cuts the third period short; it ends in April.
    april = rules.periods_ending_in(
        started_on=started,
        ended_on=date(2026, 4, 5),
        month_first=date(2026, 4, 1),
        month_last=date(2026, 4, 30),
    )
    assert april == [(3, date(2026, 3, 21), date(2026, 4, 5))]
    # A month can hold two period ends: started 1 January, periods end 1 and 31 March.
    assert rules.periods_ending_in(
        started_on=date(2026, 1, 1),
        ended_on=None,
        month_first=MARCH[0],
        month_last=MARCH[1],
    ) == [
        (2, date(2026, 1, 31), date(2026, 3, 1)),
        (3, date(2026, 3, 2), date(2026, 3, 31)),
    ]
    assert (
        len(
            rules.periods_ending_in(
                started_on=date(2026, 1, 1),
                ended_on=None,
                month_first=date(2026, 1, 1),
                month_last=date(2026, 1, 31),
            )
        )
        == 1
    )


def _time(entry_id, minutes, *, interactive=False, activity="data_review", **kw):
    defaults = dict(
        staff_id=1,
        staff_name="Alice",
        credential="PT",
        performed_on=date(2026, 3, 10),
    )
    defaults.update(kw)
    return TimeFact(
        entry_id=entry_id,
        minutes=minutes,
        interactive=interactive,
        activity=activity,
        **defaults,
    )


def _management(entries):
    return rules.management_month(
        entries=entries, month_first=MARCH[0], month_last=MARCH[1], rules=CODES_2026
    )


@pytest.mark.parametrize(
    ("minutes", "with_call", "code", "units"),
    [
        (9, True, None, 0),
        (10, True, "98979", 0),
        (19, True, "98979", 0),
        (20, True, "98980", 0),
        (39, True, "98980", 0),
        (40, True, "98980", 1),
        (59, True, "98980", 1),
        (60, True, "98980", 2),
        (9, False, None, 0),
        (10, False, None, 0),
        (19, False, None, 0),
        (20, False, None, 0),
        (40, False, None, 0),
        (60, False, None, 0),
    ],
)
def test_management_minutes_and_the_interactive_communication(minutes, with_call, code, units):
    call = _time(1, 5, interactive=with_call, activity="call")
    review = _time(2, minutes - 5)
    m = _management([call, review])
    assert m.minutes == minutes
    assert m.interactive_count == (1 if with_call else 0)
    assert m.code == code
    assert (m.add_on_code, m.add_on_units) == (("98981", units) if units else (None, 0))
    assert m.interactive_needed is (not with_call)


def test_what_the_next_code_needs():
    m = _management([_time(1, 12, interactive=True, activity="call")])
    assert (m.code, m.next_code, m.minutes_needed) == ("98979", "98980", 8)
    m = _management([_time(1, 4)])
    assert (m.code, m.next_code, m.minutes_needed, m.interactive_needed) == (
        None,
        "98979",
        6,
        True,
    )


def test_a_message_never_counts_as_interactive():
    m = _management([_time(1, 25, interactive=True, activity="message")])
    assert (m.interactive_count, m.code) == (0, None)


def test_assistant_time_is_marked_with_its_modifier():
    m = _management(
        [
            _time(1, 15, interactive=True, activity="call"),
            _time(2, 10, staff_id=2, staff_name="Pia", credential="PTA"),
            _time(3, 5, staff_id=3, staff_name="Otto", credential="OTA"),
        ]
    )
    assert (m.minutes, m.code, m.assistant_minutes, m.modifiers) == (30, "98980", 15, ("CO", "CQ"))
    by_staff = {r.name: (r.minutes, r.assistant, r.modifier) for r in m.recorders}
    assert by_staff == {
        "Alice": (15, False, None),
        "Pia": (10, True, "CQ"),
        "Otto": (5, True, "CO"),
    }


def test_a_reversing_entry_undoes_the_minutes_and_the_interactive_call():
    call = _time(1, 12, interactive=True, activity="call")
    review = _time(2, 15)
    reversal = _time(
        3, -12, interactive=True, activity="call", reverses_id=1, reverses_on=date(2026, 3, 10)
    )
    m = _management([call, review, reversal])
    assert (m.minutes, m.interactive_count, m.code) == (15, 0, None)


def test_a_correction_of_a_frozen_month_is_listed_not_subtracted():
    review = _time(2, 25, interactive=True, activity="call")
    correction = _time(
        3,
        -10,
        performed_on=date(2026, 3, 2),
        reverses_id=9,
        reverses_on=date(2026, 2, 20),
        reason="entered on the wrong patient",
    )
    m = _management([review, correction])
    assert m.minutes == 25
    assert [(c.entry_id, c.corrects_month, c.minutes) for c in m.corrections] == [
        (3, date(2026, 2, 1), -10)
    ]


def test_the_month_record_lists_codes_with_their_periods():
    episode = EpisodeFact(1, date(2026, 3, 1), None, 1, "Alice")
    record = rules.month_record(
        month_first=MARCH[0],
        month_last=MARCH[1],
        today=date(2026, 4, 15),
        episodes=[episode],
        data_days={(1, 1): 16},
        entries=[_time(1, 41, interactive=True, activity="call")],
        rules=CODES_2026,
    )
    assert [(c.code, c.units, c.first, c.last) for c in record.codes] == [
        ("98975", 1, date(2026, 3, 1), date(2026, 3, 1)),
        ("98977", 1, date(2026, 3, 1), date(2026, 3, 30)),
        ("98980", 1, MARCH[0], MARCH[1]),
        ("98981", 1, MARCH[0], MARCH[1]),
    ]


def test_a_provisional_device_code_is_not_listed_as_reached():
    episode = EpisodeFact(1, date(2026, 3, 1), None, 1, "Alice")
    record = rules.month_record(
        month_first=MARCH[0],
        month_last=MARCH[1],
        today=date(2026, 3, 20),
        episodes=[episode],
        data_days={(1, 1): 9},
        entries=[],
        rules=CODES_2026,
    )
    assert [c.code for c in record.codes] == ["98975"]
    assert record.periods[0].code == "98985" and not record.periods[0].final
