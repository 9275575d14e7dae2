"""The patient record, partner-app enrollment codes and tokens, and escalations."""

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser, validate_timezone
from clinical.advice import AdviceLevel
from clinical.escalations import ESCALATION_CODE_CHOICES
from clinical.severity import Severity

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
    checkin_weekdays = models.PositiveSmallIntegerField(
        default=ALL_WEEKDAYS_MASK, help_text="Bit 0 is Monday ... bit 6 is Sunday."
    )
    checkin_time = models.TimeField(default=dt.time(19, 0))
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
                condition=models.Q(checkin_weekdays__lte=ALL_WEEKDAYS_MASK),
                name="patient_checkin_weekdays_mask",
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
    def checkin_days(self) -> list[str]:
        return [day for i, day in enumerate(WEEKDAYS) if self.checkin_weekdays & (1 << i)]


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
                name="checkin_pain_0_to_10",
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


SPARKLINE_DAYS = 14


class PatientSummary(models.Model):
    """What the caseload shows of a patient, kept current where its sources change.

    Written by `patients.services.summaries` only: in the check-in transaction, on every
    escalation change, on a new program version, and daily (adherence moves with the date).
    Values that change with the clock alone (days since the last check-in, overdue, which
    14 days the sparkline covers) are derived when read, from what is stored here.
    """

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    last_peak_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    # The latest check-in (by recorded_at) fired pain_rising or weekly_pain_increase.
    pain_rising = models.BooleanField(default=False)
    # {"YYYY-MM-DD": highest peak pain that local day} for the 14 local days up to `computed_for`.
    daily_peaks = models.JSONField(default=dict, blank=True)
    adherence_first = models.DateField(null=True, blank=True)
    adherence_last = models.DateField(null=True, blank=True)
    adherence_done = models.PositiveIntegerField(default=0)
    adherence_due = models.PositiveIntegerField(default=0)
    # Unresolved (open or acknowledged) escalations by severity.
    open_critical = models.PositiveIntegerField(default=0)
    open_high = models.PositiveIntegerField(default=0)
    open_moderate = models.PositiveIntegerField(default=0)
    open_low = models.PositiveIntegerField(default=0)
    max_severity_rank = models.PositiveSmallIntegerField(
        default=0, help_text="SEVERITY_RANK of the highest unresolved escalation; 0 for none."
    )
    # The earliest acknowledgement deadline among escalations still `open` (not acknowledged):
    # the patient is overdue once it has passed.
    earliest_open_deadline = models.DateTimeField(null=True, blank=True)
    # Messages from the patient that the care team has not read yet: counted up with each
    # message and set to 0 when staff mark them read, in the message's own transaction.
    unread_messages = models.PositiveIntegerField(default=0)
    # The patient's local date the date-dependent values were computed for; NULL: never.
    computed_for = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["clinic"])]

    def __str__(self) -> str:
        return f"Summary of patient {self.patient_id}"


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
