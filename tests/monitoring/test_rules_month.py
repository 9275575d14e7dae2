"""A patient's monitoring month as the clinic's statement shows it (pure): the device periods
with their bounds and data days, the management minutes, recorders and corrections, and each
code with its units, dates and modifiers. The codes are the 2026 table unless a case says
otherwise (a clinic's table may leave a minimum or a maximum out)."""

from datetime import date

import pytest

from monitoring import rules
from monitoring.rules import CodeRule, Correction, DevicePeriod, EpisodeFact, Recorder, TimeFact
from tests.monitoring.test_rules import CODES_2026, MARCH

pytestmark = pytest.mark.pure


def entry(entry_id, minutes, on=date(2026, 3, 10), **fields):
    values = {
        "staff_id": 1,
        "staff_name": "Alice",
        "credential": "PT",
        "activity": "data_review",
        "interactive": False,
    }
    values.update(fields)
    return TimeFact(entry_id=entry_id, minutes=minutes, performed_on=on, **values)


def call(entry_id, minutes, on=date(2026, 3, 10), **fields):
    return entry(entry_id, minutes, on, activity="call", interactive=True, **fields)


def month(entries, table=CODES_2026):
    return rules.management_month(
        entries=entries, month_first=MARCH[0], month_last=MARCH[1], rules=table
    )


# --- Device periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "number"),
    [(date(2026, 3, 1), 1), (date(2026, 3, 30), 1), (date(2026, 3, 31), 2), (date(2026, 5, 29), 3)],
)
def test_a_data_day_belongs_to_its_30_day_period(day, number):
    assert rules.period_number(started_on=date(2026, 3, 1), day=day) == number


def test_discharged_on_the_set_up_day_is_a_one_day_period():
    periods = rules.periods_ending_in(
        started_on=date(2026, 3, 5),
        ended_on=date(2026, 3, 5),
        month_first=MARCH[0],
        month_last=MARCH[1],
    )
    assert periods == [(1, date(2026, 3, 5), date(2026, 3, 5))]


def test_a_period_that_starts_on_the_discharge_day_at_the_months_end_is_the_months():
    periods = rules.periods_ending_in(
        started_on=date(2026, 3, 1),
        ended_on=date(2026, 3, 31),
        month_first=MARCH[0],
        month_last=MARCH[1],
    )
    assert periods == [
        (1, date(2026, 3, 1), date(2026, 3, 30)),
        (2, date(2026, 3, 31), date(2026, 3, 31)),
    ]


def test_a_running_period_is_not_complete_on_its_last_day():
    period = rules.device_period(
        episode_id=7,
        number=2,
        first=date(2026, 3, 1),
        last=date(2026, 3, 30),
        ended=False,
        data_days=15,
        today=date(2026, 3, 30),
        rules=CODES_2026,
    )
    assert period == DevicePeriod(
        episode_id=7,
        number=2,
        first=date(2026, 3, 1),
        last=date(2026, 3, 30),
        complete=False,
        data_days=15,
        code="98985",
        final=False,
        next_code="98977",
        days_needed=1,
        needed_by=date(2026, 3, 30),
        reachable=True,
    )


def test_the_statement_lists_each_period_with_its_episode_bounds_and_data_days():
    """Episode 1 runs on (its periods end 30 March and 29 April); episode 2 was discharged on
    20 March with no data day recorded: its cut-short period is complete and reaches nothing."""
    running = EpisodeFact(1, date(2026, 3, 1), None, 1, "Alice")
    discharged = EpisodeFact(2, date(2026, 3, 10), date(2026, 3, 20), 1, "Alice")
    record = rules.month_record(
        month_first=MARCH[0],
        month_last=MARCH[1],
        today=date(2026, 3, 25),
        episodes=[running, discharged],
        data_days={(1, 1): 12},
        entries=[],
        rules=CODES_2026,
    )
    assert record.month == MARCH[0]
    assert record.setup == (running, discharged)
    assert record.periods == (
        DevicePeriod(1, 1, date(2026, 3, 1), date(2026, 3, 30), False, 12, "98985", False,
                     "98977", 4, date(2026, 3, 30), True),
        DevicePeriod(2, 1, date(2026, 3, 10), date(2026, 3, 20), True, 0, None, True,
                     None, None, None, None),
    )  # fmt: skip
    assert [(c.code, c.first) for c in record.codes] == [
        ("98975", date(2026, 3, 1)),
        ("98975", date(2026, 3, 10)),
    ]
    assert record.management.minutes == 0 and record.management.code is None


