"""The per-check-in rules, one function each, over a check-in and its own past.

Every function here reads a `Context` (the check-in, the check-ins recorded before it,
oldest first, and the clinic's thresholds) and returns one `RuleFinding` or None. A rule
with two rows returns its higher row only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from typing import Any

from assessments.rules.check_in.derived import Baseline, Settling, not_settled_report, previous_run
from assessments.rules.check_in.facts import SYMPTOM_GROUP_RULES, CheckInFacts, RuleFinding
from clinical.symptoms import symptom_label
from clinical.thresholds import ClinicalThresholds

# "The last 7 days" and "the 7 days before that": fixed weeks, not thresholds.
WEEK = timedelta(days=7)


def exact(value: float | int) -> Fraction:
    """The decimal a person typed (13.5, 1.3), exactly: 1.3 x 10 is 13, not 13.000000000000002."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def num(value: float | int | Fraction) -> int | float:
    """A JSON-friendly number for evidence values: an int when whole, else 3 decimals."""
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else round(as_float, 3)


def fmt(value: float | int | Fraction) -> str:
    """A number for a rationale: "3", "3.5", "4.33"."""
    as_float = float(value)
    if as_float.is_integer():
        return str(int(as_float))
    return f"{as_float:.2f}".rstrip("0").rstrip(".")


def ids(check_ins: Iterable[CheckInFacts]) -> tuple[int, ...]:
    """The ids of check-ins that have one, without repeats, in the order given."""
    seen: dict[int, None] = {}
    for c in check_ins:
        if c.check_in_id is not None:
            seen[c.check_in_id] = None
    return tuple(seen)


@dataclass(frozen=True)
class Context:
    check_in: CheckInFacts
    past: tuple[CheckInFacts, ...]  # recorded strictly before `check_in`, oldest first
    thresholds: ClinicalThresholds
    baseline: Baseline | None
    settling: Settling | None


def _symptom_finding(ctx: Context, *, group: str) -> RuleFinding | None:
    """The finding of the rule `group`'s symptoms fire (SYMPTOM_GROUP_RULES), if any is reported."""
    found = ctx.check_in.symptoms_in(group)
    if not found:
        return None
    rule = SYMPTOM_GROUP_RULES[group]
    label = "symptom" if len(found) == 1 else "symptoms"
    return RuleFinding(
        code=rule.code,
        severity=rule.severity,
        advice=rule.advice,
        rationale=f"{group} {label} reported: {', '.join(symptom_label(s).lower() for s in found)}",
        values={"symptoms": found, "group": group},
    )


def red_flag_emergency(ctx: Context) -> RuleFinding | None:
    return _symptom_finding(ctx, group="emergency")


def red_flag_mechanical(ctx: Context) -> RuleFinding | None:
    return _symptom_finding(ctx, group="mechanical")


def pain_severe(ctx: Context) -> RuleFinding | None:
    peak, limit = ctx.check_in.peak_pain, ctx.thresholds.pain_severe
    if peak < limit:
        return None
    return RuleFinding(
        code="pain_severe",
        severity="high",
        advice="stop_and_contact",
        rationale=f"peak pain {peak} at or above the severe {limit}",
        values={"peak_pain": peak, "pain_severe": limit},
    )


def pain_rising(ctx: Context) -> RuleFinding | None:
    """High when peak - baseline >= MCID; moderate when >= 1 with peak >= 5; high wins."""
    if ctx.baseline is None:
        return None
    t = ctx.thresholds
    peak, baseline = ctx.check_in.peak_pain, ctx.baseline.value
    delta = peak - baseline
    source = "intake baseline" if ctx.baseline.source == "intake" else "baseline"
    values: dict[str, Any] = {
        "peak_pain": peak,
        "baseline": num(baseline),
        "baseline_source": ctx.baseline.source,
        "delta": num(delta),
        "pain_mcid": t.pain_mcid,
        "pain_rising_moderate_delta": t.pain_rising_moderate_delta,
        "pain_rising_moderate_floor": t.pain_rising_moderate_floor,
    }
    head = f"pain {peak} vs {source} {fmt(baseline)} (+{fmt(delta)}"
    if delta >= t.pain_mcid:
        severity, rationale = "high", f"{head}, MCID {t.pain_mcid})"
    elif delta >= t.pain_rising_moderate_delta and peak >= t.pain_rising_moderate_floor:
        severity = "moderate"
        rationale = (
            f"{head}, at least +{t.pain_rising_moderate_delta} "
            f"at pain {t.pain_rising_moderate_floor} or more)"
        )
    else:
        return None
    return RuleFinding(
        code="pain_rising",
        severity=severity,
        advice="reduce",
        rationale=rationale,
        values=values,
        check_in_ids=ids(ctx.baseline.check_ins),
    )


