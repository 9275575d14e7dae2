"""The derived values the check-in rules share: time order, baseline, settling."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from assessments.rules.check_in.facts import CheckInFacts
from clinical.thresholds import ClinicalThresholds


def chronological(check_in: CheckInFacts) -> tuple[datetime, int]:
    """Sort key: by `recorded_at`; at the same instant, the larger id counts as the later."""
    return (check_in.recorded_at, -1 if check_in.check_in_id is None else check_in.check_in_id)


def recorded_before(
    moment: datetime, check_ins: Iterable[CheckInFacts]
) -> tuple[CheckInFacts, ...]:
    """The check-ins recorded strictly before `moment`, oldest first."""
    return tuple(sorted((c for c in check_ins if c.recorded_at < moment), key=chronological))


@dataclass(frozen=True)
class Baseline:
    value: float
    source: str  # "check_ins" | "intake"
    check_ins: tuple[CheckInFacts, ...] = ()


@dataclass(frozen=True)
class Settling:
    """What check-in C reports on the run R before it: morning pain m against reference r."""

    run: CheckInFacts
    morning: int
    reference: int
    reference_field: str  # "pain_morning" | "pain_rest" (of the run R)

    @property
    def not_settled(self) -> bool:
        return self.morning > self.reference


def baseline_for(
    *,
    check_in: CheckInFacts,
    past: tuple[CheckInFacts, ...],
    intake_pain_worst_running: int | None,
    thresholds: ClinicalThresholds,
) -> Baseline | None:
    """The median peak pain of [C - 7 days, C) with at least 3 check-ins, else the intake's."""
    start = check_in.recorded_at - timedelta(days=thresholds.baseline_window_days)
    window = tuple(c for c in past if c.recorded_at >= start)
    # A clinic's minimum of 0 still needs one check-in to take a median of.
    if window and len(window) >= thresholds.baseline_min_check_ins:
        return Baseline(float(median(c.peak_pain for c in window)), "check_ins", window)
    if intake_pain_worst_running is not None:
        return Baseline(float(intake_pain_worst_running), "intake")
    return None


def run_to_settle(
    *, check_in: CheckInFacts, past: tuple[CheckInFacts, ...], thresholds: ClinicalThresholds
) -> CheckInFacts | None:
    """The latest `ran` check-in recorded in [C - 36 h, C - 4 h], both bounds included."""
    earliest = check_in.recorded_at - timedelta(hours=thresholds.settle_max_hours)
    latest = check_in.recorded_at - timedelta(hours=thresholds.settle_min_hours)
    runs = [c for c in past if c.ran and earliest <= c.recorded_at <= latest]
    return runs[-1] if runs else None


def settling_for(
    *, check_in: CheckInFacts, past: tuple[CheckInFacts, ...], thresholds: ClinicalThresholds
) -> Settling | None:
    """What C's morning pain says about the run before it; None without m or without a run."""
    if check_in.pain_morning is None:
        return None
    run = run_to_settle(check_in=check_in, past=past, thresholds=thresholds)
    if run is None:
        return None
    if run.pain_morning is not None:
        return Settling(run, check_in.pain_morning, run.pain_morning, "pain_morning")
    return Settling(run, check_in.pain_morning, run.pain_rest, "pain_rest")


def previous_run(run: CheckInFacts, past: tuple[CheckInFacts, ...]) -> CheckInFacts | None:
    """The latest `ran` check-in recorded strictly before `run`."""
    earlier = [c for c in past if c.ran and c.recorded_at < run.recorded_at]
    return earlier[-1] if earlier else None


def not_settled_report(
    *, run: CheckInFacts, past: tuple[CheckInFacts, ...], thresholds: ClinicalThresholds
) -> CheckInFacts | None:
    """The first check-in of `past` whose own settling was on `run` and did not settle.

    Each candidate is judged against its own past (the check-ins recorded before it), as
    it was when it arrived in time order.
    """
    for candidate in past:
        if candidate.pain_morning is None or candidate.recorded_at <= run.recorded_at:
            continue
        own_past = tuple(c for c in past if c.recorded_at < candidate.recorded_at)
        settling = settling_for(check_in=candidate, past=own_past, thresholds=thresholds)
        if settling is not None and settling.run == run and settling.not_settled:
            return candidate
    return None
