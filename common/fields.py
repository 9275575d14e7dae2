"""Serializer fields shared by the apps, and the one way input is read strictly.

JSON types are strict: the schema says what type each field takes, and a partner's client that
sends another type has a bug it should hear about. Every input field of every serializer is one
of the `Strict...` fields below (a model serializer gets them from
common.serializers.StrictModelSerializer), and a value of the wrong JSON type is refused with one
code per type the field expects, whatever the serializer:

| the field takes | code | e.g. |
|---|---|---|
| a string (text, email, URL, choice, date, time) | `not_a_string` | `0`, `true` |
| true or false | `not_a_boolean` | `"yes"`, `1` |
| a whole number, or an id | `not_an_integer` | `"7"`, `6.5`, `true` (`7.0` is read as 7) |
| a number | `not_a_number` | `"7.5"`, `true` |
| an object | `not_an_object` | `"x"`, `[]` |
| a list | `not_a_list` | `"x"`, `{}` |

null, where a field does not take it, stays DRF's `null`. A serializer that reads a query string
(`Serializer(data=request.query_params)`) is not held to JSON types: every value there is a
string, and the fields read them as DRF does.
"""

import math
import zoneinfo
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, TypeVar

from django.db.models import Model
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import relations, serializers
from rest_framework.fields import empty

TYPE_MESSAGES = {
    "not_a_string": "A string is required, not {data_type}.",
    "not_a_boolean": "Must be true or false, not {data_type}.",
    "not_an_integer": "A whole number is required, not {data_type}.",
    "not_a_number": "A number is required, not {data_type}.",
    "not_an_object": "An object is required, not {data_type}.",
    "not_a_list": "A list is required, not {data_type}.",
}
TYPE_CODES = tuple(TYPE_MESSAGES)
_M = TypeVar("_M", bound=Model)


def json_type(data: Any) -> str:
    """What a person would call this JSON value: `a string`, `a list`, ... (a number is shown)."""
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, int | float):
        return str(data)
    if isinstance(data, str):
        return "a string"
    if isinstance(data, Mapping):
        return "an object"
    if isinstance(data, list | tuple):
        return "a list"
    if data is None:
        return "null"
    return type(data).__name__


