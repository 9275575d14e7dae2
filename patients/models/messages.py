"""Messages between the patient and the care team."""

from django.db import models
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser
from patients.models.records import Patient


class MessageSender(models.TextChoices):
    PATIENT = "patient", "Patient"
    STAFF = "staff", "Care team"


MESSAGE_MAX_LENGTH = 2000


class Message(models.Model):
    """A short text between a patient (through the partner app) and their care team.

    PHI: read by staff through audited views only, never in logs, webhooks or FHIR. `read_at`
    is when the care team read a patient's message (null: unread; always null for the care
    team's own messages).
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="messages")
    sender = models.CharField(max_length=10, choices=MessageSender.choices)
    staff = models.ForeignKey(
        StaffUser,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who wrote it, for the care team's messages.",
    )
    text = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=djtz.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(sender="staff") & models.Q(staff__isnull=False))
                | (models.Q(sender="patient") & models.Q(staff__isnull=True)),
                name="message_staff_iff_care_team",
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk}"
