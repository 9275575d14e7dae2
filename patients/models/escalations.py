"""Escalations, their evidence, and notifications that could not be delivered."""

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser
from clinical.escalations import ESCALATION_CODE_CHOICES
from clinical.severity import Severity
from patients.models.check_ins import CheckIn
from patients.models.records import Patient


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Escalation(models.Model):
    """A clinical concern about a patient for the therapist; one unresolved per (patient, code)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="escalations")
    code = models.CharField(max_length=40, choices=ESCALATION_CODE_CHOICES)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(
        max_length=14, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    opened_at = models.DateTimeField(default=djtz.now)
    acknowledge_by = models.DateTimeField()
    occurrences = models.PositiveIntegerField(default=1)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # When the severity last rose: the acknowledgement deadline then counts from here.
    upgraded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "code"],
                condition=~models.Q(status="resolved"),
                name="escalation_one_unresolved_per_patient_code",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "status", "-opened_at"]),
            models.Index(
                fields=["acknowledge_by"],
                condition=models.Q(status="open", overdue_notified_at__isnull=True),
                name="escalation_overdue_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation {self.pk} {self.code}"


# A check-in that reaches the server more than this after it was recorded is late: the
# patient may already have acted on what the app told them while offline.
LATE_ARRIVAL = dt.timedelta(hours=1)


class EscalationEvidence(models.Model):
    """What made an escalation open or grow: the rule, the values compared, a readable line.

    `recorded_at` is when the check-in was filled in on the phone (for an intake or a daily
    rule, when the evidence was written); `received_at` when the server received it.
    """

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="evidence")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    values = models.JSONField(default=dict)
    rationale = models.CharField(max_length=300)
    # Where it came from: an intake (assessment id), a check-in, or neither (daily rules).
    assessment_id = models.BigIntegerField(null=True, blank=True)
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    recorded_at = models.DateTimeField(default=djtz.now)
    received_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.rationale

    @property
    def late(self) -> bool:
        """Received more than LATE_ARRIVAL (1 hour) after it was recorded."""
        return self.received_at - self.recorded_at > LATE_ARRIVAL

    def as_dict(self) -> dict[str, Any]:
        return {"values": self.values, "rationale": self.rationale}


class UndeliverableNotification(models.Model):
    """An escalation event that found no person to tell: the patient's therapist is inactive
    (or not of the clinic) and the clinic has no on-call contact.

    Written, with an error in the log, in the transaction that raised the event; ids and codes
    only. `/health/` reports `notifications: "undeliverable"` while a row of the last
    `STRIDE_UNDELIVERABLE_WINDOW_HOURS` belongs to an escalation that is still open (nobody has
    acknowledged it).
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, related_name="undeliverable_notifications"
    )
    event_type = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=djtz.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} of escalation {self.escalation_id}: {self.reason}"
