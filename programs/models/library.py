"""The exercise library and program templates: shipped (no clinic) and each clinic's own."""

from django.db import models
from django.db.models import Q
from django.utils import timezone as djtz

from clinic.models import Clinic, StaffUser
from clinical.patterns import KneePattern
from clinical.programs import ProgramFocus

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
