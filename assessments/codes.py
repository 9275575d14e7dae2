"""The clinical vocabularies as codes: intake fields, symptoms, results.

Pure module (no Django): the rules, the scoring, the models and the serializers all take
their codes from here, and the check-in rules engine can use the symptom groups too.
"""

from enum import StrEnum


class Location(StrEnum):
    ANTERIOR = "anterior"
    LATERAL = "lateral"
    MEDIAL = "medial"
    POSTERIOR = "posterior"
    INFERIOR = "inferior"
    DIFFUSE = "diffuse"


class Timing(StrEnum):
    AFTER_RUN_ONLY = "after_run_only"
    DURING_RUN_STABLE = "during_run_stable"
    DURING_RUN_WORSENING = "during_run_worsening"
    AT_REST = "at_rest"
    AT_NIGHT = "at_night"


class Aggravator(StrEnum):
    DOWNHILL = "downhill"
    STAIRS = "stairs"
    PROLONGED_SITTING = "prolonged_sitting"
    SQUATTING = "squatting"
    HILLS = "hills"
    SPEED_WORK = "speed_work"
    DISTANCE = "distance"
    JUMPING = "jumping"


class RecentChange(StrEnum):
    HILLS = "hills"
    SPEED_WORK = "speed_work"
    LONGER_RUNS = "longer_runs"
    NEW_SURFACE = "new_surface"


class Finding(StrEnum):
    HIP_ABDUCTOR_WEAKNESS = "hip_abductor_weakness"
    QUADRICEPS_WEAKNESS = "quadriceps_weakness"
    CALF_WEAKNESS = "calf_weakness"
    LIMITED_ANKLE_DORSIFLEXION = "limited_ankle_dorsiflexion"
    LIMITED_HIP_MOBILITY = "limited_hip_mobility"
    POOR_SINGLE_LEG_CONTROL = "poor_single_leg_control"


class SymptomGroup(StrEnum):
    EMERGENCY = "emergency"
    MECHANICAL = "mechanical"
    LOAD = "load"


class Symptom(StrEnum):
    CANNOT_BEAR_WEIGHT = "cannot_bear_weight"
    HOT_SWOLLEN_KNEE_FEVER = "hot_swollen_knee_fever"
    CALF_PAIN_SWELLING = "calf_pain_swelling"
    NUMBNESS_TINGLING = "numbness_tingling"
    LOCKING = "locking"
    GIVING_WAY = "giving_way"
    SWELLING = "swelling"
    CATCHING = "catching"
    NIGHT_PAIN = "night_pain"
    SHARP_PAIN = "sharp_pain"
    LIMPING = "limping"


SYMPTOM_GROUP: dict[Symptom, SymptomGroup] = {
    Symptom.CANNOT_BEAR_WEIGHT: SymptomGroup.EMERGENCY,
    Symptom.HOT_SWOLLEN_KNEE_FEVER: SymptomGroup.EMERGENCY,
    Symptom.CALF_PAIN_SWELLING: SymptomGroup.EMERGENCY,
    Symptom.NUMBNESS_TINGLING: SymptomGroup.EMERGENCY,
    Symptom.LOCKING: SymptomGroup.MECHANICAL,
    Symptom.GIVING_WAY: SymptomGroup.MECHANICAL,
    Symptom.SWELLING: SymptomGroup.MECHANICAL,
    Symptom.CATCHING: SymptomGroup.MECHANICAL,
    Symptom.NIGHT_PAIN: SymptomGroup.MECHANICAL,
    Symptom.SHARP_PAIN: SymptomGroup.MECHANICAL,
    Symptom.LIMPING: SymptomGroup.LOAD,
}

