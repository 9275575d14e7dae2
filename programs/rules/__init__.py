"""Pure decision logic of the programs app: the return-to-run ladder and its weekly limits.

Imports no models. The check-in flow hands over the check-in's `CheckInFacts` and the
check-in rules' `Judgement` of it; `programs.services.ladder_apply_check_in` loads the
patient's `LadderState`, the `RunRecord` the judgement speaks of, the `LadderHistory` and the
ladder's levels (see `programs.selectors`) and calls `ladder_on_check_in`, in the caller's
transaction.
"""

from programs.rules.ladder import (
    ladder_on_check_in,
    state_paused,
    state_resumed,
    state_with_level,
)
from programs.rules.limits import levels_up_allowed, run_days_blockers, run_plan
from programs.rules.run import ladder_decide
from programs.rules.settle import ladder_settle
from programs.rules.steps import running_pain
from programs.rules.types import (
    EMERGENCY_SYMPTOMS,
    KNOWN_SYMPTOMS,
    LOAD_SYMPTOMS,
    MECHANICAL_SYMPTOMS,
    PAUSING_SEVERITIES,
    RUN_PLAN_REASON_CODES,
    Action,
    Ladder,
    LadderDecision,
    LadderHistory,
    LadderLevel,
    LadderState,
    LevelUp,
    Reason,
    RunDay,
    RunPlan,
    RunRecord,
    Step,
    VariableChange,
    ladder_validate,
)

__all__ = [
    "EMERGENCY_SYMPTOMS",
    "KNOWN_SYMPTOMS",
    "LOAD_SYMPTOMS",
    "MECHANICAL_SYMPTOMS",
    "PAUSING_SEVERITIES",
    "RUN_PLAN_REASON_CODES",
    "Action",
    "Ladder",
    "LadderDecision",
    "LadderHistory",
    "LadderLevel",
    "LadderState",
    "LevelUp",
    "Reason",
    "RunDay",
    "RunPlan",
    "RunRecord",
    "Step",
    "VariableChange",
    "ladder_decide",
    "ladder_on_check_in",
    "ladder_settle",
    "ladder_validate",
    "levels_up_allowed",
    "run_days_blockers",
    "run_plan",
    "running_pain",
    "state_paused",
    "state_resumed",
    "state_with_level",
]
