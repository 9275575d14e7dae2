"""What every code of the vocabulary is: a string stored and served as is, with a label.

A `Code` member is its code wherever a string is expected (`Severity.HIGH == "high"`), so the
rules compare plain strings with it; `label` is what a person reads in the console and in
the schema's enum descriptions.
"""

from collections.abc import Iterable
from enum import EnumType, StrEnum
from typing import Any, Self


def code_label(code: str) -> str:
    """The label a code has when none is given: `step_back` -> 'Step back'."""
    return code.replace("_", " ").capitalize()


class CodeType(EnumType):
    """Gives every vocabulary `choices`, `values` and `labels`, as Django's choices do."""

    @property
    def choices(cls) -> list[tuple[str, str]]:
        """Every member as Django/DRF choices, (code, label), in declaration order."""
        return choices(cls.__members__.values())

    @property
    def values(cls) -> list[str]:
        return [value for value, _ in cls.choices]

    @property
    def labels(cls) -> list[str]:
        return [label for _, label in cls.choices]


class Code(StrEnum, metaclass=CodeType):
    """A code with a readable label: `CRITICAL = "critical", "Critical"`, or a bare code whose
    label is `code_label(code)`."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or code_label(value)
        return member


def choices(codes: Iterable[Any]) -> list[tuple[str, str]]:
    """Django/DRF choices, (code, label), of some codes of one vocabulary, in the given order."""
    return [(code.value, code.label) for code in codes]
