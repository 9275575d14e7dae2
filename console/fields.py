"""The console's forms validate through the API's serializers, so a therapist reads the same
error texts as an API client. These helpers turn a posted HTML form into the API's input (numbers
as numbers, yes/no as booleans, empty optional fields left out) and the serializer's errors into
one message per field, keyed by the form's field name."""

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict


def flat_errors(errors: Any, prefix: str = "") -> dict[str, str]:
    """`{"exercises": {0: {"sets": [..]}}}` -> `{"exercises.0.sets": "..."}`; the first
    message of each field (a form shows one message next to each field)."""
    out: dict[str, str] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flat_errors(value, name))
    elif isinstance(errors, list):
        if errors and all(isinstance(item, str) for item in errors):
            out[prefix or "non_field_errors"] = str(errors[0])
        else:
            for index, item in enumerate(errors):
                if item:
                    out.update(flat_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = str(errors)
    return out


def number(value: str, *, whole: bool) -> Any:
    """A typed number as the API's JSON number; text that is no number stays text, so the
    serializer refuses it in its own words."""
    text = value.strip().replace(",", ".")
    try:
        return int(text) if whole else float(text)
    except ValueError:
        if whole:
            try:
                as_float = float(text)
            except ValueError:
                return text
            return as_float
        return text


def form_data(
    post: QueryDict,
    *,
    text: tuple[str, ...] = (),
    whole: tuple[str, ...] = (),
    decimal: tuple[str, ...] = (),
    yes_no: tuple[str, ...] = (),
    lists: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The API's input from a posted form. Empty fields are left out (an optional field takes
    its default, a required one is "This field is required."); text fields keep blanks."""
    data: dict[str, Any] = {}
    for name in text:
        if name in post:
            data[name] = post.get(name, "").strip()
    for name in whole + decimal:
        value = post.get(name, "").strip()
        if value:
            data[name] = number(value, whole=name in whole)
    for name in yes_no:
        value = post.get(name, "")
        if value == "yes":
            data[name] = True
        elif value == "no":
            data[name] = False
        elif value == "unknown":
            data[name] = None
    for name in lists:
        values = [v for v in post.getlist(name) if v != "none"]
        if values or "none" in post.getlist(name):
            data[name] = values
    return data


@dataclass
class Field:
    """One field as a template draws it: label, control, current value(s) and its error."""

    name: str
    label: str
    kind: str = "text"  # text, email, tel, date, time, datetime, number, select, checks, yes_no
    value: Any = ""
    values: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    help: str = ""
    required: bool = False
    min: float | None = None
    max: float | None = None
    step: str = "1"
    unknown: bool = False  # yes_no: offers "Not assessed"
    none_choice: str = ""  # checks: an explicit "none of these" box


def bind(fields: list[Field], post: QueryDict | None, errors: dict[str, str]) -> list[Field]:
    """Fill the fields with what was posted and their errors (nothing posted: the defaults)."""
    for f in fields:
        if post is not None:
            if f.kind == "checks":
                f.values = post.getlist(f.name)
            else:
                f.value = post.get(f.name, "")
        f.error = errors.get(f.name, "")
    return fields
