"""One clinical vocabulary (`clinical/`): the models store its codes, the schema publishes one
enum per concept with its values, and no other module keeps a list of the same codes."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from assessments.models import Assessment, QuestionnaireResponse
from clinical.advice import ADVICE_ORDER, AdviceLevel
from clinical.codes import Code, choices
from clinical.escalations import CHECK_IN_RULES, ESCALATION_CODES, RuleCode
from clinical.intake import (
    Aggravator,
    FactorCode,
    Finding,
    Location,
    RecentChange,
    Timing,
    TriageLevel,
    TriageReasonCode,
)
from clinical.ladder import LadderAction, PauseReason
from clinical.measures import Instrument
from clinical.patterns import KneePattern
from clinical.programs import FACTOR_FOCI, ProgramFocus
from clinical.severity import SEVERITY_ORDER, Severity, severity_rank
from clinical.symptoms import SYMPTOM_GROUP, Symptom, SymptomGroup, symptom_label
from patients.models import CheckIn, Escalation, EscalationEvidence, UndeliverableNotification
from programs.models import (
    ExerciseFocus,
    LadderEvent,
    PatientLadder,
    ProgramTemplate,
    TemplateFocus,
)

ROOT = Path(__file__).resolve().parents[2]

VOCABULARIES: tuple[type[Code], ...] = (
    Symptom,
    SymptomGroup,
    Severity,
    AdviceLevel,
    RuleCode,
    ProgramFocus,
    KneePattern,
    LadderAction,
    PauseReason,
    Location,
    Timing,
    Aggravator,
    RecentChange,
    Finding,
    TriageLevel,
    TriageReasonCode,
    FactorCode,
    Instrument,
)

# Every model field that stores one of the codes, with the choices it must have.
MODEL_FIELDS = {
    (Escalation, "code"): choices(ESCALATION_CODES),
    (Escalation, "severity"): Severity.choices,
    (EscalationEvidence, "severity"): Severity.choices,
    (UndeliverableNotification, "severity"): Severity.choices,
    (CheckIn, "advice_level"): AdviceLevel.choices,
    (ExerciseFocus, "focus"): ProgramFocus.choices,
    (TemplateFocus, "focus"): ProgramFocus.choices,
    (ProgramTemplate, "pattern"): KneePattern.choices,
    (PatientLadder, "pause_reason"): PauseReason.choices,
    (LadderEvent, "action"): LadderAction.choices,
    (Assessment, "location"): Location.choices,
    (Assessment, "timing"): Timing.choices,
    (Assessment, "triage_level"): TriageLevel.choices,
    (QuestionnaireResponse, "instrument"): Instrument.choices,
}

# The schema's enum component of each concept, with the values it must list.
SCHEMA_ENUMS = {
    "SymptomsEnum": Symptom.values,
    "SymptomGroupEnum": SymptomGroup.values,
    "SeverityEnum": Severity.values,
    "AdviceLevelEnum": AdviceLevel.values,
    "CheckInRuleEnum": [c.value for c in CHECK_IN_RULES],
    "EscalationCodeEnum": [c.value for c in ESCALATION_CODES],
    "ProgramFocusEnum": ProgramFocus.values,
    "KneePatternEnum": KneePattern.values,
    "LadderActionEnum": LadderAction.values,
    "LadderPauseReasonEnum": PauseReason.values,
    "LocationEnum": Location.values,
    "TimingEnum": Timing.values,
    "AggravatorsEnum": Aggravator.values,
    "RecentChangesEnum": RecentChange.values,
    "FindingsEnum": Finding.values,
    "TriageLevelEnum": TriageLevel.values,
    "TriageReasonCodeEnum": TriageReasonCode.values,
    "FactorCodeEnum": FactorCode.values,
    "InstrumentEnum": Instrument.values,
}
# Components that list part of a vocabulary on purpose: the instruments a patient may send.
SCHEMA_SUBSETS = {"AppInstrumentEnum": Instrument.values}


def test_the_vocabulary_is_ordered_and_readable():
    assert [s.value for s in SEVERITY_ORDER] == ["low", "moderate", "high", "critical"]
    assert [severity_rank(s) for s in (None, "low", "moderate", "high", "critical")] == [
        0,
        1,
        2,
        3,
        4,
    ]
    with pytest.raises(ValueError, match="Unknown severity"):
        severity_rank("severe")
    assert [a.value for a in ADVICE_ORDER][-1] == "seek_urgent_care"
    assert Symptom.HOT_SWOLLEN_KNEE_FEVER.label == "Hot, swollen knee with fever"
    assert symptom_label("hot_swollen_knee_fever") == "Hot, swollen knee with fever"
    assert symptom_label("retired_code") == "Retired code"
    assert set(SYMPTOM_GROUP) == set(Symptom)
    assert ProgramFocus.GENERAL not in FACTOR_FOCI and len(FACTOR_FOCI) == len(ProgramFocus) - 1
    assert RuleCode.RUN_SPIKE in CHECK_IN_RULES and RuleCode.RUN_SPIKE not in ESCALATION_CODES
    for vocabulary in VOCABULARIES:
        assert all(code.label for code in vocabulary), vocabulary
        assert len(set(vocabulary.values)) == len(vocabulary), vocabulary


@pytest.mark.parametrize(
    ("model", "name"), list(MODEL_FIELDS), ids=lambda v: getattr(v, "__name__", v)
)
def test_a_model_field_stores_exactly_the_vocabulary(model, name):
    assert list(model._meta.get_field(name).choices) == MODEL_FIELDS[(model, name)]


def test_no_other_model_field_stores_part_of_a_vocabulary():
    listed = {(model, name) for model, name in MODEL_FIELDS}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            values = {v for v, _ in getattr(field, "choices", None) or []}
            for vocabulary in VOCABULARIES:
                if len(values & set(vocabulary.values)) >= 2:
                    assert (model, field.name) in listed, (model, field.name, vocabulary)


@pytest.fixture
def enums(api_schema):
    schema = api_schema
    return {
        name: component["enum"]
        for name, component in schema["components"]["schemas"].items()
        if "enum" in component
    }


def test_the_schema_publishes_one_enum_per_concept_with_its_values(enums):
    for name, values in SCHEMA_ENUMS.items():
        assert enums.get(name) == values, name
    # No second component for a concept: any other enum sharing two codes with a vocabulary
    # is one of the listed subsets.
    for name, values in enums.items():
        if name in SCHEMA_ENUMS:
            continue
        for vocabulary in VOCABULARIES:
            shared = set(values) & set(vocabulary.values)
            if len(shared) >= 2:
                assert name in SCHEMA_SUBSETS, (name, vocabulary)
                assert set(values) <= set(SCHEMA_SUBSETS[name]), name
    assert "FactorFocusEnum" not in enums and "PatternCodeEnum" not in enums


# --- No second list of the same codes ------------------------------------------------------

SOURCE_DIRS = (
    "assessments",
    "clinic",
    "common",
    "config",
    "console",
    "monitoring",
    "patients",
    "programs",
)


def _sources():
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _strings(nodes):
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


# Vocabularies whose order matters: a second list of them would be a second ranking.
RANKED = (Severity, AdviceLevel, TriageLevel)


def _second_lists(tree):
    """(line, vocabulary, what) for each place a module lists codes of a vocabulary itself:
    an enum or choices class declaring two of its codes, a tuple, list or set holding all of
    its codes (or three of a ranked one), a dict ranking two of its codes with numbers."""
    vocabularies = [(vocabulary, set(vocabulary.values)) for vocabulary in VOCABULARIES]
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            declared = set()
            for statement in node.body:
                if isinstance(statement, ast.Assign):
                    value = statement.value
                    if isinstance(value, ast.Tuple) and value.elts:
                        value = value.elts[0]
                    declared |= _strings([value])
            for vocabulary, codes in vocabularies:
                if len(declared & codes) >= 2:
                    yield node.lineno, vocabulary, f"class {node.name}"
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = _strings(node.elts)
            for vocabulary, codes in vocabularies if strings else ():
                listed = strings & codes
                if listed == codes or (vocabulary in RANKED and len(listed) >= 3):
                    yield node.lineno, vocabulary, "a list"
        elif isinstance(node, ast.Dict):
            keys = _strings(k for k in node.keys if k is not None)
            numbers = all(
                isinstance(v, ast.Constant) and isinstance(v.value, int | float)
                for v in node.values
            )
            for vocabulary, codes in vocabularies if len(keys) >= 2 and numbers else ():
                if len(keys & codes) >= 2:
                    yield node.lineno, vocabulary, "a ranking"


def test_no_other_module_keeps_a_list_of_the_codes():
    found = [
        f"{path.relative_to(ROOT)}:{line} {what} of {vocabulary.__name__}"
        for path in _sources()
        for line, vocabulary, what in _second_lists(ast.parse(path.read_text()))
    ]
    assert found == []


def test_the_scan_finds_a_second_ranking_or_enum():
    source = """
SEVERITY_RANK = {"low": 1, "moderate": 2, "high": 3, "critical": 4}
ORDER = ("low", "moderate", "high")
class Focus:
    MOBILITY = "mobility", "Mobility"
    GENERAL = "general", "General knee"
"""
    found = {(v.__name__, what) for _, v, what in _second_lists(ast.parse(source))}
    assert found == {
        ("Severity", "a ranking"),
        ("Severity", "a list"),
        ("ProgramFocus", "class Focus"),
    }
