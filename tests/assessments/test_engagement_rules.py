"""The daily engagement rules, table-driven at their thresholds (pure functions, no database)."""

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from assessments.rules.engagement import (
    adherence_window,
    days_without_check_in,
    disengaged,
    no_improvement,
    scheduled_days,
)
from clinical.thresholds import DEFAULTS
from programs.rules.adherence import ProgramSpan, adherence

pytestmark = pytest.mark.pure

EVERY_DAY = 0b1111111
SUNDAY = 0b1000000
WED = date(2026, 6, 10)  # a Wednesday


def d(month, day):
    return date(2026, month, day)


@pytest.mark.parametrize(
    ("today", "last_check_in", "registered", "weekdays", "raised", "expected"),
    [
        # Days without a check-in = whole days after the last check-in, up to yesterday.
        (WED, d(6, 9), d(5, 1), EVERY_DAY, None, None),  # 0 days
        (WED, d(6, 7), d(5, 1), EVERY_DAY, None, None),  # 2 days: 8, 9
        (WED, d(6, 6), d(5, 1), EVERY_DAY, None, ("low", 3)),  # 3 days: the threshold
        (WED, d(5, 27), d(5, 1), EVERY_DAY, None, ("low", 13)),
        (WED, d(5, 26), d(5, 1), EVERY_DAY, None, ("high", 14)),  # 14 days: high
        (WED, d(5, 1), d(4, 1), EVERY_DAY, None, ("high", 39)),
        # Never checked in: counted from the day the patient was registered.
        (WED, None, d(6, 7), EVERY_DAY, None, None),
        (WED, None, d(6, 6), EVERY_DAY, None, ("low", 3)),
        # Once per threshold per gap: the low one was raised, the high one comes at 14.
        (WED, d(6, 4), d(5, 1), EVERY_DAY, "low", None),
        (WED, d(5, 27), d(5, 1), EVERY_DAY, "low", None),
        (WED, d(5, 26), d(5, 1), EVERY_DAY, "low", ("high", 14)),
        (WED, d(5, 20), d(5, 1), EVERY_DAY, "high", None),
        # Check-ins expected: a Sunday-only patient is not disengaged between Sundays ...
        (date(2026, 6, 6), d(5, 31), d(5, 1), SUNDAY, None, None),  # Sat: 5 days, none missed
        # ... and is once a Sunday has passed without one.
        (date(2026, 6, 8), d(5, 31), d(5, 1), SUNDAY, None, ("low", 7)),
        (date(2026, 6, 15), d(5, 31), d(5, 1), SUNDAY, None, ("high", 14)),
        (WED, d(5, 1), d(4, 1), 0, None, None),  # no schedule: nothing expected
    ],
)
def test_disengaged_at_its_thresholds(today, last_check_in, registered, weekdays, raised, expected):
    finding = disengaged(
        today=today,
        last_check_in_on=last_check_in,
        registered_on=registered,
        weekdays=weekdays,
        raised_in_gap=raised,
        thresholds=DEFAULTS,
    )
    if expected is None:
        assert finding is None
        return
    severity, days = expected
    assert (finding.code, finding.severity) == ("disengaged", severity)
    assert finding.values["days_without_check_in"] == days
    assert f"no check-in for {days} days" in finding.rationale


@pytest.mark.parametrize(("days", "fires"), [(4, False), (5, True)])
def test_disengaged_follows_the_clinics_threshold(days, fires):
    thresholds = replace(DEFAULTS, disengaged_days=5)
    finding = disengaged(
        today=WED,
        last_check_in_on=WED - timedelta(days=days + 1),
        registered_on=d(1, 1),
        weekdays=EVERY_DAY,
        raised_in_gap=None,
        thresholds=thresholds,
    )
    assert (finding is not None) is fires


def test_days_and_scheduled_days_count_whole_local_days():
    assert days_without_check_in(today=WED, last_contact_on=WED) == 0
    assert days_without_check_in(today=WED, last_contact_on=WED + timedelta(days=1)) == 0
    assert scheduled_days(first=d(6, 1), last=d(6, 7), weekdays=0b0010101) == 3  # Mon Wed Fri
    assert scheduled_days(first=d(6, 8), last=d(6, 7), weekdays=EVERY_DAY) == 0


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        ({}, Fraction(0)),
        # Week of 1-7 June: Mon, Wed, Fri prescribed for each of two exercises: 6 exercise-days.
        ({1: [d(6, 1), d(6, 3), d(6, 5)], 2: [d(6, 1), d(6, 3), d(6, 5)]}, Fraction(1)),
        # Done on other days of the window counts, up to the prescribed days.
        ({1: [d(6, 2), d(6, 4), d(6, 6), d(6, 7)]}, Fraction(3, 6)),
        # Outside the window does not count; an unknown exercise does not count.
        ({1: [d(5, 31), d(6, 8)], 9: [d(6, 1)]}, Fraction(0)),
        ({1: [d(6, 1), d(6, 1)]}, Fraction(1, 6)),  # the same day twice is one day
    ],
)
def test_adherence_is_prescribed_exercise_days_done(done, expected):
    """The engagement rules measure adherence with programs.rules.adherence, exactly."""
    span = ProgramSpan(start=d(5, 1), end=None, items=((1, 3), (2, 3)))  # Mon, Wed, Fri
    completed: dict[date, set[int]] = {}
    for item_id, days in done.items():
        for day in days:
            completed.setdefault(day, set()).add(item_id)
    counted = adherence(spans=[span], completed=completed, first=d(6, 1), last=d(6, 7))
    assert Fraction(counted.done, counted.due) == expected


