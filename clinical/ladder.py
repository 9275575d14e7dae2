"""The return-to-run ladder's vocabulary: what a decision does, and why a ladder is paused."""

from clinical.codes import Code


class LadderAction(Code):
    """What a ladder decision did to the patient's running."""

    PROGRESS = "progress", "Progress"
    HOLD = "hold", "Hold"
    STEP_BACK = "step_back", "Step back"
    PAUSE = "pause", "Pause"


class PauseReason(Code):
    """Why a patient's ladder is paused. A red flag pauses with its rule's code."""

    RED_FLAG_EMERGENCY = "red_flag_emergency", "Red-flag symptom (emergency)"
    RED_FLAG_MECHANICAL = "red_flag_mechanical", "Red-flag symptom (mechanical)"
    UNKNOWN_SYMPTOM = "unknown_symptom", "Unrecognised symptom"
    ESCALATION = "escalation", "Critical or high escalation"
    THERAPIST = "therapist", "Paused by the therapist"
