"""The intake's vocabulary: the answers it records, the triage it concludes, the contributing
factors it finds (docs/clinical-rules.md, "Intake")."""

from clinical.codes import Code


class Location(Code):
    ANTERIOR = "anterior"
    LATERAL = "lateral"
    MEDIAL = "medial"
    POSTERIOR = "posterior"
    INFERIOR = "inferior"
    DIFFUSE = "diffuse"


class Timing(Code):
    AFTER_RUN_ONLY = "after_run_only"
    DURING_RUN_STABLE = "during_run_stable"
    DURING_RUN_WORSENING = "during_run_worsening"
    AT_REST = "at_rest"
    AT_NIGHT = "at_night"


class Aggravator(Code):
    DOWNHILL = "downhill"
    STAIRS = "stairs"
    PROLONGED_SITTING = "prolonged_sitting"
    SQUATTING = "squatting"
    HILLS = "hills"
    SPEED_WORK = "speed_work"
    DISTANCE = "distance"
    JUMPING = "jumping"


class RecentChange(Code):
    HILLS = "hills"
    SPEED_WORK = "speed_work"
    LONGER_RUNS = "longer_runs"
    NEW_SURFACE = "new_surface"


class Finding(Code):
    HIP_ABDUCTOR_WEAKNESS = "hip_abductor_weakness"
    QUADRICEPS_WEAKNESS = "quadriceps_weakness"
    CALF_WEAKNESS = "calf_weakness"
    LIMITED_ANKLE_DORSIFLEXION = "limited_ankle_dorsiflexion"
    LIMITED_HIP_MOBILITY = "limited_hip_mobility"
    POOR_SINGLE_LEG_CONTROL = "poor_single_leg_control"


class TriageLevel(Code):
    ROUTINE = "routine"
    PROMPT_REVIEW = "prompt_review"
    URGENT_REFERRAL = "urgent_referral"


TRIAGE_RANK: dict[TriageLevel, int] = {
    TriageLevel.ROUTINE: 0,
    TriageLevel.PROMPT_REVIEW: 1,
    TriageLevel.URGENT_REFERRAL: 2,
}


class TriageReasonCode(Code):
    """Why a triage level was reached: one code per trigger of the triage table."""

    EMERGENCY_SYMPTOM = "emergency_symptom"
    TRAUMA_UNABLE_TO_BEAR_WEIGHT = "trauma_unable_to_bear_weight"
    MECHANICAL_SYMPTOM = "mechanical_symptom"
    REST_OR_NIGHT_PAIN = "rest_or_night_pain"
    PAIN_WORSENING_DURING_RUN = "pain_worsening_during_run"
    NO_REFERRAL_CRITERIA = "no_referral_criteria"


class FactorCode(Code):
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
