"""Every row of the pattern and contributing-factor tables, at and around thresholds."""

from dataclasses import replace

import pytest

from assessments.rules import triage as rules
from assessments.rules.triage import IntakeFacts, evaluate_intake, factors, patterns
from clinical.intake import FactorCode
from clinical.programs import ProgramFocus
from clinical.thresholds import DEFAULTS

pytestmark = pytest.mark.pure


def facts(**overrides) -> IntakeFacts:
    base = IntakeFacts(
        location="anterior", timing="after_run_only", pain_rest=0, pain_worst_running=4
    )
    return replace(base, **overrides)


# --- Patterns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("anterior", "patellofemoral_pain"),
        ("lateral", "iliotibial_band_syndrome"),
        ("inferior", "patellar_tendinopathy"),
        ("medial", "medial_knee"),
        ("posterior", "posterior_knee"),
        ("diffuse", "joint_irritation"),
    ],
)
def test_pattern_by_location(location, code):
    found = patterns(facts(location=location))
    assert [p.code for p in found] == [code]
    assert location in found[0].rationale


@pytest.mark.parametrize(
    ("location", "aggravators", "named", "not_named"),
    [
        (
            "anterior",
            {"downhill", "stairs", "prolonged_sitting", "squatting", "distance"},
            ["downhill", "stairs", "prolonged sitting"],
            ["squatting", "distance"],
        ),
        ("anterior", {"stairs"}, ["stairs"], ["downhill"]),
        ("lateral", {"downhill", "distance", "stairs"}, ["downhill", "distance"], ["stairs"]),
        (
            "inferior",
            {"hills", "speed_work", "jumping", "downhill"},
            ["hills", "speed work", "jumping"],
            ["downhill"],
        ),
    ],
)
def test_pattern_rationale_names_the_aggravators_that_fit(location, aggravators, named, not_named):
    (pattern,) = patterns(facts(location=location, aggravators=frozenset(aggravators)))
    fitting = pattern.rationale.split("fitting aggravators: ")[1]
    assert fitting.split(", ") == named
    for other in not_named:
        assert other not in fitting


def test_pattern_rationale_says_when_no_typical_aggravator_was_reported():
    (pattern,) = patterns(facts(location="lateral", aggravators=frozenset({"stairs"})))
    assert pattern.rationale == (
        "lateral location suggests iliotibial band syndrome; "
        "none of its typical aggravators (downhill, distance)"
    )


def test_patterns_without_listed_aggravators_do_not_mention_any():
    (pattern,) = patterns(facts(location="medial", aggravators=frozenset({"downhill"})))
    assert pattern.code == "medial_knee"
    assert "aggravator" not in pattern.rationale


def test_swelling_adds_joint_irritation_to_the_location_pattern():
    found = patterns(facts(location="anterior", symptoms=frozenset({"swelling"})))
    assert [p.code for p in found] == ["patellofemoral_pain", "joint_irritation"]
    assert "swelling" in found[1].rationale


def test_diffuse_location_with_swelling_gives_joint_irritation_once():
    found = patterns(facts(location="diffuse", symptoms=frozenset({"swelling"})))
    assert [p.code for p in found] == ["joint_irritation"]
    assert "diffuse" in found[0].rationale and "swelling" in found[0].rationale


# --- Contributing factors ------------------------------------------------------------------


def codes(found):
    return [f.code for f in found]


@pytest.mark.parametrize(
    ("now", "before", "fires"),
    [
        (13, 10, False),  # exactly 1.3x: not more than
        (13.1, 10, True),
        (12.9, 10, False),
        (14.56, 11.2, False),  # exactly 1.3x, though 1.3 * 11.2 is 14.559999... in floats
        (14.57, 11.2, True),
        (5, 0, True),  # from no running at all
        (0, 0, False),
        (None, 10, False),
        (20, None, False),
    ],
)
def test_load_spike(now, before, fires):
    found = factors(facts(weekly_km_now=now, weekly_km_4_weeks_ago=before), DEFAULTS)
    assert (FactorCode.LOAD_SPIKE in codes(found)) is fires
    if fires:
        (factor,) = found
        assert factor.focus == ProgramFocus.LOAD_MANAGEMENT
        assert f"{now:g} km" in factor.rationale


