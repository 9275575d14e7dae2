"""Exercises, program templates, patient programs, run ladders and each patient's ladder state.

Rows with `clinic` NULL are shipped with Stride (data migration 0002) and shared, read-only,
by every clinic; rows with a clinic are that clinic's alone.

One module per concern; every model and its choices are importable from here."""

from programs.models.ladder import (
    LadderEvent,
    LadderEventKind,
    PatientLadder,
    RunLadder,
    RunLadderLevel,
)
from programs.models.library import (
    HOLD_SECONDS_MAX,
    LADDER_LEVELS_MAX,
    LOAD_MAX_LENGTH,
    REPS_MAX,
    SETS_MAX,
    BodyRegion,
    Exercise,
    ExerciseFocus,
    ExerciseKind,
    Muscle,
    ProgramTemplate,
    TemplateExercise,
    TemplateFocus,
)
from programs.models.prescriptions import PatientProgram, ProgramExercise

__all__ = [
    "HOLD_SECONDS_MAX",
    "LADDER_LEVELS_MAX",
    "LOAD_MAX_LENGTH",
    "REPS_MAX",
    "SETS_MAX",
    "BodyRegion",
    "Exercise",
    "ExerciseFocus",
    "ExerciseKind",
    "LadderEvent",
    "LadderEventKind",
    "Muscle",
    "PatientLadder",
    "PatientProgram",
    "ProgramExercise",
    "ProgramTemplate",
    "RunLadder",
    "RunLadderLevel",
    "TemplateExercise",
    "TemplateFocus",
]
