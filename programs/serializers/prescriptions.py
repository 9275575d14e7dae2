"""A patient's program: its versions out, a prescription in."""

from typing import Any

from rest_framework import serializers

from common.fields import StrictCharField, StrictDateField, StrictIntegerField, StrictListField
from common.relations import ClinicScopedRelatedField
from common.serializers import StrictModelSerializer, StrictSerializer
from patients.models import Patient
from programs.models import PatientProgram, ProgramExercise, ProgramTemplate
from programs.serializers.base import (
    ITEMS_MAX,
    DoseOutMixin,
    PrescribedItemSerializer,
    _unique,
)

# --- Patient programs ----------------------------------------------------------------------


class ProgramItemSerializer(DoseOutMixin, StrictModelSerializer[ProgramExercise]):
    id = StrictIntegerField(
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


class PatientProgramSerializer(StrictModelSerializer[PatientProgram]):
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


class PatientProgramWriteSerializer(StrictSerializer[Any]):
    patient = ClinicScopedRelatedField(
        queryset=Patient.objects.all(), help_text="A patient of your clinic."
    )
    template = ClinicScopedRelatedField(
        queryset=ProgramTemplate.objects.all(),
        shared=True,
        required=False,
        allow_null=True,
        help_text="Copied when `exercises` is left out.",
    )
    start_date = StrictDateField(
        required=False, help_text="Defaults to today in the patient's time zone."
    )
    patient_note = StrictCharField(max_length=500, required=False, allow_blank=True)
    exercises = StrictListField(
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
