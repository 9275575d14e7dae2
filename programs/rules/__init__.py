"""Pure decision logic of the programs app: the return-to-run ladder and its weekly limits.

Imports no models. The check-in flow builds a `CheckInReport`, loads the patient's
`LadderState`, `LadderHistory` and ladder levels (see `programs.selectors`), and calls
`ladder_on_check_in`; `programs.services.ladder_apply_check_in` does all of that in the
caller's transaction.
"""

from programs.rules.ladder import (
    ladder_decide,
    ladder_on_check_in,
    ladder_settle,
    state_paused,
    state_resumed,
    state_with_level,
)
from programs.rules.limits import levels_up_allowed, run_days_blockers, run_plan
from programs.rules.types import (
    EMERGENCY_SYMPTOMS,
    KNOWN_SYMPTOMS,
    LOAD_SYMPTOMS,
    MECHANICAL_SYMPTOMS,
    RUN_PLAN_REASON_CODES,
    Action,
    CheckInReport,
    Ladder,
    LadderDecision,
    LadderHistory,
    LadderLevel,
    LadderState,
    LevelUp,
    PendingRun,
    Reason,
    RunDay,
    RunPlan,
    Step,
    VariableChange,
    ladder_validate,
)

__all__ = [
    "EMERGENCY_SYMPTOMS",
    "KNOWN_SYMPTOMS",
    "LOAD_SYMPTOMS",
    "MECHANICAL_SYMPTOMS",
    "RUN_PLAN_REASON_CODES",
    "Action",
    "CheckInReport",
    "Ladder",
    "LadderDecision",
    "LadderHistory",
    "LadderLevel",
    "LadderState",
    "LevelUp",
    "PendingRun",
    "Reason",
    "RunDay",
    "RunPlan",
    "Step",
    "VariableChange",
    "ladder_decide",
    "ladder_on_check_in",
    "ladder_settle",
    "ladder_validate",
    "levels_up_allowed",
    "run_days_blockers",
    "run_plan",
    "state_paused",
    "state_resumed",
    "state_with_level",
]
