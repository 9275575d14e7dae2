"""The advice levels a check-in gives the patient, and their order."""

from clinical.codes import Code


class AdviceLevel(Code):
    """Lowest first: the patient's advice is the highest level of all rules that fired."""

    CONTINUE = "continue", "Continue"
    REDUCE = "reduce", "Reduce"
    STOP_AND_CONTACT = "stop_and_contact", "Stop and contact"
    SEEK_URGENT_CARE = "seek_urgent_care", "Seek urgent care"


ADVICE_ORDER: tuple[AdviceLevel, ...] = tuple(AdviceLevel)


def advice_rank(level: str) -> int:
    """The position of an advice level in ADVICE_ORDER; ValueError for an unknown level."""
    try:
        return ADVICE_ORDER.index(AdviceLevel(level))
    except ValueError:
        raise ValueError(f"Unknown advice level {level!r}.") from None
