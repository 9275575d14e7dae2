"""The symptom list (docs/clinical-rules.md, "Symptoms"): each symptom's code, its label,
its group, and what a therapist reads next to it."""

from clinical.codes import Code


class SymptomGroup(Code):
    EMERGENCY = "emergency", "Emergency"
    MECHANICAL = "mechanical", "Mechanical"
    LOAD = "load", "Load"


class Symptom(Code):
    """In the order of the list; the label is the symptom as a patient or therapist says it."""

    CANNOT_BEAR_WEIGHT = "cannot_bear_weight", "Cannot bear weight"
    HOT_SWOLLEN_KNEE_FEVER = "hot_swollen_knee_fever", "Hot, swollen knee with fever"
    CALF_PAIN_SWELLING = "calf_pain_swelling", "Calf pain and swelling"
    NUMBNESS_TINGLING = "numbness_tingling", "Numbness or tingling"
    LOCKING = "locking", "Locking"
    GIVING_WAY = "giving_way", "Giving way"
    SWELLING = "swelling", "Swelling"
    CATCHING = "catching", "Catching"
    NIGHT_PAIN = "night_pain", "Night pain"
    SHARP_PAIN = "sharp_pain", "Sharp pain"
    LIMPING = "limping", "Limping"


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

# What a therapist reads next to the symptom: what it may mean (docs/clinical-rules.md).
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


def symptom_label(code: str) -> str:
    """The label of a symptom code; an unknown code (one stored before the list changed)
    reads as its words."""
    try:
        return Symptom(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()