def pain_above_acceptable(ctx: Context) -> RuleFinding | None:
    limit = ctx.thresholds.pain_acceptable_max
    reported = {
        "during-run": ctx.check_in.pain_during_run,
        "after-run": ctx.check_in.pain_after_run,
    }
    above = [f"{name} pain {p}" for name, p in reported.items() if p is not None and p > limit]
    if not above:
        return None
    return RuleFinding(
        code="pain_above_acceptable",
        severity="moderate",
        advice="reduce",
        rationale=f"{' and '.join(above)} above the acceptable {limit}",
        values={
            "pain_during_run": ctx.check_in.pain_during_run,
            "pain_after_run": ctx.check_in.pain_after_run,
            "pain_acceptable_max": limit,
        },
    )


def pain_worsened_during_run(ctx: Context) -> RuleFinding | None:
    if not ctx.check_in.pain_worsened_during_run:
        return None
    during = ctx.check_in.pain_during_run
    worst = f" (worst {during})" if during is not None else ""
    return RuleFinding(
        code="pain_worsened_during_run",
        severity="moderate",
        advice="reduce",
        rationale=f"pain appeared during the run and kept getting worse{worst}",
        values={"pain_worsened_during_run": True, "pain_during_run": during},
    )


def stride_change(ctx: Context) -> RuleFinding | None:
    found = ctx.check_in.symptoms_in("load")
    if not found:
        return None
    rule = SYMPTOM_GROUP_RULES["load"]
    return RuleFinding(
        code=rule.code,
        severity=rule.severity,
        advice=rule.advice,
        rationale=f"{', '.join(found)} reported: the pain changes the stride",
        values={"symptoms": found},
    )


def pain_not_settled(ctx: Context) -> RuleFinding | None:
    """m > r for the run R before C; moderate when it also fired for the run before R."""
    settling = ctx.settling
    if settling is None or not settling.not_settled:
        return None
    t = ctx.thresholds
    run = settling.run
    earlier_run = previous_run(run, ctx.past)
    earlier_report = (
        not_settled_report(run=earlier_run, past=ctx.past, thresholds=t)
        if earlier_run is not None
        else None
    )
    twice = earlier_report is not None
    values: dict[str, Any] = {
        "pain_morning": settling.morning,
        "reference": settling.reference,
        "reference_field": settling.reference_field,
        "run_recorded_at": run.recorded_at.isoformat(),
        "times_in_a_row": 2 if twice else 1,
        "settle_min_hours": t.settle_min_hours,
        "settle_max_hours": t.settle_max_hours,
    }
    evidence = [run]
    if earlier_run is not None and earlier_report is not None:
        values["previous_run_recorded_at"] = earlier_run.recorded_at.isoformat()
        values["previous_report_recorded_at"] = earlier_report.recorded_at.isoformat()
        evidence += [earlier_run, earlier_report]
    return RuleFinding(
        code="pain_not_settled",
        severity="moderate" if twice else None,
        advice="reduce",
        rationale=(
            f"morning pain {settling.morning} vs {settling.reference} before the run of "
            f"{run.recorded_at.date().isoformat()} (not settled{', 2nd time' if twice else ''})"
        ),
        values=values,
        check_in_ids=ids(evidence),
    )


