"""Serializer fields shared by the apps."""

import math
import zoneinfo
from datetime import UTC, date, datetime, timedelta
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


class QueryDateField(serializers.DateField):
    """A day read from a query string: `YYYY-MM-DD`, from 1900-01-01 to 2999-12-31."""

    default_error_messages = {"out_of_range": f"A day {QUERY_RANGE_TEXT} is required."}

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not QUERY_FIRST_DAY <= day <= QUERY_LAST_DAY:
            self.fail("out_of_range")
        return day
