"""The clinical thresholds as one typed value; a clinic may override any of them.

Pure module (no Django): the rules modules of `assessments` and `programs` take a
`ClinicalThresholds` as an argument.

Each threshold is declared once, below, with its default, the lowest and highest value a
clinic may set, its unit and what it governs (`docs/clinical-rules.md`, "Thresholds", lists
them). `validate_overrides` refuses a value outside its bounds (the clinic settings answer
400 naming it); `stored_overrides` clamps a stored value into its bounds when a clinic's
thresholds are read, so that a value stored some other way can never make a check-in fail.
"""

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any


def threshold(
    default: float, lower: float, upper: float, unit: str, governs: str
) -> Any:  # a dataclass field
    """Declare a threshold: its default, the bounds a clinic must stay within, unit, purpose."""
    if not lower <= default <= upper:  # pragma: no cover - a declaration error
        raise ValueError(f"default {default} is outside [{lower}, {upper}]")
    return field(
        default=default,
        metadata={"lower": lower, "upper": upper, "unit": unit, "governs": governs},
    )


@dataclass(frozen=True)
class ClinicalThresholds:
    # Pain (NPRS 0-10) and the pain-monitoring model.
    pain_mcid: int = threshold(
        2, 1, 4, "NPRS points", "rise over the baseline that makes `pain_rising` high"
    )
    pain_severe: int = threshold(7, 5, 8, "NPRS", "peak pain at or above which `pain_severe` fires")
    pain_rising_moderate_delta: int = threshold(
        1, 1, 3, "NPRS points", "rise over the baseline for the moderate `pain_rising` row"
    )
    pain_rising_moderate_floor: int = threshold(
        5, 3, 7, "NPRS", "peak pain from which the moderate `pain_rising` row applies"
    )
    pain_acceptable_max: int = threshold(
        5,
        3,
        6,
        "NPRS",
        "running pain above it is high risk (`pain_above_acceptable`; the ladder steps back)",
    )
    pain_safe_max: int = threshold(
        2, 0, 3, "NPRS", "running pain up to it is safe (the ladder may progress)"
    )
    baseline_window_days: int = threshold(
        7, 3, 28, "days", "window before a check-in whose median peak pain is the baseline"
    )
    baseline_min_check_ins: int = threshold(
        3, 1, 14, "check-ins", "check-ins the baseline window needs, else the intake is used"
    )
    weekly_increase_points: float = threshold(
        1.0, 0.5, 3.0, "NPRS points", "weekly mean rise that fires `weekly_pain_increase`"
    )
    weekly_min_check_ins: int = threshold(
        3, 1, 7, "check-ins", "check-ins each week needs for `weekly_pain_increase`"
    )
    settle_min_hours: int = threshold(
        4, 1, 12, "hours", "earliest a morning report may follow the run it reports on"
    )
    settle_max_hours: int = threshold(
        36, 12, 72, "hours", "latest a morning report may follow the run it reports on"
    )
    run_spike_factor: float = threshold(
        1.3, 1.0, 2.0, "x longest run", "a run longer than this times the longest is a spike"
    )
    run_spike_window_days: int = threshold(
        30, 7, 90, "days", "window whose longest run `run_spike` compares with"
    )
    run_spike_min_runs: int = threshold(
        3, 1, 10, "runs", "runs the `run_spike` window needs before it compares"
    )
    # Acknowledgement deadlines, minutes.
    ack_critical_minutes: int = threshold(
        15, 5, 60, "minutes", "a critical escalation not acknowledged by then goes to on-call"
    )
    ack_high_minutes: int = threshold(
        4 * 60, 30, 24 * 60, "minutes", "a high escalation not acknowledged by then goes to on-call"
    )
    ack_moderate_minutes: int = threshold(
        48 * 60,
        4 * 60,
        7 * 24 * 60,
        "minutes",
        "a moderate escalation not acknowledged by then goes to on-call",
    )
    ack_low_minutes: int = threshold(
        7 * 24 * 60,
        24 * 60,
        14 * 24 * 60,
        "minutes",
        "a low escalation not acknowledged by then goes to on-call",
    )
    # Engagement (evaluated daily).
    disengaged_days: int = threshold(
        3, 1, 14, "days", "days without a check-in that raise a low `disengaged`"
    )
    disengaged_high_days: int = threshold(
        14, 3, 60, "days", "days without a check-in that raise `disengaged` to high"
    )
    no_improvement_program_days: int = threshold(
        21, 7, 90, "days", "days a program runs before `no_improvement` is judged"
    )
    no_improvement_min_adherence: float = threshold(
        0.70, 0.5, 1.0, "share (0-1)", "exercise adherence `no_improvement` needs"
    )
    no_improvement_points: int = threshold(
        2, 1, 5, "NPRS points", "fall from the intake's running pain that counts as improvement"
    )
    # Intake triage and contributing factors.
    prompt_review_rest_pain: int = threshold(
        5, 2, 7, "NPRS", "rest pain with `at_rest` timing that gives `prompt_review`"
    )
    load_spike_factor: float = threshold(
        1.3, 1.1, 2.0, "x weekly km", "weekly km above this times 4 weeks ago is a load spike"
    )
    low_cadence_spm: int = threshold(
        160, 140, 180, "steps/min", "cadence below it is the `low_cadence` factor"
    )
    worn_shoes_km: int = threshold(
        800, 300, 1500, "km", "shoe km above it is the `worn_shoes` factor"
    )
    # Return-to-run ladder.
    ladder_completions_to_progress: int = threshold(
        2, 1, 5, "completions", "completions of a level before the ladder progresses"
    )
    ladder_max_levels_per_week: int = threshold(2, 1, 4, "levels", "most levels up in any 7 days")
    ladder_max_run_days_per_week: int = threshold(
        4, 1, 7, "run days", "most run days in any 7 days"
    )
    ladder_no_consecutive_max_level: int = threshold(
        4, 0, 20, "level", "up to this level no runs on consecutive days (0: none)"
    )
    ladder_duration_increase_max: float = threshold(
        0.10, 0.0, 0.20, "share (0-1)", "past the last level, most duration increase a week"
    )

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}

    def with_overrides(self, overrides: dict[str, Any]) -> "ClinicalThresholds":
        known = {k: v for k, v in overrides.items() if k in self.field_names()}
        return replace(self, **known)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS = ClinicalThresholds()


