"""Check-ins and the Idempotency-Key claims of the partner app's POSTs."""

from django.db import models
from django.utils import timezone as djtz

from clinic.models import Clinic
from clinical.advice import AdviceLevel
from patients.models.records import Patient


class CheckIn(models.Model):
    """What the patient reported from the app: pain, run, symptoms, exercises, and the advice
    Stride gave back. Judged against the patient's check-ins recorded before it in time."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="check_ins")
    recorded_at = models.DateTimeField(help_text="When the patient filled it in (device time).")
    received_at = models.DateTimeField(default=djtz.now)
    pain_rest = models.PositiveSmallIntegerField()
    pain_morning = models.PositiveSmallIntegerField(null=True, blank=True)
    ran = models.BooleanField(default=False)
    run_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    run_km = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pain_during_run = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after_run = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_worsened_during_run = models.BooleanField(default=False)
    symptoms = models.JSONField(default=list, blank=True)
    exercises_completed = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    peak_pain = models.PositiveSmallIntegerField()
    advice_level = models.CharField(max_length=20, choices=AdviceLevel.choices)
    advice_rules = models.JSONField(default=list, blank=True)
    advice_message = models.TextField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["patient", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pain_rest__lte=10)
                & (models.Q(pain_morning__isnull=True) | models.Q(pain_morning__lte=10))
                & (models.Q(pain_during_run__isnull=True) | models.Q(pain_during_run__lte=10))
                & (models.Q(pain_after_run__isnull=True) | models.Q(pain_after_run__lte=10)),
                name="check_in_pain_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"


class IdempotencyStatus(models.TextChoices):
    IN_FLIGHT = "in_flight", "In flight"
    DONE = "done", "Done"


class IdempotencyKey(models.Model):
    """A partner app's `Idempotency-Key`, per patient: a replay gets the stored response."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=IdempotencyStatus.choices)
    claimed_at = models.DateTimeField(default=djtz.now)
    # Set with the check-in, in its transaction: a replay answers with this check-in.
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Or set with the message, in its transaction: a replay answers with this message.
    message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "key"], name="idempotency_key_per_patient")
        ]
        indexes = [models.Index(fields=["claimed_at"])]

    def __str__(self) -> str:
        return f"Idempotency key {self.pk}"
