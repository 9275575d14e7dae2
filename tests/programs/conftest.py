"""Fixtures for the programs tests: the shipped library, clinic exercises, programs, ladders."""

from typing import Any

import factory
import pytest

from clinic.models import StaffUser
from patients.models import Patient
from programs import services
from programs.models import Exercise, PatientLadder, PatientProgram, RunLadder


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    code = factory.Sequence(lambda n: f"clinic_exercise_{n}")
    name = factory.Sequence(lambda n: f"Clinic exercise {n}")
    region = "thigh"
    kind = "strength"
    instructions = "Do it slowly."


def shipped(code: str) -> Exercise:
    return Exercise.objects.get(clinic__isnull=True, code=code)


@pytest.fixture
def default_ladder(db: None) -> RunLadder:
    return RunLadder.objects.get(clinic__isnull=True, code="default")


@pytest.fixture
def a_exercise(clinic_a: Any) -> Exercise:
    """An exercise of clinic A's own."""
    exercise = ExerciseFactory(clinic=clinic_a, code="a_own", name="A's own lunge")
    exercise.focus_links.create(focus="quadriceps_strength")
    return exercise


@pytest.fixture
def b_exercise(clinic_b: Any) -> Exercise:
    """An exercise of clinic B's own: clinic A must never see it."""
    return ExerciseFactory(clinic=clinic_b, code="b_own", name="B's own hop")


def prescribe(
    patient: Patient, by: StaffUser, *codes: str, dose: dict[str, Any] | None = None, **data: Any
) -> PatientProgram:
    items = [{"exercise": shipped(code), **(dose or {})} for code in codes]
    return services.program_prescribe(patient=patient, by=by, data={"items": items, **data})


@pytest.fixture
def pat_program(pat: Patient, alice: StaffUser) -> PatientProgram:
    return prescribe(pat, alice, "clamshell", "wall_sit", "single_leg_balance")


@pytest.fixture
def pat_ladder(pat: Patient, alice: StaffUser, default_ladder: RunLadder) -> PatientLadder:
    return services.ladder_start(patient=pat, by=alice, ladder=default_ladder, level=1)
