"""The clinical thresholds a clinic may override: what an admin is told when a value is
refused, and the values the rules apply (pure: no database, no cache)."""

import math
from dataclasses import dataclass, fields

import pytest

from clinical.thresholds import (
    BOUNDS,
    DEFAULTS,
    ClinicalThresholds,
    ThresholdError,
    stored_overrides,
    threshold,
    validate_overrides,
)

pytestmark = pytest.mark.pure


def refusal(overrides: object) -> tuple[str, str | None]:
    """(message, threshold named) of the refusal of these overrides."""
    with pytest.raises(ThresholdError) as refused:
        validate_overrides(overrides)
    return str(refused.value), refused.value.name


# --- validate_overrides: the clinic settings' 400 ----------------------------------------


@pytest.mark.parametrize("overrides", [None, [("pain_severe", 7)], "pain_severe=7", 7])
def test_overrides_that_are_not_an_object_are_refused(overrides):
    assert refusal(overrides) == ("Thresholds must be an object of name to number.", None)


def test_an_unknown_threshold_is_refused_by_name():
    assert refusal({"pain_mcid": 3, "pain_terrible": 9}) == (
        "Unknown threshold 'pain_terrible'.",
        "pain_terrible",
    )


@pytest.mark.parametrize("value", [True, False, "7", None, [7]])
def test_a_threshold_that_is_not_a_number_is_refused(value):
    assert refusal({"pain_severe": value}) == (
        "Threshold 'pain_severe' must be a number.",
        "pain_severe",
    )


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_a_threshold_that_is_not_finite_is_refused(value):
    assert refusal({"run_spike_factor": value}) == (
        "Threshold 'run_spike_factor' must be a finite number.",
        "run_spike_factor",
    )


def test_a_whole_threshold_refuses_a_fraction_and_takes_a_whole_float():
    assert refusal({"pain_severe": 7.5}) == (
        "Threshold 'pain_severe' must be a whole number.",
        "pain_severe",
    )
    clean = validate_overrides({"pain_severe": 7.0, "run_spike_factor": 2})
    assert clean == {"pain_severe": 7, "run_spike_factor": 2.0}
    assert type(clean["pain_severe"]) is int
    assert type(clean["run_spike_factor"]) is float


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("pain_severe", 9, "Threshold 'pain_severe' must be from 5 to 8 (NPRS); 9 is outside."),
        ("pain_severe", 4, "Threshold 'pain_severe' must be from 5 to 8 (NPRS); 4 is outside."),
        (
            "run_spike_factor",
            2.01,
            "Threshold 'run_spike_factor' must be from 1 to 2 (x longest run); 2.01 is outside.",
        ),
        (
            "run_spike_factor",
            0.99,
            "Threshold 'run_spike_factor' must be from 1 to 2 (x longest run); 0.99 is outside.",
        ),
        (
            "no_improvement_min_adherence",
            0.4,
            "Threshold 'no_improvement_min_adherence' must be from 0.5 to 1 (share (0-1)); "
            "0.4 is outside.",
        ),
    ],
)
def test_a_threshold_outside_its_bounds_is_refused_saying_the_bounds(name, value, message):
    assert refusal({name: value}) == (message, name)


@pytest.mark.parametrize("end", ["lower", "upper"])
def test_every_threshold_at_a_bound_is_accepted_and_just_beyond_refused(end):
    at_bound = {name: getattr(bound, end) for name, bound in BOUNDS.items()}
    assert validate_overrides(at_bound) == at_bound
    for name, bound in BOUNDS.items():
        step = (1 if bound.whole else 0.01) * (-1 if end == "lower" else 1)
        assert refusal({**at_bound, name: getattr(bound, end) + step})[1] == name


def test_all_thresholds_at_their_defaults_are_accepted_as_given():
    defaults = DEFAULTS.as_dict()
    assert validate_overrides(defaults) == defaults
    assert validate_overrides({}) == {}


@pytest.mark.parametrize(
    ("overrides", "message", "named"),
    [
        ({"settle_min_hours": 12, "settle_max_hours": 12}, None, None),
        ({"pain_acceptable_max": 3, "pain_safe_max": 3}, None, None),
        ({"ack_high_minutes": 30, "ack_critical_minutes": 30}, None, None),
        (
            {"disengaged_days": 14, "disengaged_high_days": 7},
            "Threshold 'disengaged_days' (14) must not be above 'disengaged_high_days' (7).",
            "disengaged_days",
        ),
        (
            {"ack_critical_minutes": 60, "ack_high_minutes": 30},
            "Threshold 'ack_critical_minutes' (60) must not be above 'ack_high_minutes' (30).",
            "ack_critical_minutes",
        ),
        (
            {"ack_high_minutes": 300, "ack_moderate_minutes": 240},
            "Threshold 'ack_high_minutes' (300) must not be above 'ack_moderate_minutes' (240).",
            "ack_high_minutes",
        ),
        (
            {"pain_safe_max": 3, "pain_acceptable_max": 3.0, "settle_min_hours": 12},
            None,
            None,
        ),
        (
            {"settle_min_hours": 12, "settle_max_hours": 12.0, "pain_safe_max": 0},
            None,
            None,
        ),
        # Only the larger one sent, below the default of the smaller: the one sent is blamed.
        (
            {"ack_low_minutes": 1440, "pain_mcid": 3},
            "Threshold 'ack_moderate_minutes' (2880) must not be above 'ack_low_minutes' (1440).",
            "ack_low_minutes",
        ),
    ],
)
def test_thresholds_that_must_keep_their_order(overrides, message, named):
    if message is None:
        assert validate_overrides(overrides) == overrides
    else:
        assert refusal(overrides) == (message, named)


