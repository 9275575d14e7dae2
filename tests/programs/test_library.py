"""The library shipped by the data migration: exercises, templates, the default ladder."""

from collections import Counter

import pytest

from clinical.programs import ProgramFocus
from programs.models import (
    BodyRegion,
    Exercise,
    ExerciseKind,
    ProgramTemplate,
    RunLadder,
)
from tests.programs.ladder_helpers import DEFAULT_LADDER

pytestmark = pytest.mark.django_db

# Foci served by advice (the ladder, a cadence cue, a shoe check) rather than by an exercise.
ADVICE_FOCI = {"load_management", "gait_cadence", "footwear_review"}


def test_at_least_24_exercises_ship_complete_and_distinct():
    exercises = list(Exercise.objects.filter(clinic__isnull=True).prefetch_related("focus_links"))
    assert len(exercises) >= 24
    assert len({e.code for e in exercises}) == len(exercises)
    assert len({e.name for e in exercises}) == len(exercises)
    for exercise in exercises:
        assert exercise.region in BodyRegion.values
        assert exercise.kind in ExerciseKind.values
        assert len(exercise.instructions) > 120, exercise.code
        assert 1 <= exercise.default_sets <= 10 and 1 <= exercise.default_reps <= 100
        assert 0 <= exercise.default_hold_seconds <= 600
        assert 1 <= exercise.default_days_per_week <= 7
        assert exercise.focus_links.all(), exercise.code
        assert exercise.is_active


def test_the_library_covers_what_the_seed_article_names():
    exercises = Exercise.objects.filter(clinic__isnull=True)
    kinds = Counter(exercises.values_list("kind", flat=True))
    assert kinds["strength"] >= 12 and kinds["mobility"] >= 4 and kinds["balance"] >= 3

    def having(focus: str, **filters: str) -> int:
        return exercises.filter(focus_links__focus=focus, **filters).count()

    assert having("hip_strength", region="hip") >= 4  # hip and glute strength
    assert having("quadriceps_strength", region="thigh") >= 4  # quadriceps
    assert exercises.filter(code__in=["bridge_walkout", "sliding_leg_curl"]).count() == 2
    assert having("calf_strength", region="lower_leg") >= 3  # calves
    assert having("mobility", region="ankle_foot") >= 1  # ankle mobility
    assert having("mobility", region="hip") >= 2  # hip mobility
    assert having("balance_control", kind="balance") >= 3  # balance, single-leg control


def test_templates_for_the_common_patterns_serve_every_focus_code():
    templates = ProgramTemplate.objects.filter(clinic__isnull=True).prefetch_related(
        "focus_links", "items"
    )
    by_code = {t.code: t for t in templates}
    assert set(by_code) == {
        "patellofemoral_pain",
        "iliotibial_band",
        "patellar_tendon",
        "general_knee",
    }
    assert by_code["patellofemoral_pain"].pattern == "patellofemoral_pain"
    assert by_code["iliotibial_band"].pattern == "iliotibial_band_syndrome"
    assert by_code["patellar_tendon"].pattern == "patellar_tendinopathy"
    assert by_code["general_knee"].pattern == ""
    served = {link.focus for t in templates for link in t.focus_links.all()}
    assert served == set(ProgramFocus.values)
    for template in templates:
        assert len(template.items.all()) >= 5 and template.guidance


def test_every_exercise_focus_has_exercises():
    for focus in set(ProgramFocus.values) - ADVICE_FOCI:
        assert Exercise.objects.filter(clinic__isnull=True, focus_links__focus=focus).exists(), (
            focus
        )


def test_the_default_ladder_is_the_one_of_clinical_md():
    ladder = RunLadder.objects.get(clinic__isnull=True, code="default")
    levels = [
        (lv.number, lv.run_minutes, lv.walk_minutes, lv.repeats) for lv in ladder.levels.all()
    ]
    assert levels == [
        (lv.number, lv.run_minutes, lv.walk_minutes, lv.repeats) for lv in DEFAULT_LADDER
    ]
    running = [lv.run_minutes * lv.repeats for lv in ladder.levels.all()]
    assert running == [6, 10, 15, 20, 24, 24, 20, 30]