def from_query_string(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    """Whether the field reads a query string, where every value is a string."""
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


def _is_integer(data: Any) -> bool:
    return (
        isinstance(data, int | float)
        and not isinstance(data, bool)
        and math.isfinite(data)
        and float(data).is_integer()
    )


class StrictInput(serializers.Field):
    """The type check of every strict field: `accepts` says which JSON values the field reads,
    anything else fails with `type_code`. Codes DRF's own field has but can no longer give (its
    coercion errors) are in `unreachable_codes`, so the schema does not list them."""

    type_code: str = "not_a_string"
    unreachable_codes: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._type_message(kwargs.get("error_messages") or {})

    def __deepcopy__(self, memo: Mapping[Any, Any]) -> Any:
        """A serializer deep-copies its declared fields for every instance (every request);
        DRF rebuilds each from its arguments, which for a request body of a dozen fields cost
        more than validating it. An unbound strict field whose child (if any) is a plain
        strict field is copied as it stands instead: its attributes, its own error messages,
        validators and style (so that changing them on one copy leaves the others alone), and
        its child, copied the same way and made the copy's. Bound fields, fields with a
        queryset and nested serializers are rebuilt as DRF does."""
        if not _copies_flat(self):
            return super().__deepcopy__(memo)
        clone = _flat_copy(self)
        child = getattr(self, "child", None)
        if child is not None:
            clone.child = _flat_copy(child)
            clone.child.parent = clone
        return clone

    def _type_message(self, given: dict[str, str]) -> None:
        if self.type_code not in given:
            self.error_messages[self.type_code] = TYPE_MESSAGES[self.type_code]

    def accepts(self, data: Any) -> bool:
        return isinstance(data, str)

    def run_validation(self, data: Any = empty) -> Any:
        if (
            data is not empty
            and data is not None
            and not self.accepts(data)
            and not from_query_string(self)
        ):
            self.fail(self.type_code, data_type=json_type(data))
        return super().run_validation(data)


def _copies_flat(field: "StrictInput") -> bool:
    """Whether StrictInput.__deepcopy__ may copy `field` attribute by attribute."""
    if field.parent is not None or not _plain(field):
        return False
    child = getattr(field, "child", None)
    return child is None or (_plain(child) and getattr(child, "child", None) is None)


def _plain(field: Any) -> bool:
    return isinstance(field, StrictInput) and getattr(field, "queryset", None) is None


def _flat_copy(field: Any) -> Any:
    clone = object.__new__(type(field))  # not Field.__new__, which takes the arguments
    clone.__dict__.update(field.__dict__)
    clone.error_messages = dict(field.error_messages)
    clone.style = dict(field.style)
    if "_validators" in field.__dict__:
        clone._validators = list(field._validators)
    return clone


class StrictCharField(StrictInput, serializers.CharField):
    """Text: a JSON string."""

    # DRF's "Not a valid string." (an email, URL or pattern field's `invalid` is its validator's).
    unreachable_codes = frozenset({"invalid"})


class StrictEmailField(StrictInput, serializers.EmailField):
    """An email address: a JSON string."""

    unreachable_codes = frozenset({"invalid"})


class StrictURLField(StrictInput, serializers.URLField):
    """A URL: a JSON string."""

    unreachable_codes = frozenset({"invalid"})


class StrictSlugField(StrictInput, serializers.SlugField):
    """A slug: a JSON string."""

    unreachable_codes = frozenset({"invalid"})


class StrictRegexField(StrictInput, serializers.RegexField):
    """A string matching a pattern: a JSON string."""

    unreachable_codes = frozenset({"invalid"})


class StrictChoiceField(StrictInput, serializers.ChoiceField):
    """One of the choices: a JSON string (a JSON whole number where the choices are numbers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = [key for key in self.choices if key not in ("", None)]
        if keys and all(isinstance(key, int) for key in keys):
            self.type_code = "not_an_integer"
            self._type_message(kwargs.get("error_messages") or {})

    def accepts(self, data: Any) -> bool:
        if self.type_code == "not_an_integer":
            return _is_integer(data)
        return isinstance(data, str)


class StrictDateField(StrictInput, serializers.DateField):
    """A day, `YYYY-MM-DD`: a JSON string."""

    unreachable_codes = frozenset({"datetime"})


class StrictDateTimeField(StrictInput, serializers.DateTimeField):
    """A date-time, ISO 8601: a JSON string."""

    unreachable_codes = frozenset({"date"})


class StrictTimeField(StrictInput, serializers.TimeField):
    """A time of day: a JSON string."""


class StrictDurationField(StrictInput, serializers.DurationField):
    """A duration: a JSON string."""


class StrictUUIDField(StrictInput, serializers.UUIDField):
    """A UUID: a JSON string."""


class StrictIPAddressField(StrictInput, serializers.IPAddressField):
    """An IP address: a JSON string."""


class StrictBooleanField(StrictInput, serializers.BooleanField):
    """True or false: "yes", 1 and "true" are refused."""

    type_code = "not_a_boolean"
    unreachable_codes = frozenset({"invalid"})

    def accepts(self, data: Any) -> bool:
        return isinstance(data, bool)


class StrictIntegerField(StrictInput, serializers.IntegerField):
    """A whole number as a JSON number: "7", 6.5 and true are refused (7.0 is read as 7)."""

    type_code = "not_an_integer"
    unreachable_codes = frozenset({"invalid", "max_string_length"})

    def accepts(self, data: Any) -> bool:
        return _is_integer(data)

    def to_internal_value(self, data: Any) -> int:
        return int(super().to_internal_value(data))


class StrictFloatField(StrictInput, serializers.FloatField):
    """A finite JSON number: "7.5", true and NaN are refused."""

    type_code = "not_a_number"
    unreachable_codes = frozenset({"max_string_length"})

    def accepts(self, data: Any) -> bool:
        return isinstance(data, int | float) and not isinstance(data, bool)

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("invalid")
        return float(super().to_internal_value(data))


class StrictDecimalField(StrictInput, serializers.DecimalField):
    """A decimal as a JSON number: "7.5" and true are refused."""

    type_code = "not_a_number"
    unreachable_codes = frozenset({"max_string_length"})

    def accepts(self, data: Any) -> bool:
        return isinstance(data, int | float) and not isinstance(data, bool)


class StrictListField(StrictInput, serializers.ListField):
    """A JSON list (of the child's type)."""

    type_code = "not_a_list"

    def accepts(self, data: Any) -> bool:
        return isinstance(data, list)


class StrictDictField(StrictInput, serializers.DictField):
    """A JSON object (of the child's type)."""

    type_code = "not_an_object"
    unreachable_codes = frozenset({"not_a_dict"})

    def accepts(self, data: Any) -> bool:
        return isinstance(data, Mapping)


@extend_schema_field({"type": "object", "additionalProperties": {}})
class StrictJSONObjectField(StrictInput, serializers.JSONField):
    """A JSON object whose content the serializer checks itself."""

    type_code = "not_an_object"
    unreachable_codes = frozenset({"invalid"})

    def accepts(self, data: Any) -> bool:
        return isinstance(data, Mapping)


class StrictPrimaryKeyRelatedField(StrictInput, relations.PrimaryKeyRelatedField[_M]):
    """A reference: the integer id of an object."""

    type_code = "not_an_integer"
    unreachable_codes = frozenset({"incorrect_type"})

    def accepts(self, data: Any) -> bool:
        return _is_integer(data)

    def to_internal_value(self, data: Any) -> Any:
        if self.accepts(data):
            data = int(data)
        return super().to_internal_value(data)


class TimeZoneField(StrictCharField):
    """An IANA time zone name such as `Europe/Berlin`."""

    default_error_messages = {"invalid_timezone": "'{value}' is not an IANA time zone name."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", "IANA time zone name, e.g. `America/Chicago`.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value not in zoneinfo.available_timezones():
            self.fail("invalid_timezone", value=value)
        return str(value)


class AwareDateTimeField(StrictDateTimeField):
    """An ISO 8601 date-time that must carry its UTC offset (or `Z`): device time is ambiguous
    without one."""

    default_error_messages = {
        "naive": "Include the UTC offset, e.g. 2026-11-24T19:05:00+01:00.",
    }

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


# Days and times the API reads from a query string (`?from=`, `?since=`, a cursor's time): far
# enough apart for any real question, and far enough inside Python's and PostgreSQL's limits
# that a day's arithmetic (a week before, the day after) never overflows.
QUERY_FIRST_DAY = date(1900, 1, 1)
QUERY_LAST_DAY = date(2999, 12, 31)
# The widest UTC offset a time zone uses; PostgreSQL refuses offsets from 16 hours.
QUERY_MAX_UTC_OFFSET = timedelta(hours=14)
QUERY_RANGE_TEXT = f"from {QUERY_FIRST_DAY.isoformat()} to {QUERY_LAST_DAY.isoformat()}"


def query_time_problem(moment: datetime) -> str | None:
    """Why this time cannot be read from a query string, or None."""
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > QUERY_MAX_UTC_OFFSET:
        return "A UTC offset of at most 14 hours is required."
    try:
        day = (moment.astimezone(UTC) if offset is not None else moment).date()
    except OverflowError:
        day = date.min
    if not QUERY_FIRST_DAY <= day <= QUERY_LAST_DAY:
        return f"A time {QUERY_RANGE_TEXT} is required."
    return None


class QueryDateField(StrictDateField):
    """A day read from a query string: `YYYY-MM-DD`, from 1900-01-01 to 2999-12-31."""

    default_error_messages = {"out_of_range": f"A day {QUERY_RANGE_TEXT} is required."}

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not QUERY_FIRST_DAY <= day <= QUERY_LAST_DAY:
            self.fail("out_of_range")
        return day
