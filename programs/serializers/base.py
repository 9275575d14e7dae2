"""What the programs app's shapes share: focus lists, uniqueness, doses."""

from typing import Any

from rest_framework import serializers

from clinical.programs import ProgramFocus
from common.fields import StrictCharField, StrictChoiceField, StrictIntegerField, StrictListField
from common.relations import ClinicScopedRelatedField
from common.serializers import StrictModelSerializer, StrictSerializer
from programs.models import HOLD_SECONDS_MAX, LOAD_MAX_LENGTH, REPS_MAX, SETS_MAX, Exercise

ITEMS_MAX = 30


def focus_list_field(**kwargs: Any) -> StrictListField:
    return StrictListField(
        child=StrictChoiceField(choices=ProgramFocus.choices),
        max_length=len(ProgramFocus.choices),
        help_text="Program focus codes (those of an intake's contributing factors, or general).",
        **kwargs,
    )


def _unique(values: list[Any], what: str) -> list[Any]:
    if len(set(values)) != len(values):
        raise serializers.ValidationError(f"Each {what} may appear only once.")
    return values


# --- Doses ---------------------------------------------------------------------------------


class DoseFieldsMixin(StrictSerializer[Any]):
    sets = StrictIntegerField(min_value=1, max_value=SETS_MAX, required=False)
    reps = StrictIntegerField(min_value=1, max_value=REPS_MAX, required=False)
    hold_seconds = StrictIntegerField(min_value=0, max_value=HOLD_SECONDS_MAX, required=False)
    load = StrictCharField(
        max_length=LOAD_MAX_LENGTH, required=False, allow_blank=True, help_text="Free text."
    )
    days_per_week = StrictIntegerField(min_value=1, max_value=7, required=False)


class PrescribedItemSerializer(DoseFieldsMixin):
    """An exercise with its dose; a dose field left out takes the exercise's default."""

    exercise = ClinicScopedRelatedField(
        queryset=Exercise.objects.filter(is_active=True),
        shared=True,
        help_text="Exercise id (shipped or this clinic's).",
    )


class ExerciseBriefSerializer(StrictModelSerializer[Exercise]):
    class Meta:
        model = Exercise
        fields = ["id", "code", "name", "region", "kind"]
        read_only_fields = fields


class DoseOutMixin(StrictSerializer[Any]):
    exercise = ExerciseBriefSerializer(read_only=True)
    order = StrictIntegerField(read_only=True)
    sets = StrictIntegerField(read_only=True)
    reps = StrictIntegerField(read_only=True)
    hold_seconds = StrictIntegerField(read_only=True)
    load = StrictCharField(read_only=True)
    days_per_week = StrictIntegerField(read_only=True)
