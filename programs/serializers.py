"""Input and output shapes for exercises, templates, programs, run ladders and today's plan."""

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import StrictIntegerField
from patients.models import Patient
from programs import rules
from programs.models import (
    HOLD_SECONDS_MAX,
    LADDER_LEVELS_MAX,
    LOAD_MAX_LENGTH,
    REPS_MAX,
    SETS_MAX,
    BodyRegion,
    Exercise,
    ExerciseKind,
    KneePattern,
    LadderAction,
    LadderEvent,
    LadderEventKind,
    Muscle,
    PatientLadder,
    PatientProgram,
    PauseReason,
    ProgramExercise,
    ProgramFocus,
    ProgramTemplate,
    RunLadder,
    RunLadderLevel,
    TemplateExercise,
)

ITEMS_MAX = 30


def _clinic_of(field: serializers.Field[Any, Any, Any, Any]) -> Any:
    return field.context.get("clinic")


@extend_schema_field(OpenApiTypes.INT)
class VisibleExerciseField(serializers.PrimaryKeyRelatedField[Exercise]):
    """An active exercise of the shipped library or of the caller's clinic (context `clinic`)."""

    def get_queryset(self) -> QuerySet[Exercise]:
        clinic = _clinic_of(self)
        if clinic is None:
            return Exercise.objects.none()
        return Exercise.objects.filter(Q(clinic=clinic) | Q(clinic__isnull=True), is_active=True)


@extend_schema_field(OpenApiTypes.INT)
class VisibleTemplateField(serializers.PrimaryKeyRelatedField[ProgramTemplate]):
    def get_queryset(self) -> QuerySet[ProgramTemplate]:
        clinic = _clinic_of(self)
        if clinic is None:
            return ProgramTemplate.objects.none()
        return ProgramTemplate.objects.filter(Q(clinic=clinic) | Q(clinic__isnull=True))


@extend_schema_field(OpenApiTypes.INT)
class VisibleRunLadderField(serializers.PrimaryKeyRelatedField[RunLadder]):
    def get_queryset(self) -> QuerySet[RunLadder]:
        clinic = _clinic_of(self)
        if clinic is None:
            return RunLadder.objects.none()
        return RunLadder.objects.filter(Q(clinic=clinic) | Q(clinic__isnull=True))


@extend_schema_field(OpenApiTypes.INT)
class ClinicPatientField(serializers.PrimaryKeyRelatedField[Patient]):
    """A patient of the caller's clinic; another clinic's patient "does not exist"."""

    def get_queryset(self) -> QuerySet[Patient]:
        clinic = _clinic_of(self)
        if clinic is None:
            return Patient.objects.none()
        return Patient.objects.filter(clinic=clinic)


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

    exercise = VisibleExerciseField(help_text="Exercise id (shipped or this clinic's).")


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


# --- Exercises -----------------------------------------------------------------------------


class FocusOutMixin(serializers.Serializer[Any]):
    focus = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ProgramFocus.choices)))
    def get_focus(self, obj: Any) -> list[str]:
        return sorted(link.focus for link in obj.focus_links.all())


class ExerciseSerializer(FocusOutMixin, serializers.ModelSerializer[Exercise]):
    shipped = serializers.BooleanField(read_only=True, help_text="Shipped with Stride: read-only.")

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


class ExerciseWriteSerializer(serializers.Serializer[Any]):
    code = serializers.SlugField(
        max_length=60, required=False, allow_blank=True, help_text="A short code, unique here."
    )
    name = serializers.CharField(max_length=120)
    region = serializers.ChoiceField(choices=BodyRegion.choices)
    kind = serializers.ChoiceField(choices=ExerciseKind.choices)
    focus = focus_list_field(required=False)
    muscles = serializers.ListField(
        child=serializers.ChoiceField(choices=Muscle.choices),
        required=False,
        max_length=len(Muscle.choices),
        help_text="The muscle groups it trains, main ones first.",
    )
    instructions = serializers.CharField(max_length=2000, help_text="Plain language, for patients.")
    default_sets = StrictIntegerField(min_value=1, max_value=SETS_MAX, required=False)
    default_reps = StrictIntegerField(min_value=1, max_value=REPS_MAX, required=False)
    default_hold_seconds = StrictIntegerField(
        min_value=0, max_value=HOLD_SECONDS_MAX, required=False
    )
    default_load = serializers.CharField(
        max_length=LOAD_MAX_LENGTH, required=False, allow_blank=True
    )
    default_days_per_week = StrictIntegerField(min_value=1, max_value=7, required=False)
    is_active = serializers.BooleanField(required=False)

    def validate_focus(self, value: list[str]) -> list[str]:
        return _unique(value, "focus")

    def validate_muscles(self, value: list[str]) -> list[str]:
        return _unique(value, "muscle")

    def validate_code(self, value: str) -> str:
        if not value:
            return value
        clinic = self.context["clinic"]
        taken = Exercise.objects.filter(Q(clinic=clinic) | Q(clinic__isnull=True), code=value)
        instance = self.context.get("instance")
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise serializers.ValidationError("An exercise with this code already exists.")
        return value