@pytest.mark.parametrize(
    ("changes", "fires"),
    [
        ({"hills"}, True),
        ({"speed_work"}, True),
        ({"hills", "speed_work", "longer_runs"}, True),
        ({"longer_runs"}, False),
        ({"new_surface"}, False),
        (set(), False),
    ],
)
def test_new_intensity(changes, fires):
    found = factors(facts(recent_changes=frozenset(changes)), DEFAULTS)
    assert codes(found) == (["new_intensity"] if fires else [])
    if fires:
        assert found[0].focus == "load_management"


@pytest.mark.parametrize(
    ("cadence", "fires"), [(159, True), (160, False), (161, False), (100, True), (None, False)]
)
def test_low_cadence(cadence, fires):
    found = factors(facts(cadence_spm=cadence), DEFAULTS)
    assert codes(found) == (["low_cadence"] if fires else [])
    if fires:
        assert found[0].focus == "gait_cadence"
        assert "+5-10 %" in found[0].rationale


def test_low_cadence_rationale_gives_the_target_range():
    (factor,) = factors(facts(cadence_spm=150), DEFAULTS)
    assert factor.rationale == "cadence 150 spm, below 160; aim for +5-10 % (158-165 spm)"


@pytest.mark.parametrize(("observed", "fires"), [(True, True), (False, False), (None, False)])
def test_overstriding(observed, fires):
    found = factors(facts(overstriding=observed), DEFAULTS)
    assert found == (
        (rules.ContributingFactor("overstriding", "gait_cadence", "overstriding observed"),)
        if fires
        else ()
    )


@pytest.mark.parametrize(
    ("shoe_km", "fires"),
    [(799, False), (800, False), (800.1, True), (801, True), (0, False), (None, False)],
)
def test_worn_shoes(shoe_km, fires):
    found = factors(facts(shoe_km=shoe_km), DEFAULTS)
    assert codes(found) == (["worn_shoes"] if fires else [])
    if fires:
        assert found[0].focus == "footwear_review"


@pytest.mark.parametrize(
    ("findings", "code", "focus"),
    [
        ({"hip_abductor_weakness"}, "hip_weakness", "hip_strength"),
        ({"quadriceps_weakness"}, "quadriceps_weakness", "quadriceps_strength"),
        ({"calf_weakness"}, "calf_weakness", "calf_strength"),
        ({"limited_ankle_dorsiflexion"}, "stiff_ankle_or_hip", "mobility"),
        ({"limited_hip_mobility"}, "stiff_ankle_or_hip", "mobility"),
        ({"limited_ankle_dorsiflexion", "limited_hip_mobility"}, "stiff_ankle_or_hip", "mobility"),
        ({"poor_single_leg_control"}, "poor_single_leg_control", "balance_control"),
    ],
)
def test_findings_map_to_factors_once(findings, code, focus):
    found = factors(facts(findings=frozenset(findings)), DEFAULTS)
    assert [(f.code, f.focus) for f in found] == [(code, focus)]


def test_no_measurement_no_factor():
    assert factors(facts(), DEFAULTS) == ()


@pytest.mark.parametrize(
    ("overrides", "intake", "expected"),
    [
        ({"low_cadence_spm": 170}, {"cadence_spm": 165}, ["low_cadence"]),
        ({"low_cadence_spm": 150}, {"cadence_spm": 155}, []),
        ({"worn_shoes_km": 500}, {"shoe_km": 600}, ["worn_shoes"]),
        (
            {"load_spike_factor": 1.1},
            {"weekly_km_now": 12, "weekly_km_4_weeks_ago": 10},
            ["load_spike"],
        ),
        ({"load_spike_factor": 1.5}, {"weekly_km_now": 14, "weekly_km_4_weeks_ago": 10}, []),
    ],
)
def test_clinic_thresholds_move_the_factors(overrides, intake, expected):
    thresholds = DEFAULTS.with_overrides(overrides)
    assert codes(factors(facts(**intake), thresholds)) == expected