def test_an_episode_set_up_on_the_months_last_day_is_the_months_set_up():
    episode = EpisodeFact(1, date(2026, 3, 31), None, 1, "Alice")
    record = rules.month_record(
        month_first=MARCH[0],
        month_last=MARCH[1],
        today=date(2026, 4, 2),
        episodes=[episode],
        data_days={},
        entries=[],
        rules=CODES_2026,
    )
    assert [(c.code, c.first, c.last) for c in record.codes] == [
        ("98975", date(2026, 3, 31), date(2026, 3, 31))
    ]


def test_a_table_without_a_set_up_code_lists_none():
    episode = EpisodeFact(1, date(2026, 3, 1), None, 1, "Alice")
    record = rules.month_record(
        month_first=MARCH[0],
        month_last=MARCH[1],
        today=date(2026, 4, 2),
        episodes=[episode],
        data_days={(1, 1): 16},
        entries=[],
        rules=[r for r in CODES_2026 if r.kind != "setup"],
    )
    assert [c.code for c in record.codes] == ["98977"]


# --- Management time -----------------------------------------------------------------------------


def test_the_months_first_and_last_days_count_and_the_days_around_them_do_not():
    m = month(
        [
            entry(1, 100, date(2026, 2, 28)),
            call(2, 5, date(2026, 3, 1)),
            entry(3, 7, date(2026, 3, 31)),
            entry(4, 100, date(2026, 4, 1)),
        ]
    )
    assert (m.minutes, m.interactive_count, m.code) == (12, 1, "98979")


def test_the_management_code_and_its_add_on_carry_the_assistants_modifier():
    episode = EpisodeFact(1, date(2026, 2, 1), None, 1, "Alice")
    record = rules.month_record(
        month_first=MARCH[0],
        month_last=MARCH[1],
        today=date(2026, 4, 2),
        episodes=[episode],
        data_days={},
        entries=[call(1, 20), entry(2, 25, staff_id=2, staff_name="Pia", credential="PTA")],
        rules=CODES_2026,
    )
    assert [(c.code, c.units, c.modifiers) for c in record.codes] == [
        ("98980", 1, ("CQ",)),
        ("98981", 1, ("CQ",)),
    ]


def test_each_recorder_is_listed_with_their_own_minutes():
    m = month(
        [
            call(1, 12),
            entry(2, 6, staff_id=2, staff_name="Pia", credential="PTA"),
            entry(3, 4, staff_id=1, staff_name="Alice", credential="PT"),
        ]
    )
    assert m.recorders == (
        Recorder(staff_id=1, name="Alice", credential="PT", minutes=16, assistant=False,
                 modifier=None),
        Recorder(staff_id=2, name="Pia", credential="PTA", minutes=6, assistant=True,
                 modifier="CQ"),
    )  # fmt: skip
    assert (m.assistant_minutes, m.modifiers) == (6, ("CQ",))


@pytest.mark.parametrize(("minutes", "modifiers"), [(1, ("CQ",)), (0, ())])
def test_an_assistants_modifier_needs_their_minutes_to_remain(minutes, modifiers):
    """An assistant's entry reversed down to `minutes` in the month."""
    assistant = {"staff_id": 2, "staff_name": "Pia", "credential": "PTA"}
    m = month(
        [
            call(1, 20),
            entry(2, 10, **assistant),
            entry(3, minutes - 10, reverses_id=2, reverses_on=date(2026, 3, 10), **assistant),
        ]
    )
    assert m.modifiers == modifiers


def test_a_correction_of_a_frozen_month_names_the_entry_it_reverses_and_why():
    correction = entry(
        3,
        -10,
        date(2026, 3, 2),
        reverses_id=9,
        reverses_on=date(2026, 2, 20),
        reason="entered on the wrong patient",
    )
    m = month([entry(1, 100, date(2026, 2, 20)), correction, call(4, 12)])
    assert m.corrections == (
        Correction(
            entry_id=3,
            reverses_id=9,
            corrects_month=date(2026, 2, 1),
            minutes=-10,
            reason="entered on the wrong patient",
        ),
    )
    assert (m.minutes, m.code) == (12, "98979")


