"""Intake assessments (with their stored triage) and outcome-measure responses."""

from django.db import models
from django.db.models import Q
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser
from clinical.codes import choices
from clinical.intake import Location, Timing, TriageLevel
from clinical.measures import Instrument
from patients.models import Patient


class Assessment(models.Model):
    """A structured intake (or reassessment) and what the rules concluded from it.

    `triage`, `patterns` and `factors` are computed once, when the intake is stored, with
    the clinic's thresholds of that moment: reads never recompute, so history is stable.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    created_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=djtz.now)
    created_at = models.DateTimeField(default=djtz.now)

    location = models.CharField(max_length=16, choices=choices(Location))
    timing = models.CharField(max_length=24, choices=choices(Timing))
    aggravators = models.JSONField(default=list, blank=True)
    pain_rest = models.PositiveSmallIntegerField()
    pain_worst_running = models.PositiveSmallIntegerField()
    weekly_km_now = models.FloatField(null=True, blank=True)
    weekly_km_4_weeks_ago = models.FloatField(null=True, blank=True)
    recent_changes = models.JSONField(default=list, blank=True)
    years_running = models.FloatField(null=True, blank=True)
    cadence_spm = models.PositiveSmallIntegerField(null=True, blank=True)
    overstriding = models.BooleanField(null=True, blank=True)
    shoe_km = models.FloatField(null=True, blank=True)
    asymmetry = models.BooleanField(null=True, blank=True)
    findings = models.JSONField(default=list, blank=True)
    symptoms = models.JSONField(default=list, blank=True)
    trauma_unable_to_bear_weight = models.BooleanField(default=False)

    triage_level = models.CharField(max_length=16, choices=choices(TriageLevel))
    triage = models.JSONField()
    patterns = models.JSONField(default=list)
    factors = models.JSONField(default=list)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-assessed_at"]),
            models.Index(fields=["clinic", "-assessed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_rest__lte=10) & Q(pain_worst_running__lte=10),
                name="assessment_pain_nprs_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk}"


class QuestionnaireSource(models.TextChoices):
    STAFF = "staff", "Staff"
    PATIENT = "patient", "Patient"


class QuestionnaireResponse(models.Model):
    """One completed outcome measure: the answers as given and the scores computed then."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="questionnaires")
    instrument = models.CharField(max_length=8, choices=choices(Instrument))
    answers = models.JSONField()
    scores = models.JSONField()
    recorded_at = models.DateTimeField(default=djtz.now)
    source = models.CharField(max_length=8, choices=QuestionnaireSource.choices)
    recorded_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["patient", "instrument", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="staff") & Q(recorded_by__isnull=False))
                | (Q(source="patient") & Q(recorded_by__isnull=True)),
                name="questionnaire_source_matches_recorder",
            ),
        ]

    def __str__(self) -> str:
        return f"Questionnaire response {self.pk} ({self.instrument})"
