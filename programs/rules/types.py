"""Plain data of the return-to-run ladder rules: levels, state, recorded runs, decisions.

Pure module: no Django models. The service layer converts rows to these values and back.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from clinical import symptoms
from clinical.escalations import RED_FLAG_RULES
from clinical.ladder import LadderAction, PauseReason
from clinical.severity import PAUSING_SEVERITIES as PAUSING_SEVERITIES

# What a decision did to the running: the vocabulary's ladder actions.
Action = LadderAction


class Step(StrEnum):
    """Which part of a check-in a decision judged."""

    RUN = "run"  # the check-in reports a run
    SETTLE = "settle"  # the morning after a run: did its pain settle (or is it too late to say)
    SYMPTOMS = "symptoms"  # a check-in without a run that reports a red-flag symptom
    PAUSE = "pause"  # a check-in whose other critical or high finding pauses running


# The symptom list by group (one list, in clinical.symptoms).
EMERGENCY_SYMPTOMS: frozenset[str] = frozenset(map(str, symptoms.EMERGENCY_SYMPTOMS))
MECHANICAL_SYMPTOMS: frozenset[str] = frozenset(map(str, symptoms.MECHANICAL_SYMPTOMS))
LOAD_SYMPTOMS: frozenset[str] = frozenset(map(str, symptoms.LOAD_SYMPTOMS))
KNOWN_SYMPTOMS = EMERGENCY_SYMPTOMS | MECHANICAL_SYMPTOMS | LOAD_SYMPTOMS

# A critical or high escalation pauses running (PAUSING_SEVERITIES, clinical.severity): the
# check-in's findings of these severities pause the ladder (`pause_reason`), and a therapist
# cannot resume it while an escalation of these severities is unresolved.

# The rule codes of the red flags: their own pause reasons.
RED_FLAG_CODES: tuple[str, ...] = tuple(map(str, RED_FLAG_RULES))

# Why a ladder is paused (clinical.ladder.PauseReason).
PAUSE_RED_FLAG_EMERGENCY = PauseReason.RED_FLAG_EMERGENCY
PAUSE_RED_FLAG_MECHANICAL = PauseReason.RED_FLAG_MECHANICAL
PAUSE_ESCALATION = PauseReason.ESCALATION
PAUSE_THERAPIST = PauseReason.THERAPIST

# The one variable that changes at a time past the last level ("one variable at a time").
# Stride changes duration itself; the others are the therapist's to change in clinic.
VARIABLE_DURATION = "duration"


@dataclass(frozen=True)
class LadderLevel:
    """One rung: run `run_minutes`, walk `walk_minutes`, `repeats` times."""

    number: int
    run_minutes: int
    walk_minutes: int
    repeats: int

    @property
    def running_minutes(self) -> int:
        return self.run_minutes * self.repeats

    @property
    def continuous(self) -> bool:
        return self.walk_minutes == 0 and self.repeats == 1

    def describe(self) -> str:
        if self.continuous:
            return f"Run {self.run_minutes} minutes without stopping."
        return (
            f"Run {self.run_minutes} min, walk {self.walk_minutes} min; do this {self.repeats} "
            f"times ({self.running_minutes} minutes of running)."
        )


Ladder = tuple[LadderLevel, ...]


def ladder_validate(ladder: Ladder) -> None:
    """Raise ValueError unless the levels are numbered 1..n in order, n >= 1."""
    if not ladder:
        raise ValueError("A ladder needs at least one level.")
    for index, level in enumerate(ladder, start=1):
        if level.number != index:
            raise ValueError("Ladder levels must be numbered 1..n in order.")
        if level.run_minutes < 1 or level.repeats < 1 or level.walk_minutes < 0:
            raise ValueError(f"Level {index} has an impossible session.")


@dataclass(frozen=True)
class RunRecord:
    """A run the ladder recorded, as the settling of its pain is judged later.

    `check_in_id` is the run's check-in: the check-in rules name the run they judged by it
    (`Judgement.settled_run_id`, `Judgement.not_settled_run_id`). `settled` is what the rules
    have said of it so far: None nothing yet, True settled, False not settled (False is
    kept: a run once reported as not settled never counts). `counted` is True once it counted
    as a completion, so that a second report of the same run does not count it twice.
    """

    recorded_at: datetime
    day: date
    level: int
    target_minutes: int | None
    qualifies: bool  # it completes its level if its pain settles
    check_in_id: int | None = None
    settled: bool | None = None
    counted: bool = False
    restarted: bool = False  # a therapist set the level or resumed since: it no longer counts
    event_id: int | None = None  # the stored run event; None for the run being decided now


@dataclass(frozen=True)
class LadderState:
    """Where a patient is on their ladder.

    `target_minutes` is None while the patient is on the ladder's levels; past the last level
    it is the continuous run duration now prescribed (the level number stays the last one).
    """

    level: int
    completions: int = 0
    paused: bool = False
    pause_reason: str = ""
    target_minutes: int | None = None
    pending: RunRecord | None = None  # the latest run whose settling is not known yet

    @property
    def beyond_last_level(self) -> bool:
        return self.target_minutes is not None


@dataclass(frozen=True)
class RunDay:
    """A reported run: its local day, the level it was run at, its minutes if reported."""

    day: date
    level: int
    minutes: int | None = None


@dataclass(frozen=True)
class LevelUp:
    """Levels gained on `day`. `automatic` False: the therapist set the level, a clinical
    decision that does not count toward the weekly limit of automatic progressions."""

    day: date
    levels: int
    automatic: bool = True


@dataclass(frozen=True)
class VariableChange:
    day: date
    variable: str


@dataclass(frozen=True)
class LadderHistory:
    """The recent past the weekly limits look at (the service loads the last 37 days)."""

    runs: tuple[RunDay, ...] = ()
    level_ups: tuple[LevelUp, ...] = ()
    variable_changes: tuple[VariableChange, ...] = ()

    def run_days(self) -> set[date]:
        return {run.day for run in self.runs}

    def with_decision(self, decision: "LadderDecision") -> "LadderHistory":
        """This history with what `decision` recorded added (a run, a level up, a change)."""
        runs, ups, changes = self.runs, self.level_ups, self.variable_changes
        if decision.run is not None:
            runs = (*runs, decision.run)
        if decision.levels_up > 0:
            ups = (*ups, LevelUp(day=decision.day, levels=decision.levels_up))
        if decision.variable_change is not None:
            changes = (
                *changes,
                VariableChange(day=decision.day, variable=decision.variable_change),
            )
        return replace(self, runs=runs, level_ups=ups, variable_changes=changes)


@dataclass(frozen=True)
class Reason:
    """A rule that shaped a decision: its code and one line a therapist or patient can read."""

    code: str
    detail: str


@dataclass(frozen=True)
class LadderDecision:
    """The outcome of judging one part of a check-in against the ladder."""

    step: Step
    action: Action
    day: date
    before: LadderState
    state: LadderState
    reasons: tuple[Reason, ...] = ()
    run: RunDay | None = None  # the run this decision recorded (step RUN)
    settled: bool | None = None  # step SETTLE: what the check-in rules said of the run
    counted: bool = False  # step SETTLE: the settled run counted as a completion
    settled_run: RunRecord | None = None  # step SETTLE: the judged run as it is now
    levels_up: int = 0
    variable_change: str | None = None

    @property
    def level(self) -> int:
        return self.state.level

    @property
    def completions(self) -> int:
        return self.state.completions

    @property
    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    @property
    def summary(self) -> str:
        return " ".join(reason.detail for reason in self.reasons)


# Why today's run plan is what it is: the codes a partner app reads in `run.reasons`.
RUN_PLAN_REASON_CODES: tuple[str, ...] = (
    "ladder_not_started",
    "ladder_paused",
    "ladder_ran_today",
    "ladder_no_consecutive_days",
    "ladder_run_days_limit",
    "discharged",
)


@dataclass(frozen=True)
class RunPlan:
    """Whether today is a run day and which session."""

    status: str  # "run", "done", "rest", "paused", "not_started"
    session: LadderLevel | None = None
    target_minutes: int | None = None
    reasons: tuple[Reason, ...] = ()

    def __post_init__(self) -> None:
        for reason in self.reasons:
            if reason.code not in RUN_PLAN_REASON_CODES:
                raise ValueError(f"Unknown run plan reason {reason.code!r}.")

    @property
    def run_day(self) -> bool:
        return self.status in ("run", "done")
