"""Views of the programs app, one module per concern (as its services): the clinic's library,
prescriptions, a patient's run ladder, and the partner app's program today."""

from programs.api.app import AppProgramView
from programs.api.ladder import PatientLadderViewSet
from programs.api.library import ExerciseViewSet, ProgramTemplateViewSet, RunLadderViewSet
from programs.api.prescriptions import PatientProgramViewSet

__all__ = [
    "AppProgramView",
    "ExerciseViewSet",
    "PatientLadderViewSet",
    "PatientProgramViewSet",
    "ProgramTemplateViewSet",
    "RunLadderViewSet",
]