def weekly_pain_increase(ctx: Context) -> RuleFinding | None:
    """Mean peak of (C - 7 d, C] >= mean of (C - 14 d, C - 7 d] + 1, each with >= 3."""
    t = ctx.thresholds
    now = ctx.check_in.recorded_at
    last = [c for c in ctx.past if c.recorded_at > now - WEEK]
    before = [c for c in ctx.past if now - 2 * WEEK < c.recorded_at <= now - WEEK]
    needed = max(1, t.weekly_min_check_ins)
    if len(last) + 1 < needed or len(before) < needed:
        return None
    last_mean = Fraction(sum(c.peak_pain for c in last) + ctx.check_in.peak_pain, len(last) + 1)
    before_mean = Fraction(sum(c.peak_pain for c in before), len(before))
    points = exact(t.weekly_increase_points)
    if last_mean < before_mean + points:
        return None
    return RuleFinding(
        code="weekly_pain_increase",
        severity="moderate",
        advice="reduce",
        rationale=(
            f"mean peak pain {fmt(last_mean)} over the last 7 days ({len(last) + 1} check-ins) "
            f"vs {fmt(before_mean)} the 7 days before ({len(before)}): "
            f"+{fmt(last_mean - before_mean)}, limit +{fmt(points)}"
        ),
        values={
            "mean_last_7_days": num(last_mean),
            "mean_previous_7_days": num(before_mean),
            "check_ins_last_7_days": len(last) + 1,
            "check_ins_previous_7_days": len(before),
            "weekly_increase_points": num(points),
            "weekly_min_check_ins": t.weekly_min_check_ins,
        },
        check_in_ids=ids([*before, *last]),
    )


def _run_measure(check_in: CheckInFacts, measure: str) -> float | int | None:
    return check_in.run_km if measure == "km" else check_in.run_minutes


def run_spike(ctx: Context) -> RuleFinding | None:
    """C's run > 1.3 x the longest run of [C - 30 d, C) in the same unit, with >= 3 runs.

    Like is compared with like: km with the longest km of the runs that have km, minutes
    with the longest minutes of the runs that have minutes. C with km uses km when at least
    3 earlier runs have km; otherwise minutes, when C and at least 3 earlier runs have
    minutes; otherwise the rule does not fire. Once km are compared, minutes are not looked
    at. The evidence names the unit (`unit`: "km" or "min").
    """
    t = ctx.thresholds
    start = ctx.check_in.recorded_at - timedelta(days=t.run_spike_window_days)
    window = [c for c in ctx.past if c.recorded_at >= start]
    needed = max(1, t.run_spike_min_runs)
    for measure, unit in (("km", "km"), ("minutes", "min")):
        value = _run_measure(ctx.check_in, measure)
        if value is None:
            continue
        runs = [c for c in window if _run_measure(c, measure) is not None]
        if len(runs) < needed:
            continue
        # The latest of equally long runs is the evidence.
        longest = max(reversed(runs), key=lambda c: exact(_run_measure(c, measure) or 0))
        longest_value = _run_measure(longest, measure) or 0
        factor = exact(t.run_spike_factor)
        limit = factor * exact(longest_value)
        if exact(value) <= limit:
            return None
        return RuleFinding(
            code="run_spike",
            severity=None,
            advice="reduce",
            rationale=(
                f"run {fmt(value)} {unit} vs the longest {fmt(longest_value)} {unit} of the "
                f"{t.run_spike_window_days} days before ({len(runs)} "
                f"{'run' if len(runs) == 1 else 'runs'}): above "
                f"{fmt(factor)} x = {fmt(limit)} {unit}"
            ),
            values={
                "measure": measure,
                "unit": unit,
                "run": num(value),
                "longest": num(longest_value),
                "longest_recorded_at": longest.recorded_at.isoformat(),
                "limit": num(limit),
                "runs_in_window": len(runs),
                "run_spike_factor": num(factor),
                "run_spike_window_days": t.run_spike_window_days,
                "run_spike_min_runs": t.run_spike_min_runs,
            },
            check_in_ids=ids([longest]),
        )
    return None


# In the order of the check-in rules table (RULE_CODES).
RULES = (
    red_flag_emergency,
    red_flag_mechanical,
    pain_severe,
    pain_rising,
    pain_above_acceptable,
    pain_worsened_during_run,
    stride_change,
    pain_not_settled,
    weekly_pain_increase,
    run_spike,
)
