"""Writes for the clinic's own library: exercises, program templates and run ladders."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from clinic.models import Clinic, StaffUser
from programs import rules
from programs.models import (
    Exercise,
    ExerciseFocus,
    ProgramTemplate,
    RunLadder,
    RunLadderLevel,
    TemplateExercise,
    TemplateFocus,
)
from programs.services.errors import ShippedReadOnly

DOSE_FIELDS = ("sets", "reps", "hold_seconds", "load", "days_per_week")


@transaction.atomic
def exercise_create(*, clinic: Clinic, by: StaffUser, data: dict[str, Any]) -> Exercise:
    data = dict(data)
    focus = data.pop("focus", [])
    exercise = Exercise(clinic=clinic, created_by=by, **data)
    exercise.full_clean()
    exercise.save()
    ExerciseFocus.objects.bulk_create(ExerciseFocus(exercise=exercise, focus=f) for f in focus)
    return exercise


@transaction.atomic
def exercise_update(*, exercise: Exercise, by: StaffUser, data: dict[str, Any]) -> Exercise:
    """Change a clinic's own exercise; the shipped library is read-only."""
    if exercise.clinic_id is None or exercise.clinic_id != by.clinic_id:
        raise ShippedReadOnly()
    data = dict(data)
    focus = data.pop("focus", None)
    for field, value in data.items():
        setattr(exercise, field, value)
    exercise.full_clean()
    exercise.save(update_fields=[*data, "updated_at"])
    if focus is not None:
        exercise.focus_links.all().delete()
        ExerciseFocus.objects.bulk_create(ExerciseFocus(exercise=exercise, focus=f) for f in focus)
    return exercise


def dose_of(item: dict[str, Any]) -> dict[str, Any]:
    """An item's dose, each field missing from it taken from its exercise's default dose."""
    exercise: Exercise = item["exercise"]
    return {
        field: item[field] if item.get(field) is not None else getattr(exercise, f"default_{field}")
        for field in DOSE_FIELDS
    }


def check_visible(clinic_id: int, exercises: Iterable[Exercise]) -> None:
    for exercise in exercises:
        if exercise.clinic_id not in (None, clinic_id):
            raise ValueError("An exercise of another clinic cannot be used.")


@transaction.atomic
def template_create(*, clinic: Clinic, by: StaffUser, data: dict[str, Any]) -> ProgramTemplate:
    data = dict(data)
    focus = data.pop("focus", [])
    items = data.pop("items")
    check_visible(clinic.pk, (item["exercise"] for item in items))
    template = ProgramTemplate(clinic=clinic, created_by=by, **data)
    template.full_clean()
    template.save()
    TemplateFocus.objects.bulk_create(TemplateFocus(template=template, focus=f) for f in focus)
    TemplateExercise.objects.bulk_create(
        TemplateExercise(template=template, exercise=item["exercise"], order=order, **dose_of(item))
        for order, item in enumerate(items, start=1)
    )
    return template


@transaction.atomic
def run_ladder_create(*, clinic: Clinic, by: StaffUser, data: dict[str, Any]) -> RunLadder:
    """A clinic's own ladder; levels are numbered in the order given and never change."""
    data = dict(data)
    levels = data.pop("levels")
    rules.ladder_validate(
        tuple(rules.LadderLevel(number=n, **level) for n, level in enumerate(levels, start=1))
    )
    ladder = RunLadder(clinic=clinic, created_by=by, **data)
    ladder.full_clean()
    ladder.save()
    RunLadderLevel.objects.bulk_create(
        RunLadderLevel(ladder=ladder, number=n, **level) for n, level in enumerate(levels, start=1)
    )
    return ladder
