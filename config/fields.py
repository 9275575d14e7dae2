"""Serializer fields shared by the apps."""

import zoneinfo
from typing import Any

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