def test_evaluation_as_json_is_the_stored_shape():
    result = evaluate_intake(
        facts(symptoms=frozenset({"swelling"}), cadence_spm=150), DEFAULTS
    ).as_json()
    assert result["triage"]["level"] == "prompt_review"
    assert set(result["triage"]["reasons"][0]) == {"code", "level", "detail"}
    assert [set(p) for p in result["patterns"]] == [{"code", "rationale"}] * 2
    assert [set(f) for f in result["factors"]] == [{"code", "focus", "rationale"}]


# --- The rationale a therapist reads, word for word ------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"location": "medial", "aggravators": frozenset({"downhill"})},
            [
                (
                    "medial_knee",
                    "medial location suggests medial knee pain (pes anserine, ligament, meniscus)",
                )
            ],
        ),
        (
            {"location": "diffuse", "symptoms": frozenset({"swelling"})},
            [
                (
                    "joint_irritation",
                    "diffuse location suggests joint irritation (review), and swelling is reported",
                )
            ],
        ),
        (
            {"location": "diffuse"},
            [("joint_irritation", "diffuse location suggests joint irritation (review)")],
        ),
        (
            {"location": "anterior", "symptoms": frozenset({"swelling"})},
            [
                (
                    "patellofemoral_pain",
                    "anterior location suggests patellofemoral pain; none of its typical "
                    "aggravators (downhill, stairs, prolonged sitting)",
                ),
                ("joint_irritation", "swelling is reported: joint irritation (review)"),
            ],
        ),
    ],
)
def test_pattern_rationale_in_full(overrides, expected):
    assert [(p.code, p.rationale) for p in patterns(facts(**overrides))] == expected


@pytest.mark.parametrize(
    ("now", "before", "rationale"),
    [
        (13.1, 10, "weekly 13.1 km vs 10 km 4 weeks ago (x1.31, more than x1.3)"),
        (2, 0.5, "weekly 2 km vs 0.5 km 4 weeks ago (x4.00, more than x1.3)"),
        (5, 0, "weekly 5 km vs 0 km 4 weeks ago (from none, more than x1.3)"),
    ],
)
def test_load_spike_rationale_gives_both_weeks_and_the_ratio(now, before, rationale):
    found = factors(facts(weekly_km_now=now, weekly_km_4_weeks_ago=before), DEFAULTS)
    assert [(f.code, f.rationale) for f in found] == [("load_spike", rationale)]


@pytest.mark.parametrize(
    ("intake", "rationale"),
    [
        ({"recent_changes": frozenset({"hills"})}, "recently added hills"),
        (
            {"recent_changes": frozenset({"speed_work", "hills", "longer_runs"})},
            "recently added hills and speed work",
        ),
        ({"shoe_km": 800.1}, "shoes at 800.1 km, over 800 km"),
        ({"findings": frozenset({"hip_abductor_weakness"})}, "finding: hip abductor weakness"),
        ({"findings": frozenset({"quadriceps_weakness"})}, "finding: quadriceps weakness"),
        ({"findings": frozenset({"calf_weakness"})}, "finding: calf weakness"),
        (
            {"findings": frozenset({"limited_hip_mobility", "limited_ankle_dorsiflexion"})},
            "finding: limited ankle dorsiflexion and limited hip mobility",
        ),
        ({"findings": frozenset({"limited_hip_mobility"})}, "finding: limited hip mobility"),
        ({"findings": frozenset({"poor_single_leg_control"})}, "finding: poor single leg control"),
    ],
)
def test_factor_rationale_in_full(intake, rationale):
    (factor,) = factors(facts(**intake), DEFAULTS)
    assert factor.rationale == rationale
