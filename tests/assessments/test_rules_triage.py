"""Every row of the triage table, at and around its one threshold (rest pain 5)."""

from dataclasses import replace

import pytest

from assessments.rules.triage import IntakeFacts, triage
from clinical.symptoms import EMERGENCY_SYMPTOMS, MECHANICAL_SYMPTOMS, Symptom
from clinical.thresholds import DEFAULTS

pytestmark = pytest.mark.pure


def facts(**overrides) -> IntakeFacts:
    base = IntakeFacts(
        location="anterior", timing="after_run_only", pain_rest=0, pain_worst_running=4
    )
    return replace(base, **overrides)


def test_the_symptom_groups_are_those_of_clinical_md():
    assert {s.value for s in EMERGENCY_SYMPTOMS} == {
        "cannot_bear_weight",
        "hot_swollen_knee_fever",
        "calf_pain_swelling",
        "numbness_tingling",
    }
    assert {s.value for s in MECHANICAL_SYMPTOMS} == {
        "locking",
        "giving_way",
        "swelling",
        "catching",
        "night_pain",
        "sharp_pain",
    }


@pytest.mark.parametrize(
    ("overrides", "level", "reason_codes"),
    [
        # urgent_referral: any emergency symptom ...
        ({"symptoms": frozenset({"cannot_bear_weight"})}, "urgent_referral", ["emergency_symptom"]),
        (
            {"symptoms": frozenset({"hot_swollen_knee_fever"})},
            "urgent_referral",
            ["emergency_symptom"],
        ),
        ({"symptoms": frozenset({"calf_pain_swelling"})}, "urgent_referral", ["emergency_symptom"]),
        ({"symptoms": frozenset({"numbness_tingling"})}, "urgent_referral", ["emergency_symptom"]),
        # ... or trauma with inability to bear weight.
        (
            {"trauma_unable_to_bear_weight": True},
            "urgent_referral",
            ["trauma_unable_to_bear_weight"],
        ),
        # prompt_review: any mechanical symptom ...
        ({"symptoms": frozenset({"locking"})}, "prompt_review", ["mechanical_symptom"]),
        ({"symptoms": frozenset({"giving_way"})}, "prompt_review", ["mechanical_symptom"]),
        ({"symptoms": frozenset({"swelling"})}, "prompt_review", ["mechanical_symptom"]),
        ({"symptoms": frozenset({"catching"})}, "prompt_review", ["mechanical_symptom"]),
        ({"symptoms": frozenset({"night_pain"})}, "prompt_review", ["mechanical_symptom"]),
        ({"symptoms": frozenset({"sharp_pain"})}, "prompt_review", ["mechanical_symptom"]),
        # ... at-rest timing with rest pain >= 5 (below, at, above) ...
        ({"timing": "at_rest", "pain_rest": 4}, "routine", ["no_referral_criteria"]),
        ({"timing": "at_rest", "pain_rest": 5}, "prompt_review", ["rest_or_night_pain"]),
        ({"timing": "at_rest", "pain_rest": 6}, "prompt_review", ["rest_or_night_pain"]),
        # ... at-night timing whatever the rest pain (no floor at all) ...
        ({"timing": "at_night", "pain_rest": 0}, "prompt_review", ["rest_or_night_pain"]),
        ({"timing": "at_night", "pain_rest": 4}, "prompt_review", ["rest_or_night_pain"]),
        ({"timing": "at_night", "pain_rest": 5}, "prompt_review", ["rest_or_night_pain"]),
        ({"timing": "at_night", "pain_rest": 10}, "prompt_review", ["rest_or_night_pain"]),
        # ... rest pain with any other timing does not count ...
        ({"timing": "after_run_only", "pain_rest": 10}, "routine", ["no_referral_criteria"]),
        ({"timing": "during_run_stable", "pain_rest": 9}, "routine", ["no_referral_criteria"]),
        # ... or pain that builds during runs, whatever the rest pain.
        (
            {"timing": "during_run_worsening", "pain_rest": 0},
            "prompt_review",
            ["pain_worsening_during_run"],
        ),
        # routine: otherwise. A load symptom (limping) is not a triage trigger.
        ({}, "routine", ["no_referral_criteria"]),
        ({"symptoms": frozenset({"limping"})}, "routine", ["no_referral_criteria"]),
        # The highest level wins and every trigger is named, highest first.
        (
            {
                "symptoms": frozenset({"locking", "calf_pain_swelling"}),
                "trauma_unable_to_bear_weight": True,
                "timing": "during_run_worsening",
            },
            "urgent_referral",
            [
                "emergency_symptom",
                "trauma_unable_to_bear_weight",
                "mechanical_symptom",
                "pain_worsening_during_run",
            ],
        ),
        (
            {"symptoms": frozenset({"sharp_pain"}), "timing": "at_rest", "pain_rest": 7},
            "prompt_review",
            ["mechanical_symptom", "rest_or_night_pain"],
        ),
    ],
)
def test_triage_table(overrides, level, reason_codes):
    result = triage(facts(**overrides), DEFAULTS)
    assert result.level == level
    assert [r.code for r in result.reasons] == reason_codes
    assert all(r.detail for r in result.reasons)


