"""Intake triage, patterns to consider and contributing factors, as pure functions.

Plain data in (`IntakeFacts`, `ClinicalThresholds`), frozen dataclasses out; no models, no
database, no clock. Every result carries the reason a therapist can read next to it.
Stride is decision support: patterns are suggestions to consider, never a diagnosis.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from clinical.intake import (
    TRIAGE_RANK,
    Aggravator,
    FactorCode,
    Finding,
    Location,
    RecentChange,
    Timing,
    TriageLevel,
    TriageReasonCode,
)
from clinical.patterns import KneePattern as PatternCode
from clinical.programs import ProgramFocus
from clinical.symptoms import EMERGENCY_SYMPTOMS, MECHANICAL_SYMPTOMS, SYMPTOM_MEANING, Symptom
from clinical.thresholds import ClinicalThresholds


@dataclass(frozen=True)
class IntakeFacts:
    """What the intake recorded, as codes and numbers. Absent measurements are None."""

    location: str
    timing: str
    pain_rest: int
    pain_worst_running: int
    aggravators: frozenset[str] = frozenset()
    symptoms: frozenset[str] = frozenset()
    trauma_unable_to_bear_weight: bool = False
    weekly_km_now: float | None = None
    weekly_km_4_weeks_ago: float | None = None
    recent_changes: frozenset[str] = frozenset()
    years_running: float | None = None
    cadence_spm: int | None = None
    overstriding: bool | None = None
    shoe_km: float | None = None
    asymmetry: bool | None = None
    findings: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TriageReason:
    code: str
    level: str
    detail: str


@dataclass(frozen=True)
class Triage:
    level: str
    reasons: tuple[TriageReason, ...]


@dataclass(frozen=True)
class PatternSuggestion:
    code: str
    rationale: str


@dataclass(frozen=True)
class ContributingFactor:
    code: str
    focus: str
    rationale: str


@dataclass(frozen=True)
class IntakeEvaluation:
    triage: Triage
    patterns: tuple[PatternSuggestion, ...]
    factors: tuple[ContributingFactor, ...]

    def as_json(self) -> dict[str, Any]:
        """The stored and returned shape: `triage`, `patterns`, `factors`."""
        return {
            "triage": {
                "level": self.triage.level,
                "reasons": [asdict(r) for r in self.triage.reasons],
            },
            "patterns": [asdict(p) for p in self.patterns],
            "factors": [asdict(f) for f in self.factors],
        }


def evaluate_intake(facts: IntakeFacts, thresholds: ClinicalThresholds) -> IntakeEvaluation:
    return IntakeEvaluation(
        triage=triage(facts, thresholds),
        patterns=patterns(facts),
        factors=factors(facts, thresholds),
    )


# --- Triage --------------------------------------------------------------------------------


def _in_order(codes: Iterable[str], enum: Iterable[str]) -> list[str]:
    """`codes` in the canonical order of their vocabulary, so outputs are stable."""
    wanted = set(codes)
    return [code for code in enum if code in wanted]


def _words(code: str) -> str:
    return code.replace("_", " ")


def triage(facts: IntakeFacts, thresholds: ClinicalThresholds) -> Triage:
    """The triage table; reasons list every trigger found, highest level first.

    `at_night` timing gives `prompt_review` whatever the rest pain; `at_rest` timing only
    with `pain_rest` at or above the clinic's `prompt_review_rest_pain` (5 by default).
    """
    reasons: list[TriageReason] = []
    urgent, prompt = TriageLevel.URGENT_REFERRAL, TriageLevel.PROMPT_REVIEW

    for symptom in _in_order(facts.symptoms, Symptom):
        if symptom in EMERGENCY_SYMPTOMS:
            meaning = SYMPTOM_MEANING[Symptom(symptom)]
            reasons.append(
                TriageReason(
                    TriageReasonCode.EMERGENCY_SYMPTOM,
                    urgent,
                    f"emergency symptom {symptom} ({meaning})",
                )
            )
    if facts.trauma_unable_to_bear_weight:
        reasons.append(
            TriageReason(
                TriageReasonCode.TRAUMA_UNABLE_TO_BEAR_WEIGHT,
                urgent,
                "trauma and unable to bear weight (suspected fracture or tendon rupture)",
            )
        )

    for symptom in _in_order(facts.symptoms, Symptom):
        if symptom in MECHANICAL_SYMPTOMS:
            meaning = SYMPTOM_MEANING[Symptom(symptom)]
            reasons.append(
                TriageReason(
                    TriageReasonCode.MECHANICAL_SYMPTOM,
                    prompt,
                    f"mechanical symptom {symptom} ({meaning})",
                )
            )
    rest_floor = thresholds.prompt_review_rest_pain
    if facts.timing == Timing.AT_NIGHT:
        # Night pain is a reason to take symptoms seriously at any intensity, like the
        # `night_pain` symptom: no rest-pain floor.
        reasons.append(
            TriageReason(
                TriageReasonCode.REST_OR_NIGHT_PAIN,
                prompt,
                f"pain at night: review whatever the rest pain (rest pain {facts.pain_rest}/10)",
            )
        )
    elif facts.timing == Timing.AT_REST and facts.pain_rest >= rest_floor:
        reasons.append(
            TriageReason(
                TriageReasonCode.REST_OR_NIGHT_PAIN,
                prompt,
                f"pain at rest: rest pain {facts.pain_rest}/10 (review at {rest_floor} or more)",
            )
        )
    if facts.timing == Timing.DURING_RUN_WORSENING:
        reasons.append(
            TriageReason(
                TriageReasonCode.PAIN_WORSENING_DURING_RUN,
                prompt,
                "pain appears during runs and keeps getting worse",
            )
        )

    if not reasons:
        return Triage(
            level=TriageLevel.ROUTINE,
            reasons=(
                TriageReason(
                    TriageReasonCode.NO_REFERRAL_CRITERIA,
                    TriageLevel.ROUTINE,
                    "no red flag or mechanical symptom, no night pain, no rest pain of "
                    f"{rest_floor}/10 or more, no pain building during runs",
                ),
            ),
        )
    level = max((r.level for r in reasons), key=lambda lvl: TRIAGE_RANK[TriageLevel(lvl)])
    return Triage(level=level, reasons=tuple(reasons))


# --- Patterns to consider ------------------------------------------------------------------

_PATTERN_BY_LOCATION: dict[str, tuple[str, str]] = {
    Location.ANTERIOR: (PatternCode.PATELLOFEMORAL_PAIN, "patellofemoral pain"),
    Location.LATERAL: (PatternCode.ILIOTIBIAL_BAND_SYNDROME, "iliotibial band syndrome"),
    Location.INFERIOR: (PatternCode.PATELLAR_TENDINOPATHY, "patellar tendinopathy"),
    Location.MEDIAL: (
        PatternCode.MEDIAL_KNEE,
        "medial knee pain (pes anserine, ligament, meniscus)",
    ),
    Location.POSTERIOR: (PatternCode.POSTERIOR_KNEE, "posterior knee pain"),
    Location.DIFFUSE: (PatternCode.JOINT_IRRITATION, "joint irritation (review)"),
}

# The aggravators named as fitting each pattern.
FITTING_AGGRAVATORS: dict[str, tuple[str, ...]] = {
    PatternCode.PATELLOFEMORAL_PAIN: (
        Aggravator.DOWNHILL,
        Aggravator.STAIRS,
        Aggravator.PROLONGED_SITTING,
    ),
    PatternCode.ILIOTIBIAL_BAND_SYNDROME: (Aggravator.DOWNHILL, Aggravator.DISTANCE),
    PatternCode.PATELLAR_TENDINOPATHY: (
        Aggravator.HILLS,
        Aggravator.SPEED_WORK,
        Aggravator.JUMPING,
    ),
}


def _aggravator_note(pattern: str, reported: frozenset[str]) -> str:
    typical = FITTING_AGGRAVATORS.get(pattern)
    if not typical:
        return ""
    fitting = [a for a in typical if a in reported]
    if fitting:
        return "; fitting aggravators: " + ", ".join(_words(a) for a in fitting)
    return "; none of its typical aggravators (" + ", ".join(_words(a) for a in typical) + ")"


def patterns(facts: IntakeFacts) -> tuple[PatternSuggestion, ...]:
    """The patterns table: one by location, plus joint irritation on swelling."""
    found: list[PatternSuggestion] = []
    by_location = _PATTERN_BY_LOCATION.get(facts.location)
    swelling = Symptom.SWELLING in facts.symptoms
    if by_location is not None:
        code, name = by_location
        rationale = f"{_words(facts.location)} location suggests {name}"
        if code == PatternCode.JOINT_IRRITATION and swelling:
            rationale += ", and swelling is reported"
        found.append(PatternSuggestion(code, rationale + _aggravator_note(code, facts.aggravators)))
    if swelling and not any(p.code == PatternCode.JOINT_IRRITATION for p in found):
        found.append(
            PatternSuggestion(
                PatternCode.JOINT_IRRITATION, "swelling is reported: joint irritation (review)"
            )
        )
    return tuple(found)


# --- Contributing factors ------------------------------------------------------------------


def _exact(value: float) -> Fraction:
    """A decimal input as an exact fraction, so 13 vs 1.3 x 10 is "equal", not float noise."""
    return Fraction(repr(float(value)))


def _num(value: float) -> str:
    return f"{value:g}"


def factors(facts: IntakeFacts, thresholds: ClinicalThresholds) -> tuple[ContributingFactor, ...]:
    """The contributing factors, each with its program focus; None never fires."""
    found: list[ContributingFactor] = []

    def add(code: FactorCode, focus: ProgramFocus, rationale: str) -> None:
        found.append(ContributingFactor(code, focus, rationale))

    now, before = facts.weekly_km_now, facts.weekly_km_4_weeks_ago
    factor = thresholds.load_spike_factor
    if now is not None and before is not None and _exact(now) > _exact(factor) * _exact(before):
        ratio = f"x{now / before:.2f}" if before > 0 else "from none"
        add(
            FactorCode.LOAD_SPIKE,
            ProgramFocus.LOAD_MANAGEMENT,
            f"weekly {_num(now)} km vs {_num(before)} km 4 weeks ago ({ratio}, "
            f"more than x{_num(factor)})",
        )

    intensity = _in_order(
        facts.recent_changes & {RecentChange.HILLS, RecentChange.SPEED_WORK}, RecentChange
    )
    if intensity:
        add(
            FactorCode.NEW_INTENSITY,
            ProgramFocus.LOAD_MANAGEMENT,
            "recently added " + " and ".join(_words(c) for c in intensity),
        )

    low = thresholds.low_cadence_spm
    if facts.cadence_spm is not None and facts.cadence_spm < low:
        target_low = round(facts.cadence_spm * 1.05)
        target_high = round(facts.cadence_spm * 1.10)
        add(
            FactorCode.LOW_CADENCE,
            ProgramFocus.GAIT_CADENCE,
            f"cadence {facts.cadence_spm} spm, below {low}; aim for +5-10 % "
            f"({target_low}-{target_high} spm)",
        )

    if facts.overstriding:
        add(FactorCode.OVERSTRIDING, ProgramFocus.GAIT_CADENCE, "overstriding observed")

    worn = thresholds.worn_shoes_km
    if facts.shoe_km is not None and _exact(facts.shoe_km) > _exact(worn):
        add(
            FactorCode.WORN_SHOES,
            ProgramFocus.FOOTWEAR_REVIEW,
            f"shoes at {_num(facts.shoe_km)} km, over {_num(worn)} km",
        )

    single: list[tuple[Finding, FactorCode, ProgramFocus]] = [
        (Finding.HIP_ABDUCTOR_WEAKNESS, FactorCode.HIP_WEAKNESS, ProgramFocus.HIP_STRENGTH),
        (
            Finding.QUADRICEPS_WEAKNESS,
            FactorCode.QUADRICEPS_WEAKNESS,
            ProgramFocus.QUADRICEPS_STRENGTH,
        ),
        (Finding.CALF_WEAKNESS, FactorCode.CALF_WEAKNESS, ProgramFocus.CALF_STRENGTH),
    ]
    for finding, code, focus in single:
        if finding in facts.findings:
            add(code, focus, f"finding: {_words(finding)}")

    stiff = _in_order(
        facts.findings & {Finding.LIMITED_ANKLE_DORSIFLEXION, Finding.LIMITED_HIP_MOBILITY}, Finding
    )
    if stiff:
        add(
            FactorCode.STIFF_ANKLE_OR_HIP,
            ProgramFocus.MOBILITY,
            "finding: " + " and ".join(_words(f) for f in stiff),
        )

    if Finding.POOR_SINGLE_LEG_CONTROL in facts.findings:
        add(
            FactorCode.POOR_SINGLE_LEG_CONTROL,
            ProgramFocus.BALANCE_CONTROL,
            "finding: poor single leg control",
        )
    return tuple(found)
