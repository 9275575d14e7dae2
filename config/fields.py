"""Serializer fields shared by the apps."""

import math
import zoneinfo
from typing import Any

from django.utils.dateparse import parse_datetime
from rest_framework import serializers


class TimeZoneField(serializers.CharField):
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
        return value


class StrictIntegerField(serializers.IntegerField):
    """An integer that must arrive as a JSON number: "7", 6.5 and true are refused."""

    default_error_messages = {"not_integer": "A whole number is required, not {kind}."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            if isinstance(data, float) and data.is_integer():
                data = int(data)
            else:
                self.fail("not_integer", kind=type(data).__name__)
        return int(super().to_internal_value(data))


class StrictBooleanField(serializers.BooleanField):
    """A boolean that must arrive as JSON true or false: "yes", 1 and "true" are refused."""

    default_error_messages = {"not_boolean": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("not_boolean")
        return data


class StrictFloatField(serializers.FloatField):
    """A finite number that must arrive as a JSON number: "7.5", true and NaN are refused."""

    default_error_messages = {"not_number": "A number is required, not {kind}."}

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("not_number", kind=type(data).__name__)
        if not math.isfinite(data):
            self.fail("invalid")
        return float(super().to_internal_value(data))


class AwareDateTimeField(serializers.DateTimeField):
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
