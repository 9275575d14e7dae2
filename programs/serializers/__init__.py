"""Input and output shapes of the programs app, one module per concern (as its services)."""

from programs.serializers.app import AppProgramSerializer
from programs.serializers.ladder import (
    LadderNoteSerializer,
    LadderSetLevelSerializer,
    LadderStartSerializer,
    PatientLadderSerializer,
)
from programs.serializers.library import (
    ExerciseSerializer,
    ExerciseWriteSerializer,
    ProgramTemplateSerializer,
    ProgramTemplateWriteSerializer,
    RunLadderSerializer,
    RunLadderWriteSerializer,
)
from programs.serializers.prescriptions import (
    PatientProgramSerializer,
    PatientProgramWriteSerializer,
)

__all__ = [
    "AppProgramSerializer",
    "ExerciseSerializer",
    "ExerciseWriteSerializer",
    "LadderNoteSerializer",
    "LadderSetLevelSerializer",
    "LadderStartSerializer",
    "PatientLadderSerializer",
    "PatientProgramSerializer",
    "PatientProgramWriteSerializer",
    "ProgramTemplateSerializer",
    "ProgramTemplateWriteSerializer",
    "RunLadderSerializer",
    "RunLadderWriteSerializer",
]
