"""Builders for the pure ladder rule tests: the default ladder, check-ins at a day and hour."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from clinic.thresholds import DEFAULTS
from programs.rules import CheckInReport, LadderLevel, LadderState, PendingRun

DEFAULT_LADDER = tuple(
    LadderLevel(number, run, walk, repeats)
    for number, (run, walk, repeats) in enumerate(
        [(1, 2, 6), (2, 2, 5), (3, 1, 5), (5, 1, 4), (8, 1, 3), (12, 1, 2), (20, 0, 1), (30, 0, 1)],
        start=1,
    )
)
T = DEFAULTS
MONDAY = date(2025, 3, 10)


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
) -> CheckInReport:
    """A run check-in; `minutes` -1 means exactly the level's running minutes."""
    if minutes == -1:
        minutes = DEFAULT_LADDER[level - 1].running_minutes
    return CheckInReport(
        recorded_at=at(offset, hour),
        day=day(offset),
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
) -> CheckInReport:
    return CheckInReport(
        recorded_at=at(offset, hour),
        day=day(offset),
        pain_rest=pain if pain is not None else 1,
        pain_morning=pain,
        symptoms=frozenset(symptoms),
    )


def pending_state(
    *,
    level: int = 1,
    completions: int = 0,
    reference: int = 1,
    qualifies: bool = True,
    run_offset: int = 0,
    run_hour: float = 18,
    target: int | None = None,
    **state: object,
) -> LadderState:
    """A state whose pending run was at `level` on day `run_offset`."""
    pending = PendingRun(
        recorded_at=at(run_offset, run_hour),
        day=day(run_offset),
        level=level,
        target_minutes=target,
        reference_pain=reference,
        qualifies=qualifies,
    )
    base = LadderState(level=level, completions=completions, target_minutes=target)
    return replace(base, pending=pending, **state)  # type: ignore[arg-type]