def test_each_reason_names_its_symptom_and_the_level_it_points_to():
    result = triage(facts(symptoms=frozenset({"locking", "numbness_tingling"})), DEFAULTS)
    assert [(r.level, r.detail) for r in result.reasons] == [
        (
            "urgent_referral",
            "emergency symptom numbness_tingling (possible neurovascular compromise)",
        ),
        ("prompt_review", "mechanical symptom locking (locked knee)"),
    ]


def test_rest_pain_reason_shows_the_value_and_the_threshold():
    result = triage(facts(timing="at_rest", pain_rest=6), DEFAULTS)
    assert result.reasons[0].detail == "pain at rest: rest pain 6/10 (review at 5 or more)"


def test_night_pain_reason_says_it_has_no_rest_pain_floor():
    result = triage(facts(timing="at_night", pain_rest=1), DEFAULTS)
    assert result.reasons[0].detail == (
        "pain at night: review whatever the rest pain (rest pain 1/10)"
    )


@pytest.mark.parametrize(("pain_rest", "level"), [(6, "routine"), (7, "prompt_review")])
def test_the_clinic_may_move_the_rest_pain_threshold(pain_rest, level):
    thresholds = DEFAULTS.with_overrides({"prompt_review_rest_pain": 7})
    assert triage(facts(timing="at_rest", pain_rest=pain_rest), thresholds).level == level


def test_the_rest_pain_threshold_does_not_apply_to_night_pain():
    thresholds = DEFAULTS.with_overrides({"prompt_review_rest_pain": 10})
    assert triage(facts(timing="at_night", pain_rest=0), thresholds).level == "prompt_review"


@pytest.mark.parametrize("symptom", list(Symptom))
def test_every_symptom_has_a_defined_triage_effect(symptom):
    level = triage(facts(symptoms=frozenset({symptom.value})), DEFAULTS).level
    expected = (
        "urgent_referral"
        if symptom in EMERGENCY_SYMPTOMS
        else "prompt_review"
        if symptom in MECHANICAL_SYMPTOMS
        else "routine"
    )
    assert level == expected


# --- What the therapist reads next to each level ---------------------------------------------


def test_trauma_reason_says_what_is_suspected():
    result = triage(facts(trauma_unable_to_bear_weight=True), DEFAULTS)
    assert [(r.code, r.level, r.detail) for r in result.reasons] == [
        (
            "trauma_unable_to_bear_weight",
            "urgent_referral",
            "trauma and unable to bear weight (suspected fracture or tendon rupture)",
        )
    ]


def test_worsening_during_runs_reason_says_so():
    result = triage(facts(timing="during_run_worsening"), DEFAULTS)
    assert [(r.code, r.level, r.detail) for r in result.reasons] == [
        (
            "pain_worsening_during_run",
            "prompt_review",
            "pain appears during runs and keeps getting worse",
        )
    ]


@pytest.mark.parametrize(("rest_floor", "shown"), [(5, "5/10"), (7, "7/10")])
def test_routine_reason_lists_what_was_ruled_out_with_the_clinics_rest_pain_floor(
    rest_floor, shown
):
    thresholds = DEFAULTS.with_overrides({"prompt_review_rest_pain": rest_floor})
    result = triage(facts(), thresholds)
    assert result.level == "routine"
    assert [(r.code, r.level, r.detail) for r in result.reasons] == [
        (
            "no_referral_criteria",
            "routine",
            "no red flag or mechanical symptom, no night pain, no rest pain of "
            f"{shown} or more, no pain building during runs",
        )
    ]
