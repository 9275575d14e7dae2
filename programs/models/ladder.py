"""Run ladders and a patient's place on one, with the log of what moved it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser
from clinical.ladder import LadderAction, PauseReason
from patients.models import Patient


class RunLadder(models.Model):
    """A walk-run ladder: the shipped default (clinic NULL) or a clinic's own.

    Levels never change once created, so a patient's level always means the same session.
    """

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(max_length=60, blank=True)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(clinic__isnull=True), name="ladder_shipped_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RunLadderLevel(models.Model):
    """One level: run `run_minutes`, walk `walk_minutes`, `repeats` times (via its ladder)."""

    ladder = models.ForeignKey(RunLadder, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField()
    run_minutes = models.PositiveSmallIntegerField()
    walk_minutes = models.PositiveSmallIntegerField(default=0)
    repeats = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "number"], name="ladder_level_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1, run_minutes__gte=1, repeats__gte=1),
                name="ladder_level_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Level {self.number}"


class PatientLadder(models.Model):
    """A patient's place on their run ladder. Changed only by programs.services."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="run_ladder")
    ladder = models.ForeignKey(RunLadder, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(default=1)
    completions = models.PositiveSmallIntegerField(default=0)
    target_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Past the last level: continuous minutes prescribed."
    )
    paused = models.BooleanField(default=False)
    pause_reason = models.CharField(max_length=24, choices=PauseReason.choices, blank=True)
    pause_note = models.CharField(max_length=300, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    pending_run = models.ForeignKey(
        "LadderEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last run whose next-morning pain is not known yet.",
    )
    started_at = models.DateTimeField(default=djtz.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1), name="patient_ladder_level_positive")
        ]

    def __str__(self) -> str:
        return f"Ladder of patient {self.patient_id}"


class LadderEventKind(models.TextChoices):
    START = "start", "Started"
    RUN = "run", "Run reported"
    SETTLE = "settle", "Morning after a run"
    SYMPTOMS = "symptoms", "Symptoms reported"
    SET_LEVEL = "set_level", "Level set by the therapist"
    PAUSE = "pause", "Paused"
    RESUME = "resume", "Resumed by the therapist"


class LadderEvent(models.Model):
    """Everything that happened to a patient's ladder, with the decision and its reasons.

    The weekly limits read their history from here (runs, level ups, variable changes).
    `check_in_id` is a plain column: the check-in flow records which check-in caused it.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="ladder_events")
    patient_ladder = models.ForeignKey(
        PatientLadder, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=12, choices=LadderEventKind.choices)
    action = models.CharField(max_length=12, choices=LadderAction.choices, blank=True)
    day = models.DateField(help_text="Local date in the patient's time zone.")
    recorded_at = models.DateTimeField()
    level_before = models.PositiveSmallIntegerField()
    level_after = models.PositiveSmallIntegerField()
    target_minutes_before = models.PositiveSmallIntegerField(null=True, blank=True)
    target_minutes_after = models.PositiveSmallIntegerField(null=True, blank=True)
    completions_after = models.PositiveSmallIntegerField(default=0)
    levels_up = models.PositiveSmallIntegerField(default=0)
    variable_change = models.CharField(max_length=16, blank=True)
    run_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    reference_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    qualifies = models.BooleanField(
        null=True, blank=True, help_text="A run: it completes its level if its pain settles."
    )
    settled = models.BooleanField(null=True, blank=True)
    counted = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True)
    check_in_id = models.BigIntegerField(null=True, blank=True)
    by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["patient_ladder", "day"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.action} on {self.day}"
