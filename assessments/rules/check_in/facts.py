"""The plain data the check-in rules read and return: symptoms, advice levels, facts, findings.

No Django here: the check-in service builds `CheckInFacts` from its rows and stores what
the rules return.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clinical.advice import ADVICE_ORDER as ADVICE_ORDER
from clinical.advice import advice_rank as advice_rank
from clinical.escalations import CHECK_IN_RULES
from clinical.severity import SEVERITY_ORDER as SEVERITY_ORDER
from clinical.severity import severity_rank as severity_rank
from clinical.symptoms import SYMPTOM_GROUP

# The symptom list (docs/clinical-rules.md): code -> group (one list, in clinical.symptoms).
SYMPTOM_GROUPS: dict[str, str] = {str(code): str(group) for code, group in SYMPTOM_GROUP.items()}

# Advice levels and severities are ranked lowest first (clinical.advice, clinical.severity);
# a finding with severity None gives advice only and opens no escalation.

# The per-check-in rules, in the order of the check-in rules table; findings keep this order.
RULE_CODES: tuple[str, ...] = tuple(map(str, CHECK_IN_RULES))


@dataclass(frozen=True)
class SymptomRule:
    """The check-in rule a symptom group fires, with its escalation severity and advice."""

    code: str
    severity: str
    advice: str


# What any one symptom of a group makes Stride do (the symptom rows of the check-in rules).
# The rules fire from this table and the partner app is given its advice levels to advise
# offline, so the two cannot drift apart.
SYMPTOM_GROUP_RULES: dict[str, SymptomRule] = {
    "emergency": SymptomRule("red_flag_emergency", "critical", "seek_urgent_care"),
    "mechanical": SymptomRule("red_flag_mechanical", "high", "stop_and_contact"),
    "load": SymptomRule("stride_change", "moderate", "reduce"),
}


def symptom_advice_level(symptom: str) -> str:
    """The advice a check-in reporting `symptom` gets at least, whatever its pain."""
    return SYMPTOM_GROUP_RULES[SYMPTOM_GROUPS[symptom]].advice


PAIN_MIN = 0
PAIN_MAX = 10


def check_pain(name: str, value: int | None, *, required: bool = False) -> None:
    """Raise ValueError unless `value` is a 0-10 NPRS integer (or None when not required)."""
    if value is None:
        if required:
            raise ValueError(f"{name} is required.")
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number (NPRS), not {value!r}.")
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise ValueError(f"{name} must be between {PAIN_MIN} and {PAIN_MAX}, not {value}.")


@dataclass(frozen=True)
class CheckInFacts:
    """One check-in as the rules see it (docs/clinical-rules.md, "What a check-in carries").

    Construction refuses values the rules cannot judge (a naive `recorded_at`, pain outside
    0-10, a negative or non-finite run, an unknown symptom): a check-in silently judged on
    bad data could miss an escalation, so the caller hears of it instead.
    """

    recorded_at: datetime
    pain_rest: int
    pain_morning: int | None = None
    ran: bool = False
    run_minutes: int | None = None
    run_km: float | None = None
    pain_during_run: int | None = None
    pain_after_run: int | None = None
    pain_worsened_during_run: bool = False
    symptoms: frozenset[str] = field(default_factory=frozenset)
    check_in_id: int | None = None

    def __post_init__(self) -> None:
        if self.recorded_at.tzinfo is None or self.recorded_at.utcoffset() is None:
            raise ValueError("recorded_at must be an aware datetime.")
        check_pain("pain_rest", self.pain_rest, required=True)
        check_pain("pain_morning", self.pain_morning)
        check_pain("pain_during_run", self.pain_during_run)
        check_pain("pain_after_run", self.pain_after_run)
        if self.run_minutes is not None and (
            isinstance(self.run_minutes, bool)
            or not isinstance(self.run_minutes, int)
            or self.run_minutes < 0
        ):
            raise ValueError(f"run_minutes must be a number of minutes, not {self.run_minutes!r}.")
        if self.run_km is not None and (
            isinstance(self.run_km, bool) or not math.isfinite(self.run_km) or self.run_km < 0
        ):
            raise ValueError(f"run_km must be a distance, not {self.run_km!r}.")
        if self.run_km is not None:
            # A Decimal from the database would not serialise into evidence values.
            object.__setattr__(self, "run_km", float(self.run_km))
        # Accept any iterable of codes (a list from JSON), keep a frozenset.
        symptoms = frozenset(self.symptoms)
        unknown = sorted(symptoms - SYMPTOM_GROUPS.keys())
        if unknown:
            raise ValueError(f"Unknown symptom(s): {', '.join(unknown)}.")
        object.__setattr__(self, "symptoms", symptoms)

    @property
    def peak_pain(self) -> int:
        """The largest of the check-in's pain fields that are present."""
        present = [
            p
            for p in (self.pain_rest, self.pain_morning, self.pain_during_run, self.pain_after_run)
            if p is not None
        ]
        return max(present)

    def symptoms_in(self, group: str) -> list[str]:
        """The check-in's symptoms of one group, sorted."""
        return sorted(s for s in self.symptoms if SYMPTOM_GROUPS[s] == group)


@dataclass(frozen=True)
class RuleFinding:
    """One rule that fired, with the evidence a therapist needs to judge it.

    `severity` None means advice only, no escalation. `values` holds the numbers compared
    and the thresholds used, JSON-serialisable; `check_in_ids` names the other check-ins
    the finding rests on (never the judged check-in itself).
    """

    code: str
    severity: str | None
    advice: str
    rationale: str
    values: dict[str, Any]
    check_in_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.code not in RULE_CODES:
            raise ValueError(f"Unknown rule code {self.code!r}.")
        severity_rank(self.severity)
        advice_rank(self.advice)


@dataclass(frozen=True)
class Judgement:
    """What the rules concluded about one check-in."""

    peak_pain: int
    baseline: float | None
    baseline_source: str | None  # "check_ins" | "intake" | None
    findings: tuple[RuleFinding, ...]  # at most one per code, in RULE_CODES order
    advice_level: str  # the highest advice of all findings; "continue" when none fired
    pain_not_settled: bool  # the ladder steps back on it
    settled_run_id: int | None  # the run whose pain settled by this check-in (m <= r)
    not_settled_run_id: int | None = None  # the run whose pain had not settled (m > r)

    @property
    def codes(self) -> list[str]:
        """The codes of the rules that fired, in RULE_CODES order."""
        return [f.code for f in self.findings]

    @property
    def escalations(self) -> tuple[RuleFinding, ...]:
        """The findings that open or add to an escalation (those with a severity)."""
        return tuple(f for f in self.findings if f.severity is not None)
