"""The remote monitoring record: episodes, management time, month sign-offs, and the codes.

Stride keeps the record a clinic needs to decide which RTM codes a patient qualifies for; it
does not bill. Time entries are append-only (a mistake is corrected by a reversing entry, both
kept) and a signed-off month is frozen. The codes and their thresholds are rows (`RtmCode`),
loaded per year by a data migration, so that a new fee schedule is a data change.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffCredential, StaffUser
from patients.models import Patient


class MonitoringEpisode(models.Model):
    """From the set-up and education event (98975: consent, who, when) to discharge.

    `started_on` is the patient's local date of the set-up: the 30-day device periods run from
    it. Discharge sets `ended_at` / `ended_on` in its own transaction.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="monitoring_episodes"
    )
    consent_at = models.DateTimeField(help_text="When the patient consented to monitoring.")
    consent_recorded_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    setup_at = models.DateTimeField(help_text="When the set-up and education took place.")
    setup_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(help_text="The set-up's local date in the patient's zone.")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(ended_at__isnull=True),
                name="monitoring_one_open_episode_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(consent_at__lte=models.F("setup_at")),
                name="monitoring_consent_before_setup",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "started_on"])]

    def __str__(self) -> str:
        return f"Monitoring episode {self.pk}"


class Activity(models.TextChoices):
    DATA_REVIEW = "data_review", "Reviewing the data"
    PROGRAM_CHANGE = "program_change", "Changing the program or ladder"
    MESSAGE = "message", "Messages"
    CALL = "call", "Call (audio or video)"


class TimeEntry(models.Model):
    """Minutes a staff member spent on a patient's remote care on a day (clinic time zone).

    Never changed or deleted: a reversing entry (`reverses`, the negative of the minutes) undoes
    one, and both are kept. `credential` is the staff member's credential when the entry was
    made, so a later change of credential does not rewrite history.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="time_entries")
    staff = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, related_name="+", help_text="Whose time it is."
    )
    credential = models.CharField(max_length=3, choices=StaffCredential.choices, blank=True)
    recorded_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, related_name="+", help_text="Who entered it."
    )
    performed_on = models.DateField(help_text="The day, in the clinic's time zone.")
    minutes = models.IntegerField(help_text="Negative only on a reversing entry.")
    activity = models.CharField(max_length=16, choices=Activity.choices)
    interactive = models.BooleanField(
        default=False, help_text="A real-time audio or video communication with the patient."
    )
    note = models.CharField(max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why a reversing entry corrects the record."
    )
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["performed_on", "id"]
        indexes = [
            models.Index(fields=["patient", "performed_on"]),
            models.Index(fields=["clinic", "performed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(minutes__gt=0))
                | (Q(reverses__isnull=False) & Q(minutes__lt=0)),
                name="time_entry_sign_matches_reversal",
            ),
            models.CheckConstraint(
                condition=~Q(activity="message") | Q(interactive=False),
                name="time_entry_message_never_interactive",
            ),
        ]

    def __str__(self) -> str:
        return f"Time entry {self.pk}"


class MonthSignOff(models.Model):
    """A therapist's sign-off of a patient's month: after it, that month's entries are frozen."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="month_sign_offs")
    month = models.DateField(help_text="The first day of the month.")
    signed_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "month"], name="monitoring_sign_off_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="monitoring_sign_off_month"),
        ]

    def __str__(self) -> str:
        return f"Sign-off {self.patient_id} {self.month:%Y-%m}"


class CodeKind(models.TextChoices):
    SETUP = "setup", "Set-up and education, once per episode"
    DEVICE = "device", "Device supply, per 30-day period"
    MANAGEMENT = "management", "Treatment management, per calendar month"
    ADD_ON = "add_on", "Each further unit of treatment management"


class RtmCode(models.Model):
    """One code of one fee-schedule year, with its thresholds. Read by `monitoring.rules`.

    - device codes: `min_days`..`max_days` data days in a 30-day period;
    - management codes: `min_minutes`..`max_minutes` in the month, with an interactive
      communication when `requires_interactive`;
    - add-on codes: one unit per full `unit_minutes` from `min_minutes` on, with `with_code`.
    `excludes` lists the codes that cannot be reached in the same period.
    """

    code = models.CharField(max_length=5)
    kind = models.CharField(max_length=10, choices=CodeKind.choices)
    description = models.CharField(max_length=200)
    min_days = models.PositiveSmallIntegerField(null=True, blank=True)
    max_days = models.PositiveSmallIntegerField(null=True, blank=True)
    min_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    max_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    unit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    requires_interactive = models.BooleanField(default=False)
    with_code = models.CharField(max_length=5, blank=True)
    excludes = models.JSONField(default=list, blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Last day; null: open.")

    class Meta:
        ordering = ["effective_from", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="rtm_code_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} from {self.effective_from}"
