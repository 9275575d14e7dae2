"""The clinical thresholds of CLINICAL.md as one typed value; a clinic may override any of them.

Pure module (no models): the rules modules of `assessments` and `programs` take a
`ClinicalThresholds` as an argument.
"""

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class ClinicalThresholds:
    # Pain (NPRS 0-10) and the pain-monitoring model.
    pain_mcid: int = 2
    pain_severe: int = 7
    pain_rising_moderate_delta: int = 1
    pain_rising_moderate_floor: int = 5
    pain_acceptable_max: int = 5
    pain_safe_max: int = 2
    baseline_window_days: int = 7
    baseline_min_checkins: int = 3
    weekly_increase_points: float = 1.0
    weekly_min_checkins: int = 3
    settle_min_hours: int = 4
    settle_max_hours: int = 36
    run_spike_factor: float = 1.3
    run_spike_window_days: int = 30
    run_spike_min_runs: int = 3
    # Acknowledgement deadlines, minutes.
    ack_critical_minutes: int = 15
    ack_high_minutes: int = 4 * 60
    ack_moderate_minutes: int = 48 * 60
    ack_low_minutes: int = 7 * 24 * 60
    # Engagement (evaluated daily).
    disengaged_days: int = 3
    disengaged_high_days: int = 14
    no_improvement_program_days: int = 21
    no_improvement_min_adherence: float = 0.70
    no_improvement_points: int = 2
    # Intake triage and contributing factors.
    prompt_review_rest_pain: int = 5
    load_spike_factor: float = 1.3
    low_cadence_spm: int = 160
    worn_shoes_km: int = 800
    # Return-to-run ladder.
    ladder_completions_to_progress: int = 2
    ladder_max_levels_per_week: int = 2
    ladder_max_run_days_per_week: int = 4
    ladder_no_consecutive_max_level: int = 4
    ladder_duration_increase_max: float = 0.10

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}

    def with_overrides(self, overrides: dict[str, Any]) -> "ClinicalThresholds":
        known = {k: v for k, v in overrides.items() if k in self.field_names()}
        return replace(self, **known)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS = ClinicalThresholds()


def validate_overrides(overrides: Any) -> dict[str, int | float]:
    """Return `overrides` checked against the known thresholds, or raise ValueError saying why."""
    if not isinstance(overrides, dict):
        raise ValueError("Thresholds must be an object of name to number.")
    types = {f.name: f.type for f in fields(ClinicalThresholds)}
    clean: dict[str, int | float] = {}
    for name, value in overrides.items():
        if name not in types:
            raise ValueError(f"Unknown threshold '{name}'.")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"Threshold '{name}' must be a number.")
        if types[name] in (int, "int") and not float(value).is_integer():
            raise ValueError(f"Threshold '{name}' must be a whole number.")
        if value < 0:
            raise ValueError(f"Threshold '{name}' must not be negative.")
        clean[name] = int(value) if types[name] in (int, "int") else float(value)
    return clean