# --- Templates -----------------------------------------------------------------------------


class TemplateItemSerializer(DoseOutMixin, serializers.ModelSerializer[TemplateExercise]):
    class Meta:
        model = TemplateExercise
        fields = ["exercise", "order", "sets", "reps", "hold_seconds", "load", "days_per_week"]
        read_only_fields = fields


class ProgramTemplateSerializer(FocusOutMixin, serializers.ModelSerializer[ProgramTemplate]):
    shipped = serializers.SerializerMethodField()
    exercises = TemplateItemSerializer(source="items", many=True, read_only=True)
    pattern = serializers.ChoiceField(choices=KneePattern.choices, allow_blank=True, read_only=True)

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


class ProgramTemplateWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    guidance = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    pattern = serializers.ChoiceField(choices=KneePattern.choices, required=False, allow_blank=True)
    focus = focus_list_field(min_length=1)
    exercises = serializers.ListField(
        child=PrescribedItemSerializer(), min_length=1, max_length=ITEMS_MAX
    )

    def validate_exercises(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        _unique([item["exercise"].pk for item in value], "exercise")
        return value

    def validate_focus(self, value: list[str]) -> list[str]:
        return _unique(value, "focus")


# --- Patient programs ----------------------------------------------------------------------


class ProgramItemSerializer(DoseOutMixin, serializers.ModelSerializer[ProgramExercise]):
    id = serializers.IntegerField(
        read_only=True,
        help_text="Program exercise id: what a check-in's exercises_completed names.",
    )

    class Meta:
        model = ProgramExercise
        fields = [
            "id",
            "exercise",
            "order",
            "sets",
            "reps",
            "hold_seconds",
            "load",
            "days_per_week",
        ]
        read_only_fields = fields


class PatientProgramSerializer(serializers.ModelSerializer[PatientProgram]):
    exercises = ProgramItemSerializer(source="items", many=True, read_only=True)

    class Meta:
        model = PatientProgram
        fields = [
            "id",
            "patient",
            "version",
            "is_active",
            "template",
            "start_date",
            "patient_note",
            "exercises",
            "prescribed_by",
            "created_at",
            "ended_at",
        ]
        read_only_fields = fields


class PatientProgramWriteSerializer(serializers.Serializer[Any]):
    patient = ClinicPatientField(help_text="A patient of your clinic.")
    template = VisibleTemplateField(
        required=False, allow_null=True, help_text="Copied when `exercises` is left out."
    )
    start_date = serializers.DateField(
        required=False, help_text="Defaults to today in the patient's time zone."
    )
    patient_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    exercises = serializers.ListField(
        child=PrescribedItemSerializer(), required=False, min_length=1, max_length=ITEMS_MAX
    )

    def validate_exercises(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        _unique([item["exercise"].pk for item in value], "exercise")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("exercises") and attrs.get("template") is None:
            raise serializers.ValidationError(
                {"exercises": "Give the exercises, or a template to copy them from."}
            )
        return attrs


# --- Run ladders ---------------------------------------------------------------------------


class RunLadderLevelSerializer(serializers.ModelSerializer[RunLadderLevel]):
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


class RunLadderSerializer(serializers.ModelSerializer[RunLadder]):
    levels = RunLadderLevelSerializer(many=True, read_only=True)
    shipped = serializers.SerializerMethodField()

    class Meta:
        model = RunLadder
        fields = ["id", "code", "name", "description", "levels", "shipped", "created_at"]
        read_only_fields = fields

    def get_shipped(self, obj: RunLadder) -> bool:
        return obj.clinic_id is None


class RunLadderLevelWriteSerializer(serializers.Serializer[Any]):
    run_minutes = StrictIntegerField(min_value=1, max_value=120)
    walk_minutes = StrictIntegerField(min_value=0, max_value=30, required=False, default=0)
    repeats = StrictIntegerField(min_value=1, max_value=20, required=False, default=1)


class RunLadderWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    levels = serializers.ListField(
        child=RunLadderLevelWriteSerializer(),
        min_length=1,
        max_length=LADDER_LEVELS_MAX,
        help_text="Level 1 first.",
    )


# --- A patient's ladder --------------------------------------------------------------------


class LadderEventSerializer(serializers.ModelSerializer[LadderEvent]):
    kind = serializers.ChoiceField(choices=LadderEventKind.choices, read_only=True)
    action = serializers.ChoiceField(choices=LadderAction.choices, allow_blank=True, read_only=True)
    reasons = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = LadderEvent
        fields = [
            "id",
            "kind",
            "action",
            "day",
            "recorded_at",
            "level_before",
            "level_after",
            "target_minutes_after",
            "completions_after",
            "run_minutes",
            "settled",
            "counted",
            "reasons",
            "check_in_id",
            "by",
        ]
        read_only_fields = fields


class PatientLadderSerializer(serializers.ModelSerializer[PatientLadder]):
    """Where the patient is on their ladder; `recent_events` only on the detail."""

    run_ladder = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()
    levels_total = serializers.SerializerMethodField()
    completions_to_progress = serializers.SerializerMethodField()
    pause_reason = serializers.ChoiceField(
        choices=PauseReason.choices, allow_blank=True, read_only=True
    )
    awaiting_morning_after = serializers.SerializerMethodField(
        help_text="The day of the last run whose next-morning pain is not known yet."
    )
    recent_events = serializers.SerializerMethodField()

    class Meta:
        model = PatientLadder
        fields = [
            "patient",
            "run_ladder",
            "level",
            "levels_total",
            "session",
            "target_minutes",
            "completions",
            "completions_to_progress",
            "paused",
            "pause_reason",
            "pause_note",
            "paused_at",
            "awaiting_morning_after",
            "started_at",
            "updated_at",
            "recent_events",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.DictField(help_text="`{id, name}` of the ladder the patient is on.")
    )
    def get_run_ladder(self, obj: PatientLadder) -> dict[str, Any]:
        return {"id": obj.ladder_id, "name": obj.ladder.name}

    def _levels(self, obj: PatientLadder) -> list[RunLadderLevel]:
        return sorted(obj.ladder.levels.all(), key=lambda level: level.number)

    @extend_schema_field(RunLadderLevelSerializer(allow_null=True))
    def get_session(self, obj: PatientLadder) -> dict[str, Any] | None:
        levels = self._levels(obj)
        if not levels:
            return None
        return dict(RunLadderLevelSerializer(levels[min(obj.level, len(levels)) - 1]).data)

    def get_levels_total(self, obj: PatientLadder) -> int:
        return len(self._levels(obj))

    def get_completions_to_progress(self, obj: PatientLadder) -> int:
        thresholds = self.context["thresholds"]
        return int(thresholds.ladder_completions_to_progress)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_awaiting_morning_after(self, obj: PatientLadder) -> str | None:
        run = obj.pending_run
        return run.day.isoformat() if run is not None else None

    @extend_schema_field(LadderEventSerializer(many=True))
    def get_recent_events(self, obj: PatientLadder) -> list[dict[str, Any]]:
        events = self.context.get("recent_events", [])
        return [dict(item) for item in LadderEventSerializer(events, many=True).data]


class LadderStartSerializer(serializers.Serializer[Any]):
    run_ladder = VisibleRunLadderField(
        required=False, help_text="Ladder id; the shipped default ladder when left out."
    )
    level = StrictIntegerField(min_value=1, max_value=LADDER_LEVELS_MAX, required=False, default=1)


class LadderSetLevelSerializer(serializers.Serializer[Any]):
    level = StrictIntegerField(min_value=1, max_value=LADDER_LEVELS_MAX)
    run_ladder = VisibleRunLadderField(required=False, help_text="Move to this ladder too.")
    note = serializers.CharField(
        max_length=200,
        help_text="Why the level changes: a therapist's change is recorded with who and why.",
    )


class LadderNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


# --- The partner app -----------------------------------------------------------------------


class AppExerciseSerializer(serializers.ModelSerializer[Exercise]):
    class Meta:
        model = Exercise
        fields = ["code", "name", "region", "kind", "instructions"]
        read_only_fields = fields


class AppProgramItemSerializer(serializers.ModelSerializer[ProgramExercise]):
    id = serializers.IntegerField(
        read_only=True, help_text="Name it in a check-in's exercises_completed."
    )
    exercise = AppExerciseSerializer(read_only=True)

    class Meta:
        model = ProgramExercise
        fields = ["id", "exercise", "sets", "reps", "hold_seconds", "load", "days_per_week"]
        read_only_fields = fields


class AppProgramInfoSerializer(serializers.ModelSerializer[PatientProgram]):
    class Meta:
        model = PatientProgram
        fields = ["id", "version", "start_date", "patient_note"]
        read_only_fields = fields


class AppReasonSerializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(
        choices=[(code, code) for code in rules.RUN_PLAN_REASON_CODES],
        help_text="Why today's run plan is what it is; `detail` says it in words.",
    )
    detail = serializers.CharField()


class AppSessionSerializer(serializers.Serializer[Any]):
    level = serializers.IntegerField()
    run_minutes = serializers.IntegerField()
    walk_minutes = serializers.IntegerField()
    repeats = serializers.IntegerField()
    running_minutes = serializers.IntegerField()
    description = serializers.CharField()


class AppRunSerializer(serializers.Serializer[Any]):
    run_day = serializers.BooleanField(help_text="Today is a run day (planned or done).")
    status = serializers.ChoiceField(
        choices=[
            ("run", "Run today"),
            ("done", "Already ran today"),
            ("rest", "Rest day"),
            ("paused", "Running paused"),
            ("not_started", "Not started"),
        ]
    )
    session = AppSessionSerializer(allow_null=True)
    reasons = AppReasonSerializer(many=True)


class AppProgramSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(help_text="Today in your time zone.")
    program = AppProgramInfoSerializer(allow_null=True)
    exercises = AppProgramItemSerializer(many=True, help_text="The exercises due today.")
    run = AppRunSerializer()
    disclaimer = serializers.CharField()
