"""Reads other apps call: the focus mapping for the intake, program exercise ids for check-ins."""

import pytest

from programs.selectors import (
    active_program_exercise_ids,
    exercise_weekdays,
    exercises_for_focus,
    templates_for_focus,
)
from tests.programs.conftest import prescribe

pytestmark = pytest.mark.django_db


def test_templates_for_an_intakes_focus_codes(clinic_a):
    codes = [t.code for t in templates_for_focus(clinic=clinic_a, focus=["footwear_review"])]
    assert codes == ["general_knee"]
    codes = {
        t.code for t in templates_for_focus(clinic=clinic_a, focus=["hip_strength", "general"])
    }
    assert codes == {"general_knee", "iliotibial_band", "patellofemoral_pain"}
    assert not templates_for_focus(clinic=clinic_a, focus=[]).exists()


def test_exercises_for_focus_codes_include_the_clinics_own_only(
    clinic_a, clinic_b, a_exercise, b_exercise
):
    mine = {e.code for e in exercises_for_focus(clinic=clinic_a, focus=["quadriceps_strength"])}
    assert "a_own" in mine and "wall_sit" in mine and "clamshell" not in mine
    b_exercise.focus_links.create(focus="quadriceps_strength")
    theirs = {e.code for e in exercises_for_focus(clinic=clinic_b, focus=["quadriceps_strength"])}
    assert "b_own" in theirs and "a_own" not in theirs
    a_exercise.is_active = False
    a_exercise.save(update_fields=["is_active"])
    assert "a_own" not in {
        e.code for e in exercises_for_focus(clinic=clinic_a, focus=["quadriceps_strength"])
    }


def test_active_program_exercise_ids_are_the_active_versions_only(pat, quinn, alice, bob):
    first = prescribe(pat, alice, "clamshell")
    assert active_program_exercise_ids(patient_id=pat.pk) == {i.pk for i in first.items.all()}
    second = prescribe(pat, alice, "wall_sit", "step_up")
    assert active_program_exercise_ids(patient_id=pat.pk) == {i.pk for i in second.items.all()}
    assert active_program_exercise_ids(patient_id=quinn.pk) == set()


@pytest.mark.parametrize(
    ("days", "weekdays"),
    [
        (1, {0}),
        (2, {0, 3}),
        (3, {0, 2, 4}),
        (4, {0, 1, 3, 5}),
        (6, {0, 1, 2, 3, 4, 5}),
        (7, set(range(7))),
    ],
)
def test_exercise_days_are_spread_over_the_week(days, weekdays):
    assert exercise_weekdays(days) == weekdays
