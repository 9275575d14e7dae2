"""What the programs app's shapes share: focus lists, uniqueness, doses."""

from typing import Any

from rest_framework import serializers

from common.fields import StrictIntegerField
from common.relations import ClinicScopedRelatedField
from programs.models import (
    HOLD_SECONDS_MAX,
    LOAD_MAX_LENGTH,
    REPS_MAX,
    SETS_MAX,
    Exercise,
    ProgramFocus,
)

ITEMS_MAX = 30


def focus_list_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=ProgramFocus.choices),
        max_length=len(ProgramFocus.choices),
        help_text="Program focus codes (those of an intake's contributing factors, or general).",
        **kwargs,
    )


def _unique(values: list[Any], what: str) -> list[Any]:
    if len(set(values)) != len(values):
        raise serializers.ValidationError(f"Each {what} may appear only once.")
    return values


# --- Doses ---------------------------------------------------------------------------------


class DoseFieldsMixin(serializers.Serializer[Any]):
    sets = StrictIntegerField(min_value=1, max_value=SETS_MAX, required=False)
    reps = StrictIntegerField(min_value=1, max_value=REPS_MAX, required=False)
    hold_seconds = StrictIntegerField(min_value=0, max_value=HOLD_SECONDS_MAX, required=False)
    load = serializers.CharField(
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


class ExerciseBriefSerializer(serializers.ModelSerializer[Exercise]):
    class Meta:
        model = Exercise
        fields = ["id", "code", "name", "region", "kind"]
        read_only_fields = fields


class DoseOutMixin(serializers.Serializer[Any]):
    exercise = ExerciseBriefSerializer(read_only=True)
    order = serializers.IntegerField(read_only=True)
    sets = serializers.IntegerField(read_only=True)
    reps = serializers.IntegerField(read_only=True)
    hold_seconds = serializers.IntegerField(read_only=True)
    load = serializers.CharField(read_only=True)
    days_per_week = serializers.IntegerField(read_only=True)
