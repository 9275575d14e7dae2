"""The partner app's program today: the exercises due and whether today is a run day."""

from typing import Any

from common.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictIntegerField,
)
from common.serializers import StrictModelSerializer, StrictSerializer
from programs import rules
from programs.models import Exercise, PatientProgram, ProgramExercise

# --- The partner app -----------------------------------------------------------------------


class AppExerciseSerializer(StrictModelSerializer[Exercise]):
    class Meta:
        model = Exercise
        fields = ["code", "name", "region", "kind", "instructions"]
        read_only_fields = fields


class AppProgramItemSerializer(StrictModelSerializer[ProgramExercise]):
    id = StrictIntegerField(
        read_only=True, help_text="Name it in a check-in's exercises_completed."
    )
    exercise = AppExerciseSerializer(read_only=True)

    class Meta:
        model = ProgramExercise
        fields = ["id", "exercise", "sets", "reps", "hold_seconds", "load", "days_per_week"]
        read_only_fields = fields


class AppProgramInfoSerializer(StrictModelSerializer[PatientProgram]):
    class Meta:
        model = PatientProgram
        fields = ["id", "version", "start_date", "patient_note"]
        read_only_fields = fields


class AppReasonSerializer(StrictSerializer[Any]):
    code = StrictChoiceField(
        choices=[(code, code) for code in rules.RUN_PLAN_REASON_CODES],
        help_text="Why today's run plan is what it is; `detail` says it in words.",
    )
    detail = StrictCharField()


class AppSessionSerializer(StrictSerializer[Any]):
    level = StrictIntegerField()
    run_minutes = StrictIntegerField()
    walk_minutes = StrictIntegerField()
    repeats = StrictIntegerField()
    running_minutes = StrictIntegerField()
    description = StrictCharField()


class AppRunSerializer(StrictSerializer[Any]):
    run_day = StrictBooleanField(help_text="Today is a run day (planned or done).")
    status = StrictChoiceField(
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


class AppProgramSerializer(StrictSerializer[Any]):
    date = StrictDateField(help_text="Today in your time zone.")
    program = AppProgramInfoSerializer(allow_null=True)
    exercises = AppProgramItemSerializer(many=True, help_text="The exercises due today.")
    run = AppRunSerializer()
    disclaimer = StrictCharField()
