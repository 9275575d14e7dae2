"""The plain-language advice a patient reads after a check-in (docs/clinical-rules.md, "Advice").

The same texts are published to the partner app (`GET /api/v1/app/symptoms/`) so that it can
give the red-flag advice while offline: `advice_message` is the one place they are built.
"""

from dataclasses import dataclass

from assessments.rules.check_in.facts import ADVICE_ORDER, SYMPTOM_GROUPS, symptom_advice_level

NOT_A_DIAGNOSIS = "This is guidance, not a diagnosis."

ADVICE_TEXTS: dict[str, str] = {
    "seek_urgent_care": (
        "Stop running and seek urgent medical care today. If your symptoms are severe or "
        "getting worse quickly (chest pain or breathlessness with a swollen calf, a hot swollen "
        "knee with fever, a leg that is numb or cold), call your local emergency number now. "
        "Your clinic has been told, but that is no substitute for emergency care, above all "
        "out of hours."
    ),
    "stop_and_contact": (
        "Stop running until your therapist has reviewed this. Your therapist has been told."
    ),
    "reduce": (
        "Ease off: make your runs shorter, flatter and easier, and keep doing your exercises."
    ),
    "continue": "Keep to your plan.",
}


def advice_message(*, level: str, contact_line: str) -> str:
    """The message for an advice level, saying it is not a diagnosis, ending with the contact line.

    Every level carries the not-a-diagnosis sentence, "continue" included: it advises too.
    A blank contact line is left out rather than refused, so that a check-in is never lost
    for want of one (the clinic model requires it).
    """
    if level not in ADVICE_ORDER:
        raise ValueError(f"Unknown advice level {level!r}.")
    parts = [ADVICE_TEXTS[level], NOT_A_DIAGNOSIS, contact_line.strip()]
    return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class SymptomAdvice:
    symptom: str
    group: str
    advice_level: str


@dataclass(frozen=True)
class AdviceText:
    level: str
    message: str


@dataclass(frozen=True)
class OfflineAdvice:
    """What the partner app caches to advise on symptoms without a connection."""

    symptoms: tuple[SymptomAdvice, ...]  # every symptom, in the order of the symptom list
    advice: tuple[AdviceText, ...]  # every advice level, lowest first (ADVICE_ORDER)


def offline_advice(*, contact_line: str) -> OfflineAdvice:
    """Every symptom with its group and the advice it gives, and the clinic's advice texts.

    The texts are `advice_message`'s, so what the app shows offline is word for word what a
    check-in's response would say at that level. The app advises the highest level of the
    symptoms reported; the server's judgement of the check-in, once it arrives, is the record.
    """
    return OfflineAdvice(
        symptoms=tuple(
            SymptomAdvice(symptom, group, symptom_advice_level(symptom))
            for symptom, group in SYMPTOM_GROUPS.items()
        ),
        advice=tuple(
            AdviceText(level, advice_message(level=level, contact_line=contact_line))
            for level in ADVICE_ORDER
        ),
    )