# What a therapist reads next to the code (docs/clinical-rules.md, "Symptoms").
SYMPTOM_MEANING: dict[Symptom, str] = {
    Symptom.CANNOT_BEAR_WEIGHT: "suspected fracture or tendon rupture",
    Symptom.HOT_SWOLLEN_KNEE_FEVER: "possible septic joint",
    Symptom.CALF_PAIN_SWELLING: "possible deep-vein thrombosis",
    Symptom.NUMBNESS_TINGLING: "possible neurovascular compromise",
    Symptom.LOCKING: "locked knee",
    Symptom.GIVING_WAY: "instability",
    Symptom.SWELLING: "swelling after activity",
    Symptom.CATCHING: "catching or painful clicking",
    Symptom.NIGHT_PAIN: "night pain",
    Symptom.SHARP_PAIN: "sharp pain",
    Symptom.LIMPING: "stride change",
}


def symptoms_in_group(group: SymptomGroup) -> frozenset[Symptom]:
    return frozenset(s for s, g in SYMPTOM_GROUP.items() if g == group)


EMERGENCY_SYMPTOMS = symptoms_in_group(SymptomGroup.EMERGENCY)
MECHANICAL_SYMPTOMS = symptoms_in_group(SymptomGroup.MECHANICAL)
LOAD_SYMPTOMS = symptoms_in_group(SymptomGroup.LOAD)


class TriageLevel(StrEnum):
    ROUTINE = "routine"
    PROMPT_REVIEW = "prompt_review"
    URGENT_REFERRAL = "urgent_referral"


TRIAGE_RANK = {TriageLevel.ROUTINE: 0, TriageLevel.PROMPT_REVIEW: 1, TriageLevel.URGENT_REFERRAL: 2}


class TriageReasonCode(StrEnum):
    """Why a triage level was reached: one code per trigger of the triage table."""

    EMERGENCY_SYMPTOM = "emergency_symptom"
    TRAUMA_UNABLE_TO_BEAR_WEIGHT = "trauma_unable_to_bear_weight"
    MECHANICAL_SYMPTOM = "mechanical_symptom"
    REST_OR_NIGHT_PAIN = "rest_or_night_pain"
    PAIN_WORSENING_DURING_RUN = "pain_worsening_during_run"
    NO_REFERRAL_CRITERIA = "no_referral_criteria"


class PatternCode(StrEnum):
    PATELLOFEMORAL_PAIN = "patellofemoral_pain"
    ILIOTIBIAL_BAND_SYNDROME = "iliotibial_band_syndrome"
    PATELLAR_TENDINOPATHY = "patellar_tendinopathy"
    MEDIAL_KNEE = "medial_knee"
    POSTERIOR_KNEE = "posterior_knee"
    JOINT_IRRITATION = "joint_irritation"


class FactorCode(StrEnum):
    LOAD_SPIKE = "load_spike"
    NEW_INTENSITY = "new_intensity"
    LOW_CADENCE = "low_cadence"
    OVERSTRIDING = "overstriding"
    WORN_SHOES = "worn_shoes"
    HIP_WEAKNESS = "hip_weakness"
    QUADRICEPS_WEAKNESS = "quadriceps_weakness"
    CALF_WEAKNESS = "calf_weakness"
    STIFF_ANKLE_OR_HIP = "stiff_ankle_or_hip"
    POOR_SINGLE_LEG_CONTROL = "poor_single_leg_control"


class ProgramFocus(StrEnum):
    LOAD_MANAGEMENT = "load_management"
    GAIT_CADENCE = "gait_cadence"
    FOOTWEAR_REVIEW = "footwear_review"
    HIP_STRENGTH = "hip_strength"
    QUADRICEPS_STRENGTH = "quadriceps_strength"
    CALF_STRENGTH = "calf_strength"
    MOBILITY = "mobility"
    BALANCE_CONTROL = "balance_control"


class Instrument(StrEnum):
    NPRS = "nprs"
    LEFS = "lefs"
    KOOS = "koos"
    KOOS_PF = "koos_pf"


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """Django/DRF choices from a code enum: the code is both the value and the label."""
    return [(member.value, member.value) for member in enum]
