"""JSON types are strict across the API, for every serializer of every app.

DRF coerces by default: `0` becomes the string "0", `"yes"` and `1` become true, `"3.5"` a
number, `"42"` a primary key. The schema says what type each field takes, and a partner's
client that sends another type has a bug it should hear about, so a string field takes a JSON
string, a boolean field true or false, a number field a JSON number (an integer field also
7.0), and a reference an integer id. A serializer that reads a query string
(`Serializer(data=request.query_params)`) is not held to it: every value there is a string.
`install()` runs once, from common.apps.
"""

from collections.abc import Callable
from typing import Any

from django.http import QueryDict
from rest_framework import fields, relations


def _refusing(
    original: Callable[..., Any], accepts: Callable[[Any], bool], error: str
) -> Callable[..., Any]:
    def to_internal_value(self: fields.Field, data: Any) -> Any:
        if not accepts(data) and not _from_query_string(self):
            self.fail(error, data_type=type(data).__name__)
        return original(self, data)

    to_internal_value.__doc__ = original.__doc__
    to_internal_value.strict = True  # type: ignore[attr-defined]
    return to_internal_value


def _from_query_string(field: fields.Field) -> bool:
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


def _is_str(data: Any) -> bool:
    return isinstance(data, str)


def _is_bool(data: Any) -> bool:
    return isinstance(data, bool)


def _is_number(data: Any) -> bool:
    return isinstance(data, int | float) and not isinstance(data, bool)


def _is_integer(data: Any) -> bool:
    return _is_number(data) and float(data).is_integer()


def install() -> None:
    if getattr(fields.CharField.to_internal_value, "strict", False):
        return
    messages: list[tuple[type[fields.Field], str, str]] = [
        (fields.CharField, "not_a_string", "A string is required, not {data_type}."),
        (fields.BooleanField, "not_a_boolean", "Must be true or false, not {data_type}."),
        (fields.IntegerField, "not_a_number", "A whole number is required, not {data_type}."),
        (fields.FloatField, "not_a_number", "A number is required, not {data_type}."),
        (fields.DecimalField, "not_a_number", "A number is required, not {data_type}."),
    ]
    for cls, code, message in messages:
        cls.default_error_messages = {**cls.default_error_messages, code: message}
    fields.CharField.to_internal_value = _refusing(  # type: ignore[method-assign]
        fields.CharField.to_internal_value, _is_str, "not_a_string"
    )
    fields.BooleanField.to_internal_value = _refusing(  # type: ignore[method-assign]
        fields.BooleanField.to_internal_value, _is_bool, "not_a_boolean"
    )
    fields.IntegerField.to_internal_value = _refusing(  # type: ignore[method-assign]
        fields.IntegerField.to_internal_value, _is_integer, "not_a_number"
    )
    fields.FloatField.to_internal_value = _refusing(  # type: ignore[method-assign]
        fields.FloatField.to_internal_value, _is_number, "not_a_number"
    )
    fields.DecimalField.to_internal_value = _refusing(  # type: ignore[method-assign]
        fields.DecimalField.to_internal_value, _is_number, "not_a_number"
    )
    relations.PrimaryKeyRelatedField.to_internal_value = _refusing(  # type: ignore[method-assign]
        relations.PrimaryKeyRelatedField.to_internal_value, _is_integer, "incorrect_type"
    )
