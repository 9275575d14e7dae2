"""Each patient's caseload summary, kept current by the check-in and escalation services."""

import functools
from datetime import date, timedelta

from django.db import models

from clinic.models import Clinic
from patients.models.records import Patient

SPARKLINE_DAYS = 14


@functools.lru_cache(maxsize=64)
def sparkline_days(today: date) -> tuple[str, ...]:
    """The keys of `daily_peaks` a sparkline ending `today` reads: the 14 local days, oldest
    first. A page's patients share a few todays, so each is spelled once."""
    return tuple(
        (today - timedelta(days=back)).isoformat() for back in range(SPARKLINE_DAYS - 1, -1, -1)
    )


# The caseload's tier (patients.selectors) is above 0 only for a patient whose summary is
# flagged; a calm summary is tier 0 for certain. The two split every summary row, and each has
# a partial index, so a page of a large clinic reads a few hundred rows. The caseload's parts
# (selectors.caseload_first) spell the same two conditions in their SQL.
CASELOAD_FLAGGED = (
    models.Q(max_severity_rank__gt=0)
    | models.Q(pain_rising=True)
    | models.Q(earliest_open_deadline__isnull=False)
)
CASELOAD_CALM = models.Q(
    max_severity_rank=0, pain_rising=False, earliest_open_deadline__isnull=True
)


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
    last_check_in_at = models.DateTimeField(null=True, blank=True)
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
        indexes = [
            # The caseload's parts (patients.selectors.caseload_first): the flagged with what
            # their tier is computed from, the calm by their last check-in, the calm who never
            # checked in.
            models.Index(
                fields=["clinic"],
                include=[
                    "patient",
                    "max_severity_rank",
                    "earliest_open_deadline",
                    "pain_rising",
                    "last_check_in_at",
                ],
                condition=CASELOAD_FLAGGED,
                name="summary_caseload_flagged",
            ),
            models.Index(
                fields=["clinic", "last_check_in_at", "patient"],
                condition=CASELOAD_CALM & models.Q(last_check_in_at__isnull=False),
                name="summary_caseload_calm",
            ),
            models.Index(
                fields=["clinic"],
                condition=CASELOAD_CALM & models.Q(last_check_in_at__isnull=True),
                name="summary_caseload_unseen",
            ),
        ]

    def __str__(self) -> str:
        return f"Summary of patient {self.patient_id}"
