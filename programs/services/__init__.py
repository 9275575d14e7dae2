"""Writes for the programs app: the clinic's library, prescriptions, and the run ladder.

Every function is keyword-only and runs in one transaction. The check-in flow calls
`ladder_apply_check_in` inside its own transaction.
"""

from programs.services.errors import LadderStateError, ProgramStateError, ShippedReadOnly
from programs.services.ladder import (
    ladder_apply_check_in,
    ladder_pause,
    ladder_resume,
    ladder_set_level,
    ladder_start,
)
from programs.services.library import (
    exercise_create,
    exercise_update,
    run_ladder_create,
    template_create,
)
from programs.services.prescriptions import program_prescribe

__all__ = [
    "LadderStateError",
    "ProgramStateError",
    "ShippedReadOnly",
    "exercise_create",
    "exercise_update",
    "ladder_apply_check_in",
    "ladder_pause",
    "ladder_resume",
    "ladder_set_level",
    "ladder_start",
    "program_prescribe",
    "run_ladder_create",
    "template_create",
]
