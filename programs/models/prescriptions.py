"""A patient's exercise program: each version with its exercises and doses."""

from django.db import models
from django.db.models import Q
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser
from patients.models import Patient
from programs.models.library import LOAD_MAX_LENGTH, Exercise, ProgramTemplate, _dose_constraints


class PatientProgram(models.Model):
    """One version of a patient's prescription. A change makes a new version; old ones stay.

    At most one version per patient is active (a partial unique constraint).
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="programs")
    version = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)
    template = models.ForeignKey(
        ProgramTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    patient_note = models.CharField(
        max_length=500, blank=True, help_text="A short note for the patient, shown in the app."
    )
    prescribed_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=djtz.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "version"], name="program_version_unique_per_patient"
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(is_active=True),
                name="program_one_active_per_patient",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def __str__(self) -> str:
        return f"Program {self.pk} v{self.version}"


class ProgramExercise(models.Model):
    """A prescribed exercise with its dose; check-ins name these ids in `exercises_completed`."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(PatientProgram, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField()
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    load = models.CharField(max_length=LOAD_MAX_LENGTH, blank=True)
    days_per_week = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "exercise"], name="program_exercise_unique"),
            *_dose_constraints("", "program_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}:{self.exercise_id}"
