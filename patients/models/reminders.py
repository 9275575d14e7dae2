"""Check-in reminders and what became of each."""

from django.db import models
from django.utils import timezone as djtz

from clinic.models import Clinic
from patients.models.records import Patient


class ReminderOutcome(models.TextChoices):
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"


class ReminderSkipReason(models.TextChoices):
    CHECKED_IN = "checked_in", "Already checked in that local day"
    PAUSED = "paused", "Patient paused"
    DISCHARGED = "discharged", "Patient discharged"
    LATE = "late", "Too late to send"
    NO_CHANNEL = "no_channel", "No partner webhook and no email to send to"


class Reminder(models.Model):
    """One check-in reminder slot of a patient, handled once: sent, or skipped with a reason.

    The unique (patient, slot_on) is what makes a second beat, a retried task or a restarted
    worker harmless: a slot that has a row is never sent again.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    # No index of its own: the unique (patient, slot_on) serves lookups by patient.
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    slot_on = models.DateField(help_text="The slot's local date in the patient's time zone.")
    slot_time = models.TimeField(help_text="The local check-in time the slot was scheduled at.")
    due_at = models.DateTimeField(help_text="When it fell due (UTC).")
    outcome = models.CharField(max_length=10, choices=ReminderOutcome.choices)
    skip_reason = models.CharField(max_length=16, choices=ReminderSkipReason.choices, blank=True)
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["-slot_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "slot_on"], name="reminder_one_per_patient_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk} {self.slot_on} {self.outcome}"
