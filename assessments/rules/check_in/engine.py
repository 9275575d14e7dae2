"""Judge one check-in against its own past: the findings, the advice level, the settling."""

from collections.abc import Iterable, Sequence
from datetime import timedelta

from assessments.rules.check_in.derived import baseline_for, recorded_before, settling_for
from assessments.rules.check_in.facts import (
    CheckInFacts,
    Judgement,
    RuleFinding,
    advice_rank,
    check_pain,
    severity_rank,
)
from assessments.rules.check_in.rules import RULES, WEEK, Context
from clinical.thresholds import ClinicalThresholds


def history_window(thresholds: ClinicalThresholds) -> timedelta:
    """How far back before a check-in the caller must supply history (30 days + 36 h by default).

    The longest of the windows the rules read (the baseline's 7 days, the two weeks of
    `weekly_pain_increase`, the 30 days of `run_spike`), plus `settle_max_hours` so that
    the run R of `pain_not_settled` and the check-ins that reported on the run before it
    are seen. "The run before R" is looked up in what is supplied: a run older than this
    window is not seen, so `pain_not_settled` across a month without a run counts once.
    """
    days = max(thresholds.baseline_window_days, 2 * WEEK.days, thresholds.run_spike_window_days)
    return timedelta(days=days, hours=thresholds.settle_max_hours)


def judge_check_in(
    *,
    check_in: CheckInFacts,
    history: Sequence[CheckInFacts],
    intake_pain_worst_running: int | None,
    thresholds: ClinicalThresholds,
) -> Judgement:
    """Apply every per-check-in rule to `check_in`.

    `history` is the patient's other check-ins, in any order, covering at least
    `history_window(thresholds)` before `check_in.recorded_at` (the caller may pass more or
    later ones). Only those recorded strictly before `check_in.recorded_at` are read: a
    check-in is judged against its own past by `recorded_at`, never by arrival, so an
    offline check-in that arrives late is judged as it would have been on time. A
    check-in recorded at the same instant is not "before" and is not read.
    `intake_pain_worst_running` is the value of the patient's latest intake assessed at or
    before `check_in.recorded_at` (an intake at the same instant is in force), the fallback
    baseline.

    Where the clinical rules are silent, the safer reading is taken:
    - `pain_not_settled`: R is the latest `ran` check-in within [C - 36 h, C - 4 h], both
      bounds included, even when a later run falls inside the last 4 hours. "Twice in a
      row" holds when any check-in before C reported the run before R (the latest `ran`
      check-in recorded before R) as not settled, each judged against its own past, even
      if another report on that run said it had settled. The same run R reported as not
      settled by two check-ins is once, not twice: "in a row" is about runs.
    - The run fields (`pain_during_run`, `pain_after_run`, the worsening flag, `run_km`,
      `run_minutes`) are judged whenever present, whatever `ran` says; R and the run
      before it are the check-ins with `ran` set, as the rules name them.
    - `run_spike`: a run in the window is any check-in with the measure present; km are
      compared with km only and minutes with minutes. When C has km but fewer than 3
      earlier runs have km, minutes are compared instead (when C has them too).
    - Comparisons of decimals (1.3 x the longest run, a mean +1) are exact: a run of
      exactly 1.3 x the longest does not fire.
    - A clinic's minimum count of 0 (baseline, weekly windows, runs) still needs one
      check-in to compute from.
    """
    check_pain("intake_pain_worst_running", intake_pain_worst_running)
    past = recorded_before(check_in.recorded_at, history)
    ctx = Context(
        check_in=check_in,
        past=past,
        thresholds=thresholds,
        baseline=baseline_for(
            check_in=check_in,
            past=past,
            intake_pain_worst_running=intake_pain_worst_running,
            thresholds=thresholds,
        ),
        settling=settling_for(check_in=check_in, past=past, thresholds=thresholds),
    )
    findings = _one_per_code(rule(ctx) for rule in RULES)
    advice = max((f.advice for f in findings), key=advice_rank, default="continue")
    not_settled = any(f.code == "pain_not_settled" for f in findings)
    settling = ctx.settling
    settled_run_id = (
        settling.run.check_in_id if settling is not None and not settling.not_settled else None
    )
    not_settled_run_id = settling.run.check_in_id if settling is not None and not_settled else None
    return Judgement(
        peak_pain=check_in.peak_pain,
        baseline=ctx.baseline.value if ctx.baseline is not None else None,
        baseline_source=ctx.baseline.source if ctx.baseline is not None else None,
        findings=findings,
        advice_level=advice,
        pain_not_settled=not_settled,
        settled_run_id=settled_run_id,
        not_settled_run_id=not_settled_run_id,
    )


def _one_per_code(found: Iterable[RuleFinding | None]) -> tuple[RuleFinding, ...]:
    """Keep the highest-severity finding of each code (then the highest advice), in order."""
    best: dict[str, RuleFinding] = {}
    for finding in found:
        if finding is None:
            continue
        current = best.get(finding.code)
        if current is None or _weight(finding) > _weight(current):
            best[finding.code] = finding
    return tuple(best.values())


def _weight(finding: RuleFinding) -> tuple[int, int]:
    return (severity_rank(finding.severity), advice_rank(finding.advice))
