"""The clinic's library: exercises, program templates and run ladders."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinical.patterns import KneePattern
from clinical.programs import ProgramFocus
from common.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictListField,
    StrictSlugField,
)
from common.relations import clinic_or_shared
from common.serializers import StrictModelSerializer, StrictSerializer
from programs.models import (
    HOLD_SECONDS_MAX,
    LADDER_LEVELS_MAX,
    LOAD_MAX_LENGTH,
    REPS_MAX,
    SETS_MAX,
    BodyRegion,
    Exercise,
    ExerciseKind,
    Muscle,
    ProgramTemplate,
    RunLadder,
    RunLadderLevel,
    TemplateExercise,
)
from programs.serializers.base import (
    ITEMS_MAX,
    DoseOutMixin,
    PrescribedItemSerializer,
    _unique,
    focus_list_field,
)

# --- Exercises -----------------------------------------------------------------------------


class FocusOutMixin(StrictSerializer[Any]):
    focus = serializers.SerializerMethodField()

    @extend_schema_field(StrictListField(child=StrictChoiceField(ProgramFocus.choices)))
    def get_focus(self, obj: Any) -> list[str]:
        return sorted(link.focus for link in obj.focus_links.all())


class ExerciseSerializer(FocusOutMixin, StrictModelSerializer[Exercise]):
    shipped = StrictBooleanField(read_only=True, help_text="Shipped with Stride: read-only.")

    class Meta:
        model = Exercise
        fields = [
            "id",
            "code",
            "name",
            "region",
            "kind",
            "focus",
            "muscles",
            "instructions",
            "default_sets",
            "default_reps",
            "default_hold_seconds",
            "default_load",
            "default_days_per_week",
            "is_active",
            "shipped",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ExerciseWriteSerializer(StrictSerializer[Any]):
    code = StrictSlugField(
        max_length=60, required=False, allow_blank=True, help_text="A short code, unique here."
    )
    name = StrictCharField(max_length=120)
    region = StrictChoiceField(choices=BodyRegion.choices)
    kind = StrictChoiceField(choices=ExerciseKind.choices)
    focus = focus_list_field(required=False)
    muscles = StrictListField(
        child=StrictChoiceField(choices=Muscle.choices),
        required=False,
        max_length=len(Muscle.choices),
        help_text="The muscle groups it trains, main ones first.",
    )
    instructions = StrictCharField(max_length=2000, help_text="Plain language, for patients.")
    default_sets = StrictIntegerField(min_value=1, max_value=SETS_MAX, required=False)
    default_reps = StrictIntegerField(min_value=1, max_value=REPS_MAX, required=False)
    default_hold_seconds = StrictIntegerField(
        min_value=0, max_value=HOLD_SECONDS_MAX, required=False
    )
    default_load = StrictCharField(max_length=LOAD_MAX_LENGTH, required=False, allow_blank=True)
    default_days_per_week = StrictIntegerField(min_value=1, max_value=7, required=False)
    is_active = StrictBooleanField(required=False)

    def validate_focus(self, value: list[str]) -> list[str]:
        return _unique(value, "focus")

    def validate_muscles(self, value: list[str]) -> list[str]:
        return _unique(value, "muscle")

    def validate_code(self, value: str) -> str:
        if not value:
            return value
        clinic = self.context["clinic"]
        taken = Exercise.objects.filter(clinic_or_shared(clinic), code=value)
        instance = self.context.get("instance")
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise serializers.ValidationError("An exercise with this code already exists.")
        return value


# --- Templates -----------------------------------------------------------------------------


class TemplateItemSerializer(DoseOutMixin, StrictModelSerializer[TemplateExercise]):
    class Meta:
        model = TemplateExercise
        fields = ["exercise", "order", "sets", "reps", "hold_seconds", "load", "days_per_week"]
        read_only_fields = fields


class ProgramTemplateSerializer(FocusOutMixin, StrictModelSerializer[ProgramTemplate]):
    shipped = serializers.SerializerMethodField()
    exercises = TemplateItemSerializer(source="items", many=True, read_only=True)
    pattern = StrictChoiceField(choices=KneePattern.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ProgramTemplate
        fields = [
            "id",
            "code",
            "name",
            "description",
            "guidance",
            "pattern",
            "focus",
            "exercises",
            "shipped",
            "created_at",
        ]
        read_only_fields = fields

    def get_shipped(self, obj: ProgramTemplate) -> bool:
        return obj.clinic_id is None


class ProgramTemplateWriteSerializer(StrictSerializer[Any]):
    name = StrictCharField(max_length=120)
    description = StrictCharField(max_length=2000, required=False, allow_blank=True)
    guidance = StrictCharField(max_length=2000, required=False, allow_blank=True)
    pattern = StrictChoiceField(choices=KneePattern.choices, required=False, allow_blank=True)
    focus = focus_list_field(min_length=1)
    exercises = StrictListField(
        child=PrescribedItemSerializer(), min_length=1, max_length=ITEMS_MAX
    )

    def validate_exercises(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        _unique([item["exercise"].pk for item in value], "exercise")
        return value

    def validate_focus(self, value: list[str]) -> list[str]:
        return _unique(value, "focus")


# --- Run ladders ---------------------------------------------------------------------------


class RunLadderLevelSerializer(StrictModelSerializer[RunLadderLevel]):
    running_minutes = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()

    class Meta:
        model = RunLadderLevel
        fields = [
            "number",
            "run_minutes",
            "walk_minutes",
            "repeats",
            "running_minutes",
            "description",
        ]
        read_only_fields = fields

    def get_running_minutes(self, obj: RunLadderLevel) -> int:
        return obj.run_minutes * obj.repeats

    def get_description(self, obj: RunLadderLevel) -> str:
        from programs.rules import LadderLevel

        return LadderLevel(obj.number, obj.run_minutes, obj.walk_minutes, obj.repeats).describe()


class RunLadderSerializer(StrictModelSerializer[RunLadder]):
    levels = RunLadderLevelSerializer(many=True, read_only=True)
    shipped = serializers.SerializerMethodField()

    class Meta:
        model = RunLadder
        fields = ["id", "code", "name", "description", "levels", "shipped", "created_at"]
        read_only_fields = fields

    def get_shipped(self, obj: RunLadder) -> bool:
        return obj.clinic_id is None


class RunLadderLevelWriteSerializer(StrictSerializer[Any]):
    run_minutes = StrictIntegerField(min_value=1, max_value=120)
    walk_minutes = StrictIntegerField(min_value=0, max_value=30, required=False, default=0)
    repeats = StrictIntegerField(min_value=1, max_value=20, required=False, default=1)


class RunLadderWriteSerializer(StrictSerializer[Any]):
    name = StrictCharField(max_length=120)
    description = StrictCharField(max_length=2000, required=False, allow_blank=True)
    levels = StrictListField(
        child=RunLadderLevelWriteSerializer(),
        min_length=1,
        max_length=LADDER_LEVELS_MAX,
        help_text="Level 1 first.",
    )