def test_adherence_without_prescribed_days_is_unknown():
    counted = adherence(spans=[], completed={}, first=d(6, 1), last=d(6, 7))
    assert counted.due == 0 and counted.ratio is None
    assert adherence_window(today=d(6, 22), thresholds=DEFAULTS) == (d(6, 1), d(6, 21))


BASE = {
    "today": d(6, 22),
    "program_start": d(6, 1),  # 21 days
    "adherence_share": Fraction(7, 10),
    "peaks_last_7_days": [5, 5, 5],
    "intake_pain_worst_running": 6,
    "raised_recently": False,
}


@pytest.mark.parametrize(
    ("change", "fires"),
    [
        ({}, True),  # 21 days, 70 %, mean 5 vs intake 6: only 1 better
        ({"program_start": d(6, 2)}, False),  # 20 days
        ({"adherence_share": Fraction(69, 100)}, False),
        ({"adherence_share": Fraction(1)}, True),
        ({"intake_pain_worst_running": 7}, False),  # exactly 2 better: improved
        ({"intake_pain_worst_running": 7, "peaks_last_7_days": [5, 5, 6]}, True),  # 1.67
        ({"intake_pain_worst_running": 8, "peaks_last_7_days": [6, 6, 6, 6]}, False),
        ({"peaks_last_7_days": [9]}, True),  # worse
        ({"peaks_last_7_days": []}, False),  # no check-in this week: no mean
        ({"intake_pain_worst_running": None}, False),
        ({"adherence_share": None}, False),
        ({"program_start": None}, False),
        ({"raised_recently": True}, False),  # at most once in 7 days
    ],
)
def test_no_improvement_at_its_thresholds(change, fires):
    finding = no_improvement(**{**BASE, **change}, thresholds=DEFAULTS)
    assert (finding is not None) is fires
    if finding:
        assert (finding.code, finding.severity) == ("no_improvement", "low")
        assert finding.values["program_days"] >= 21
        assert "adherence" in finding.rationale


@pytest.mark.parametrize(("points", "fires"), [(1, False), (2, True)])
def test_no_improvement_follows_the_clinics_points(points, fires):
    thresholds = replace(DEFAULTS, no_improvement_points=points)
    assert (no_improvement(**BASE, thresholds=thresholds) is not None) is fires


# --- What the therapist reads in the escalation ----------------------------------------------


def test_disengaged_rationale_and_evidence_in_full():
    finding = disengaged(
        today=WED,
        last_check_in_on=d(6, 6),
        registered_on=d(5, 1),
        weekdays=EVERY_DAY,
        raised_in_gap=None,
        thresholds=DEFAULTS,
    )
    assert finding.rationale == (
        "no check-in for 3 days (last check-in 2026-06-06; 3 scheduled day(s) missed; "
        "threshold 3 days)"
    )
    assert finding.values == {
        "days_without_check_in": 3,
        "last_check_in_on": "2026-06-06",
        "counted_from": "2026-06-06",
        "scheduled_days_missed": 3,
        "threshold_days": 3,
    }


def test_disengaged_without_any_check_in_counts_from_registration():
    finding = disengaged(
        today=WED,
        last_check_in_on=None,
        registered_on=d(5, 20),
        weekdays=0b0000101,  # Monday and Wednesday
        raised_in_gap=None,
        thresholds=DEFAULTS,
    )
    assert finding.severity == "high"
    assert finding.rationale == (
        "no check-in for 20 days (none since 2026-05-20; 5 scheduled day(s) missed; "
        "threshold 14 days)"
    )
    assert finding.values == {
        "days_without_check_in": 20,
        "last_check_in_on": None,
        "counted_from": "2026-05-20",
        "scheduled_days_missed": 5,
        "threshold_days": 14,
    }


def test_the_first_scheduled_day_after_the_last_check_in_counts_as_missed():
    """A Sunday-only patient who checked in on Saturday and let Sunday pass has missed one."""
    finding = disengaged(
        today=WED,
        last_check_in_on=d(6, 6),  # Saturday
        registered_on=d(5, 1),
        weekdays=SUNDAY,
        raised_in_gap=None,
        thresholds=DEFAULTS,
    )
    assert finding is not None
    assert finding.values["scheduled_days_missed"] == 1
    assert "1 scheduled day(s) missed" in finding.rationale


def test_no_improvement_rationale_and_evidence_in_full():
    finding = no_improvement(**BASE, thresholds=DEFAULTS)
    assert finding.rationale == (
        "program 21 days, adherence 70 %, mean peak pain 5.0 over 3 check-in(s) vs intake 6 "
        "(improvement 1.0, needs 2)"
    )
    assert finding.values == {
        "program_days": 21,
        "adherence": 0.7,
        "mean_peak_pain_7d": 5.0,
        "check_ins_7d": 3,
        "intake_pain_worst_running": 6,
        "improvement_needed": 2,
    }


def test_no_improvement_rounds_what_it_shows():
    finding = no_improvement(
        **{
            **BASE,
            "adherence_share": Fraction(5, 6),
            "peaks_last_7_days": [5, 5, 6],
            "intake_pain_worst_running": 7,
        },
        thresholds=DEFAULTS,
    )
    assert finding.rationale == (
        "program 21 days, adherence 83 %, mean peak pain 5.3 over 3 check-in(s) vs intake 7 "
        "(improvement 1.7, needs 2)"
    )
    assert finding.values["adherence"] == 0.833
    assert finding.values["mean_peak_pain_7d"] == 5.33
