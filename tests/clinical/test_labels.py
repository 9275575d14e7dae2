"""What a therapist reads of a code (its label in the console and the schema), and the order
severities and advice levels are compared in (pure: no database, no cache)."""

import pytest

from clinical.advice import ADVICE_ORDER, AdviceLevel, advice_rank
from clinical.codes import Code, choices, code_label
from clinical.intake import FactorCode, Location, TriageReasonCode
from clinical.severity import Severity, severity_rank
from clinical.symptoms import (
    EMERGENCY_SYMPTOMS,
    LOAD_SYMPTOMS,
    MECHANICAL_SYMPTOMS,
    Symptom,
    SymptomGroup,
    symptom_label,
    symptoms_in_group,
)

pytestmark = pytest.mark.pure


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("step_back", "Step back"),
        ("anterior", "Anterior"),
        ("stiff_ankle_or_hip", "Stiff ankle or hip"),
        ("ALL_CAPS", "All caps"),
        ("", ""),
    ],
)
def test_a_code_without_a_label_reads_as_its_words(code, label):
    assert code_label(code) == label


def test_a_vocabulary_gives_bare_codes_their_words_and_keeps_given_labels():
    class Reason(Code):
        STEP_BACK = "step_back"
        HIGH_PAIN = "high_pain", "Pain too high to run"

    assert Reason.STEP_BACK.label == "Step back"
    assert Reason.HIGH_PAIN.label == "Pain too high to run"
    assert Reason.choices == [("step_back", "Step back"), ("high_pain", "Pain too high to run")]
    assert choices([Reason.HIGH_PAIN]) == [("high_pain", "Pain too high to run")]


def test_the_labels_the_console_shows_for_bare_codes():
    assert Location.ANTERIOR.label == "Anterior"
    assert FactorCode.STIFF_ANKLE_OR_HIP.label == "Stiff ankle or hip"
    assert TriageReasonCode.TRAUMA_UNABLE_TO_BEAR_WEIGHT.label == "Trauma unable to bear weight"


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("hot_swollen_knee_fever", "Hot, swollen knee with fever"),
        ("calf_pain_swelling", "Calf pain and swelling"),
        ("numbness_tingling", "Numbness or tingling"),
        # A code stored before the list changed reads as its words.
        ("retired_code", "Retired code"),
        ("knee_felt_odd", "Knee felt odd"),
    ],
)
def test_a_symptom_reads_as_its_label(code, label):
    assert symptom_label(code) == label


def test_the_symptom_groups():
    assert symptoms_in_group(SymptomGroup.EMERGENCY) == {
        Symptom.CANNOT_BEAR_WEIGHT,
        Symptom.HOT_SWOLLEN_KNEE_FEVER,
        Symptom.CALF_PAIN_SWELLING,
        Symptom.NUMBNESS_TINGLING,
    }
    assert symptoms_in_group(SymptomGroup.LOAD) == {Symptom.LIMPING}
    assert symptoms_in_group(SymptomGroup.MECHANICAL) == {
        Symptom.LOCKING,
        Symptom.GIVING_WAY,
        Symptom.SWELLING,
        Symptom.CATCHING,
        Symptom.NIGHT_PAIN,
        Symptom.SHARP_PAIN,
    }
    assert tuple(symptoms_in_group(g) for g in SymptomGroup) == (
        EMERGENCY_SYMPTOMS,
        MECHANICAL_SYMPTOMS,
        LOAD_SYMPTOMS,
    )


def test_severities_rank_low_to_critical_and_none_below_all():
    assert [severity_rank(s) for s in (None, "low", "moderate", "high", "critical")] == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert severity_rank(Severity.HIGH) == 3


@pytest.mark.parametrize("severity", ["severe", "", "Critical"])
def test_an_unknown_severity_is_refused_by_name(severity):
    with pytest.raises(ValueError) as refused:
        severity_rank(severity)
    assert str(refused.value) == f"Unknown severity {severity!r}."
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_advice_levels_rank_continue_to_urgent_care():
    assert [advice_rank(level) for level in ADVICE_ORDER] == [0, 1, 2, 3]
    assert advice_rank("seek_urgent_care") == 3
    assert advice_rank(AdviceLevel.REDUCE) == 1


@pytest.mark.parametrize("level", ["panic", "", "Reduce"])
def test_an_unknown_advice_level_is_refused_by_name(level):
    with pytest.raises(ValueError) as refused:
        advice_rank(level)
    assert str(refused.value) == f"Unknown advice level {level!r}."
    assert refused.value.__suppress_context__
