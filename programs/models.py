"""Exercises, program templates, patient programs, run ladders and each patient's ladder state.

Rows with `clinic` NULL are shipped with Stride (data migration 0002) and shared, read-only,
by every clinic; rows with a clinic are that clinic's alone.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser
from clinical.ladder import LadderAction, PauseReason
from clinical.patterns import KneePattern
from clinical.programs import ProgramFocus
from patients.models import Patient

# Dose bounds, shared by the API, the database constraints and the admin.
SETS_MAX = 10
REPS_MAX = 100
HOLD_SECONDS_MAX = 600
LOAD_MAX_LENGTH = 50
LADDER_LEVELS_MAX = 20


class ExerciseKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    MOBILITY = "mobility", "Mobility"
    BALANCE = "balance", "Balance"


class BodyRegion(models.TextChoices):
    HIP = "hip", "Hip and glutes"
    THIGH = "thigh", "Thigh (quadriceps and hamstrings)"
    LOWER_LEG = "lower_leg", "Lower leg (calves)"
    ANKLE_FOOT = "ankle_foot", "Ankle and foot"
    TRUNK = "trunk", "Trunk"
    WHOLE_LEG = "whole_leg", "Whole leg"


class Muscle(models.TextChoices):
    """The muscle groups an exercise trains (the library's search and `?muscle=` filter)."""

    GLUTES = "glutes", "Glutes"
    HIP_ABDUCTORS = "hip_abductors", "Hip abductors"
    HIP_ADDUCTORS = "hip_adductors", "Hip adductors"
    HIP_FLEXORS = "hip_flexors", "Hip flexors"
    QUADRICEPS = "quadriceps", "Quadriceps"
    HAMSTRINGS = "hamstrings", "Hamstrings"
    CALVES = "calves", "Calves"
    ANKLE_FOOT = "ankle_foot", "Ankle and foot stabilisers"
    CORE = "core", "Core"


def _dose_constraints(prefix: str, name: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{prefix}sets__gte": 1, f"{prefix}sets__lte": SETS_MAX}),
            name=f"{name}_sets_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{prefix}reps__gte": 1, f"{prefix}reps__lte": REPS_MAX}),
            name=f"{name}_reps_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{prefix}hold_seconds__lte": HOLD_SECONDS_MAX}),
            name=f"{name}_hold_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{prefix}days_per_week__gte": 1, f"{prefix}days_per_week__lte": 7}),
            name=f"{name}_days_range",
        ),
    ]


class Exercise(models.Model):
    """One exercise of the library: shipped (clinic NULL, read-only) or a clinic's own."""

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(max_length=60, blank=True)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=16, choices=BodyRegion.choices)
    kind = models.CharField(max_length=16, choices=ExerciseKind.choices)
    # A JSON list of Muscle codes (not an ArrayField: the embedded SQLite default runs it too).
    muscles = models.JSONField(
        default=list, blank=True, help_text="The muscle groups it trains, main ones first."
    )
    instructions = models.TextField(max_length=2000)
    default_sets = models.PositiveSmallIntegerField(default=3)
    default_reps = models.PositiveSmallIntegerField(default=10)
    default_hold_seconds = models.PositiveSmallIntegerField(default=0)
    default_load = models.CharField(max_length=LOAD_MAX_LENGTH, blank=True)
    default_days_per_week = models.PositiveSmallIntegerField(default=3)
    is_active = models.BooleanField(
        default=True, help_text="Inactive exercises stay in old programs but cannot be prescribed."
    )
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=djtz.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(clinic__isnull=True),
                name="exercise_shipped_code_unique",
            ),
            models.UniqueConstraint(
                fields=["clinic", "code"],
                condition=Q(clinic__isnull=False) & ~Q(code=""),
                name="exercise_code_unique_per_clinic",
            ),
            *_dose_constraints("default_", "exercise"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shipped(self) -> bool:
        return self.clinic_id is None

    @property
    def muscle_labels(self) -> list[str]:
        return [Muscle(code).label for code in self.muscles if code in Muscle.values]


class ExerciseFocus(models.Model):
    """Which program focus an exercise serves: the focus-to-exercise half of the mapping."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="focus_links")
    focus = models.CharField(max_length=24, choices=ProgramFocus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "focus"], name="exercise_focus_unique")
        ]
        indexes = [models.Index(fields=["focus"])]

    def __str__(self) -> str:
        return self.focus


class ProgramTemplate(models.Model):
    """A starting prescription for a common pattern; shipped (clinic NULL) or a clinic's own."""

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(max_length=60, blank=True)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    guidance = models.TextField(
        max_length=2000, blank=True, help_text="Advice for the therapist beyond the exercises."
    )
    pattern = models.CharField(max_length=32, choices=KneePattern.choices, blank=True)
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(clinic__isnull=True),
                name="template_shipped_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateFocus(models.Model):
    """Which program focus a template serves: the focus-to-template half of the mapping."""

    template = models.ForeignKey(
        ProgramTemplate, on_delete=models.CASCADE, related_name="focus_links"
    )
    focus = models.CharField(max_length=24, choices=ProgramFocus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "focus"], name="template_focus_unique")
        ]
        indexes = [models.Index(fields=["focus"])]

    def __str__(self) -> str:
        return self.focus


class TemplateExercise(models.Model):
    """An exercise of a template with its dose. Reached only through its template."""

    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField()
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    load = models.CharField(max_length=LOAD_MAX_LENGTH, blank=True)
    days_per_week = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "exercise"], name="template_exercise_unique"
            ),
            *_dose_constraints("", "template_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id}:{self.exercise_id}"


class PatientProgram(models.Model):
    """One version of a patient's prescription. A change makes a new version; old ones stay.

    At most one version per patient is active (a partial unique constraint).
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="programs")
    version = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)
    template = models.ForeignKey(
        ProgramTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    patient_note = models.CharField(
        max_length=500, blank=True, help_text="A short note for the patient, shown in the app."
    )
    prescribed_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=djtz.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "version"], name="program_version_unique_per_patient"
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(is_active=True),
                name="program_one_active_per_patient",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def __str__(self) -> str:
        return f"Program {self.pk} v{self.version}"


class ProgramExercise(models.Model):
    """A prescribed exercise with its dose; check-ins name these ids in `exercises_completed`."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(PatientProgram, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField()
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    load = models.CharField(max_length=LOAD_MAX_LENGTH, blank=True)
    days_per_week = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "exercise"], name="program_exercise_unique"),
            *_dose_constraints("", "program_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}:{self.exercise_id}"


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