# --- stored_overrides: what the rules apply, whatever is stored ----------------------------


@pytest.mark.parametrize("stored", [None, [], "pain_severe", 7, [("pain_severe", 7)]])
def test_stored_thresholds_that_are_not_an_object_apply_the_defaults(stored):
    assert stored_overrides(stored) == {}


def test_stored_thresholds_are_clamped_into_their_bounds():
    stored = {
        "baseline_window_days": 1_000_000_000,
        "run_spike_window_days": -5,
        "run_spike_factor": 0.5,
        "load_spike_factor": 99,
        "pain_severe": 6,
        "weekly_increase_points": 2,
    }
    applied = stored_overrides(stored)
    assert applied == {
        "baseline_window_days": 28,
        "run_spike_window_days": 7,
        "run_spike_factor": 1.0,
        "load_spike_factor": 2.0,
        "pain_severe": 6,
        "weekly_increase_points": 2.0,
    }
    assert type(applied["weekly_increase_points"]) is float
    assert type(applied["load_spike_factor"]) is float
    assert type(applied["pain_severe"]) is int


def test_stored_thresholds_at_their_bounds_are_kept():
    for name, bound in BOUNDS.items():
        assert stored_overrides({name: bound.lower}) == {name: bound.lower}, name
        assert stored_overrides({name: bound.upper}) == {name: bound.upper}, name


def test_a_stored_whole_threshold_with_a_fraction_is_rounded_down():
    assert stored_overrides({"pain_severe": 7.9, "settle_min_hours": 4.1}) == {
        "pain_severe": 7,
        "settle_min_hours": 4,
    }
    assert type(stored_overrides({"pain_severe": 7.9})["pain_severe"]) is int


def test_stored_values_that_are_not_numbers_are_dropped_and_the_rest_applied():
    stored = {
        "retired_name": 3,
        "pain_severe": "7",
        "pain_mcid": True,
        "run_spike_factor": math.nan,
        "load_spike_factor": math.inf,
        "settle_min_hours": None,
        "disengaged_days": 5,
    }
    assert stored_overrides(stored) == {"load_spike_factor": 2.0, "disengaged_days": 5}


# --- the thresholds value -----------------------------------------------------------------


def test_overrides_replace_the_defaults_and_unknown_names_are_ignored():
    thresholds = DEFAULTS.with_overrides({"pain_severe": 6, "retired_name": 1})
    assert thresholds.pain_severe == 6
    assert thresholds == ClinicalThresholds(pain_severe=6)
    assert DEFAULTS.pain_severe == 7
    assert thresholds.as_dict() == {**DEFAULTS.as_dict(), "pain_severe": 6}
    assert ClinicalThresholds.field_names() == set(BOUNDS)


def test_a_refusal_is_a_value_error_naming_the_threshold():
    error = ThresholdError("Nope.", "pain_severe")
    assert isinstance(error, ValueError)
    assert (str(error), error.name) == ("Nope.", "pain_severe")
    assert ThresholdError("Nope.").name is None


# --- declaring a threshold ------------------------------------------------------------------


def test_a_threshold_is_declared_with_its_default_bounds_unit_and_purpose():
    @dataclass(frozen=True)
    class Declared:
        at_lower: int = threshold(1, 1, 5, "runs", "fewest runs")
        at_upper: float = threshold(2.0, 1.0, 2.0, "x longest run", "spike")

    assert (Declared().at_lower, Declared().at_upper) == (1, 2.0)
    assert {f.name: dict(f.metadata) for f in fields(Declared)} == {
        "at_lower": {"lower": 1, "upper": 5, "unit": "runs", "governs": "fewest runs"},
        "at_upper": {"lower": 1.0, "upper": 2.0, "unit": "x longest run", "governs": "spike"},
    }


@pytest.mark.parametrize(("default", "shown"), [(0, "0"), (6, "6"), (0.5, "0.5")])
def test_a_default_a_clinic_could_not_set_is_a_declaration_error(default, shown):
    """The bounds a clinic is held to must hold the default the others get."""
    with pytest.raises(ValueError) as refused:
        threshold(default, 1, 5, "runs", "fewest runs")
    assert str(refused.value) == f"default {shown} is outside [1, 5]"