@dataclass(frozen=True)
class Bound:
    name: str
    default: int | float
    lower: int | float
    upper: int | float
    unit: str
    governs: str
    whole: bool


def _is_whole(type_: Any) -> bool:
    return type_ in (int, "int")


BOUNDS: dict[str, Bound] = {
    f.name: Bound(
        name=f.name,
        default=f.default,  # type: ignore[arg-type]
        lower=f.metadata["lower"],
        upper=f.metadata["upper"],
        unit=f.metadata["unit"],
        governs=f.metadata["governs"],
        whole=_is_whole(f.type),
    )
    for f in fields(ClinicalThresholds)
}

# Pairs (smaller, larger) whose order a clinic's effective thresholds must keep.
ORDERED: tuple[tuple[str, str], ...] = (
    ("pain_safe_max", "pain_acceptable_max"),
    ("settle_min_hours", "settle_max_hours"),
    ("disengaged_days", "disengaged_high_days"),
    ("ack_critical_minutes", "ack_high_minutes"),
    ("ack_high_minutes", "ack_moderate_minutes"),
    ("ack_moderate_minutes", "ack_low_minutes"),
)


class ThresholdError(ValueError):
    """A threshold override is refused; `name` is the threshold, when one is to blame."""

    def __init__(self, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def validate_overrides(overrides: Any) -> dict[str, int | float]:
    """Return `overrides` (all of a clinic's overrides: they replace the stored ones) checked
    against the known thresholds, their bounds and the ordered pairs, or raise ThresholdError
    saying why."""
    if not isinstance(overrides, dict):
        raise ThresholdError("Thresholds must be an object of name to number.")
    clean: dict[str, int | float] = {}
    for name, value in overrides.items():
        bound = BOUNDS.get(name)
        if bound is None:
            raise ThresholdError(f"Unknown threshold '{name}'.", name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ThresholdError(f"Threshold '{name}' must be a number.", name)
        if not math.isfinite(value):
            raise ThresholdError(f"Threshold '{name}' must be a finite number.", name)
        if bound.whole and not float(value).is_integer():
            raise ThresholdError(f"Threshold '{name}' must be a whole number.", name)
        if not bound.lower <= value <= bound.upper:
            raise ThresholdError(
                f"Threshold '{name}' must be from {_fmt(bound.lower)} to {_fmt(bound.upper)} "
                f"({bound.unit}); {_fmt(value)} is outside.",
                name,
            )
        clean[name] = int(value) if bound.whole else float(value)
    effective = DEFAULTS.with_overrides(clean)
    for smaller, larger in ORDERED:
        low, high = getattr(effective, smaller), getattr(effective, larger)
        if low > high:
            blamed = smaller if smaller in clean else larger
            raise ThresholdError(
                f"Threshold '{smaller}' ({_fmt(low)}) must not be above '{larger}' ({_fmt(high)}).",
                blamed,
            )
    return clean


def stored_overrides(overrides: Any) -> dict[str, int | float]:
    """A clinic's stored overrides as they are applied: unknown names and values that are not
    numbers are dropped (the default applies), numbers are clamped into their bounds. Never
    raises, whatever is stored."""
    if not isinstance(overrides, dict):
        return {}
    clean: dict[str, int | float] = {}
    for name, value in overrides.items():
        bound = BOUNDS.get(name)
        if bound is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if math.isnan(value):
            continue
        value = min(max(value, bound.lower), bound.upper)
        clean[name] = math.floor(value) if bound.whole else float(value)
    return clean
