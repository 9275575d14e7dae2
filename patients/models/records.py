"""The patient record, enrollment codes and the partner app's tokens."""

import datetime as dt

from django.db import models
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser, validate_timezone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


ALL_WEEKDAYS_MASK = 0b1111111


class PatientStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    DISCHARGED = "discharged", "Discharged"


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    therapist = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="patients")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    external_id = models.CharField(max_length=64, blank=True, default="")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    status = models.CharField(
        max_length=16, choices=PatientStatus.choices, default=PatientStatus.ACTIVE
    )
    discharged_at = models.DateTimeField(null=True, blank=True)
    # Check-in schedule, in the patient's local time (defaults: daily at 19:00, quiet 21:00-08:00).
    check_in_weekdays = models.PositiveSmallIntegerField(
        default=ALL_WEEKDAYS_MASK, help_text="Bit 0 is Monday ... bit 6 is Sunday."
    )
    check_in_time = models.TimeField(default=dt.time(19, 0))
    quiet_start = models.TimeField(default=dt.time(21, 0))
    quiet_end = models.TimeField(default=dt.time(8, 0))
    # Scheduled work, kept by patients.services.reminders and .engagement (docs/clinical-rules.md):
    # the next reminder slot (its local date, and the UTC instant it is to be sent), the lease a
    # dispatching beat holds on it, and when the daily engagement rules are next due.
    next_reminder_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next check-in reminder goes out; null: none."
    )
    next_reminder_on = models.DateField(
        null=True, blank=True, help_text="The local date of the slot that reminder is for."
    )
    reminder_claimed_until = models.DateTimeField(null=True, blank=True)
    engagement_due_at = models.DateTimeField(null=True, blank=True)
    engagement_evaluated_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=djtz.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "external_id"],
                condition=~models.Q(external_id=""),
                name="patient_external_id_unique_per_clinic",
            ),
            models.CheckConstraint(
                condition=models.Q(check_in_weekdays__lte=ALL_WEEKDAYS_MASK),
                name="patient_check_in_weekdays_mask",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "status"]),
            # Due slots nobody holds: a leased row leaves this index, so the minute beat's
            # scan for the next chunk does not wade through the chunks it has just leased.
            models.Index(
                fields=["next_reminder_at"],
                condition=models.Q(
                    next_reminder_at__isnull=False, reminder_claimed_until__isnull=True
                ),
                name="patient_reminder_due",
            ),
            models.Index(
                fields=["reminder_claimed_until"],
                condition=models.Q(reminder_claimed_until__isnull=False),
                name="patient_reminder_leased",
            ),
            models.Index(
                fields=["engagement_due_at"],
                condition=models.Q(engagement_due_at__isnull=False),
                name="patient_engagement_due",
            ),
            # Active patients whose scheduled work was never computed (created outside the
            # services): the minute beat finds them here and schedules them.
            models.Index(
                fields=["id"],
                condition=models.Q(status="active")
                & (
                    models.Q(next_reminder_at__isnull=True)
                    | models.Q(engagement_due_at__isnull=True)
                ),
                name="patient_unscheduled",
            ),
        ]

    def __str__(self) -> str:
        return f"Patient {self.pk}"

    @property
    def is_authenticated(self) -> bool:
        """A patient is the principal of a partner-app request (see patients.auth)."""
        return True

    @property
    def check_in_days(self) -> list[str]:
        return [day for i, day in enumerate(WEEKDAYS) if self.check_in_weekdays & (1 << i)]


def weekdays_to_mask(days: list[str]) -> int:
    return sum(1 << WEEKDAYS.index(day) for day in set(days))


class EnrollmentCode(models.Model):
    """A single-use code a therapist gives the patient to link the partner app; stored hashed."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="enrollment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=djtz.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Enrollment code {self.pk}"


class PatientToken(models.Model):
    """A partner-app bearer token: only its SHA-256 digest is stored; it expires."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    device_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=djtz.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Patient token {self.prefix}…"
