"""The partner app's program today: the exercises due and whether today is a run day."""

from typing import Any

from rest_framework import serializers

from programs import rules
from programs.models import Exercise, PatientProgram, ProgramExercise

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