@pytest.mark.parametrize(
    ("entries", "next_code", "needed"),
    [
        ([call(1, 25)], None, None),  # 98980 reached: the add-on is not a "next code"
        ([call(1, 45)], None, None),
        ([entry(1, 20)], None, None),  # 20 minutes, no call: the call is what is missing
        ([entry(1, 19)], "98980", 1),
        ([call(1, 19)], "98980", 1),
        ([call(1, 10)], "98980", 10),
        ([entry(1, 9)], "98979", 1),
    ],
)
def test_what_the_next_management_code_needs(entries, next_code, needed):
    m = month(entries)
    assert (m.next_code, m.minutes_needed) == (next_code, needed)


# --- A clinic's own table ------------------------------------------------------------------------

# Rows listed out of order, overlapping ranges, a row without a minimum or maximum.
OWN_TABLE = [
    CodeRule("M2", "management", min_minutes=20),
    CodeRule("M1", "management", min_minutes=10),
    CodeRule("M0", "management", max_minutes=9),
    CodeRule("A1", "add_on", min_minutes=30, unit_minutes=1, with_code="M2"),
    CodeRule("D2", "device", min_days=16),
    CodeRule("D0", "device", max_days=1),
]


@pytest.mark.parametrize(
    ("minutes", "code", "next_code", "needed"),
    [(0, "M0", "M1", 10), (5, "M0", "M1", 5), (12, "M1", "M2", 8), (25, "M2", None, None)],
)
def test_where_two_management_codes_would_the_one_needing_more_minutes_wins(
    minutes, code, next_code, needed
):
    m = month([entry(1, minutes)] if minutes else [], OWN_TABLE)
    assert (m.code, m.next_code, m.minutes_needed) == (code, next_code, needed)


@pytest.mark.parametrize(("data_days", "code"), [(0, "D0"), (1, "D0"), (2, None), (16, "D2")])
def test_a_device_row_without_a_minimum_counts_from_no_data_days(data_days, code):
    assert rules.device_code(data_days=data_days, rules=OWN_TABLE) == code


def test_a_device_row_without_a_minimum_is_the_first_to_reach():
    period = rules.device_period(
        episode_id=1,
        number=1,
        first=date(2026, 3, 1),
        last=date(2026, 3, 30),
        ended=False,
        data_days=0,
        today=date(2026, 3, 1),
        rules=[CodeRule("D2", "device", min_days=2), CodeRule("D0", "device", max_days=1)],
    )
    assert (period.code, period.next_code, period.days_needed) == ("D0", "D2", 2)
    period = rules.device_period(
        episode_id=1,
        number=1,
        first=date(2026, 3, 1),
        last=date(2026, 3, 30),
        ended=False,
        data_days=0,
        today=date(2026, 3, 1),
        rules=[CodeRule("D1", "device", max_days=5)],
    )
    assert (period.code, period.final, period.next_code) == ("D1", True, None)


@pytest.mark.parametrize(
    ("minutes", "code", "table", "add_on"),
    [
        (32, "M2", OWN_TABLE, ("A1", 3)),  # a unit a minute from 30
        (29, "M2", OWN_TABLE, ("A1", 0)),
        (45, "98980", CODES_2026, ("98981", 1)),
        (45, "98979", CODES_2026, ("", 0)),  # 98981 goes with 98980 only
        (45, None, CODES_2026, ("", 0)),
        (15, "M1", OWN_TABLE, ("", 0)),
        (50, "X", [CodeRule("B", "add_on", min_minutes=40, with_code="X")], ("B", 0)),  # no unit
        (5, "X", [CodeRule("C", "add_on", unit_minutes=10, with_code="X")], ("C", 1)),
        (0, "X", [CodeRule("C", "add_on", unit_minutes=10, with_code="X")], ("C", 1)),
    ],
)
def test_add_on_units(minutes, code, table, add_on):
    assert rules.add_on_units(minutes=minutes, code=code, rules=table) == add_on
