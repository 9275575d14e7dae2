"""Builders for the pure ladder rule tests: the default ladder, check-ins at a day and hour,
and the check-in rules' judgement of them (the ladder judges nothing itself)."""

import itertools
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from assessments.rules.check_in import CheckInFacts, Judgement, judge_check_in
from clinical.thresholds import DEFAULTS, ClinicalThresholds
from programs.rules import LadderLevel, LadderState, RunRecord

DEFAULT_LADDER = tuple(
    LadderLevel(number, run, walk, repeats)
    for number, (run, walk, repeats) in enumerate(
        [(1, 2, 6), (2, 2, 5), (3, 1, 5), (5, 1, 4), (8, 1, 3), (12, 1, 2), (20, 0, 1), (30, 0, 1)],
        start=1,
    )
)
T = DEFAULTS
MONDAY = date(2025, 3, 10)
_ids = itertools.count(1000)
# The check-in id of the run a `pending_state` waits on.
PENDING_RUN_ID = 999


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def at(offset: int, hour: float = 18) -> datetime:
    whole = int(hour)
    return datetime.combine(day(offset), time(whole), tzinfo=UTC) + timedelta(
        minutes=round((hour - whole) * 60)
    )


def run(
    offset: int = 0,
    *,
    level: int = 1,
    hour: float = 18,
    during: int | None = 1,
    after: int | None = 1,
    minutes: int | None = -1,
    symptoms: tuple[str, ...] = (),
    worsened: bool = False,
    pain_rest: int = 1,
    pain_morning: int | None = None,
) -> CheckInFacts:
    """A run check-in; `minutes` -1 means exactly the level's running minutes."""
    if minutes == -1:
        minutes = DEFAULT_LADDER[level - 1].running_minutes
    return CheckInFacts(
        recorded_at=at(offset, hour),
        check_in_id=next(_ids),
        pain_rest=pain_rest,
        pain_morning=pain_morning,
        ran=True,
        run_minutes=minutes,
        pain_during_run=during,
        pain_after_run=after,
        pain_worsened_during_run=worsened,
        symptoms=frozenset(symptoms),
    )


def morning(
    offset: int = 1, *, pain: int | None = 1, hour: float = 7, symptoms: tuple[str, ...] = ()
) -> CheckInFacts:
    return CheckInFacts(
        recorded_at=at(offset, hour),
        check_in_id=next(_ids),
        pain_rest=pain if pain is not None else 1,
        pain_morning=pain,
        symptoms=frozenset(symptoms),
    )


def judged(
    check_in: CheckInFacts,
    history: Sequence[CheckInFacts] = (),
    thresholds: ClinicalThresholds = T,
) -> Judgement:
    """What the check-in rules say of `check_in` against `history` (no intake)."""
    return judge_check_in(
        check_in=check_in, history=history, intake_pain_worst_running=None, thresholds=thresholds
    )


def local_day(check_in: CheckInFacts) -> date:
    """The check-in's local date (the tests' patient lives in UTC)."""
    return check_in.recorded_at.astimezone(UTC).date()


def pending_run_facts(state: LadderState, *, reference: int = 1) -> CheckInFacts:
    """The run check-in a `pending_state` waits on, with `reference` as its rest pain."""
    assert state.pending is not None
    return CheckInFacts(
        recorded_at=state.pending.recorded_at,
        check_in_id=state.pending.check_in_id,
        pain_rest=reference,
        ran=True,
        pain_during_run=1,
        pain_after_run=1,
    )


def pending_state(
    *,
    level: int = 1,
    completions: int = 0,
    qualifies: bool = True,
    run_offset: int = 0,
    run_hour: float = 18,
    target: int | None = None,
    **state: object,
) -> LadderState:
    """A state whose pending run was at `level` on day `run_offset`."""
    pending = RunRecord(
        recorded_at=at(run_offset, run_hour),
        day=day(run_offset),
        level=level,
        target_minutes=target,
        qualifies=qualifies,
        check_in_id=PENDING_RUN_ID,
    )
    base = LadderState(level=level, completions=completions, target_minutes=target)
    return replace(base, pending=pending, **state)  # type: ignore[arg-type]


class LadderDriver:
    """What `programs.services.ladder_apply_check_in` does, in memory: each check-in is judged
    by the check-in rules against the check-ins recorded before it (whatever order they
    arrive in), and the ladder applies that judgement to its state, its history and its
    record of each run."""

    def __init__(self, thresholds: ClinicalThresholds = T, state: LadderState | None = None):
        from programs.rules import LadderHistory

        self.thresholds = thresholds
        self.state = state or LadderState(level=1)
        self.history = LadderHistory()
        self.check_ins: list[CheckInFacts] = []
        self.runs: dict[int, RunRecord] = {}

    def apply(self, check_in: CheckInFacts) -> tuple[Judgement, list]:  # type: ignore[type-arg]
        from programs.rules import Step, ladder_on_check_in

        judgement = judged(check_in, self.check_ins, self.thresholds)
        run_id = (
            judgement.not_settled_run_id if judgement.pain_not_settled else judgement.settled_run_id
        )
        decisions = ladder_on_check_in(
            state=self.state,
            check_in=check_in,
            judgement=judgement,
            day=local_day(check_in),
            settling=self.runs.get(run_id) if run_id is not None else None,
            history=self.history,
            ladder=DEFAULT_LADDER,
            thresholds=self.thresholds,
        )
        for decision in decisions:
            self.history = self.history.with_decision(decision)
            self.state = decision.state
            judged_run = decision.settled_run
            if judged_run is not None and judged_run.check_in_id is not None:
                self.runs[judged_run.check_in_id] = judged_run
            if decision.step == Step.RUN and decision.state.pending is not None:
                pending = decision.state.pending
                if pending.check_in_id is not None:
                    self.runs[pending.check_in_id] = pending
        self.check_ins.append(check_in)
        return judgement, decisions

    def resume(self) -> None:
        from programs.rules import state_resumed

        self.state = state_resumed(self.state)
        self.runs = {key: replace(run, restarted=True) for key, run in self.runs.items()}
