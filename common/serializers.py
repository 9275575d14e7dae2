"""Serializer bases: input is read strictly (common.fields).

A plain serializer that reads input declares `Strict...` fields; a model serializer builds its
fields from the model, so `StrictModelSerializer` maps each model field to its strict field.
Both refuse a value that is not a JSON object (a nested object given as a string, a list item
that is not an object) with `not_an_object`, and a `many=True` list that is not a list with
`not_a_list`.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from django.contrib.postgres import fields as postgres_fields
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from common.fields import (
    TYPE_MESSAGES,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictDateTimeField,
    StrictDecimalField,
    StrictDurationField,
    StrictEmailField,
    StrictFloatField,
    StrictIntegerField,
    StrictIPAddressField,
    StrictListField,
    StrictPrimaryKeyRelatedField,
    StrictSlugField,
    StrictTimeField,
    StrictURLField,
    StrictUUIDField,
    from_query_string,
    json_type,
)

_IN = TypeVar("_IN")
_M = TypeVar("_M", bound=models.Model)


class StrictListSerializer(serializers.ListSerializer[Any]):
    """`many=True` of a strict serializer: a JSON list, else `not_a_list`."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, list) and not from_query_string(self):
            message = TYPE_MESSAGES["not_a_list"].format(data_type=json_type(data))
            raise serializers.ValidationError(message, code="not_a_list")
        return super().to_internal_value(data)


class StrictObjectMixin(serializers.Serializer[_IN]):
    """A JSON object, else `not_an_object`: on the field for a nested serializer, on the
    request as a whole (attr null) for the body itself."""

    default_error_messages = {"not_an_object": TYPE_MESSAGES["not_an_object"]}
    # Codes the serializer's own checks (`validate`, `validate_<field>`) raise besides
    # `invalid`, for the schema (common.error_codes).
    error_codes: ClassVar[tuple[str, ...]] = ()
    # Input names that were renamed (old -> new): sending an old one is a 400 `renamed` at that
    # name telling the new one, rather than a value silently ignored (CHANGELOG.md).
    renamed_fields: ClassVar[dict[str, str]] = {}

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> Any:
        list_serializer = super().many_init(*args, **kwargs)
        if type(list_serializer) is serializers.ListSerializer:
            list_serializer.__class__ = StrictListSerializer
        return list_serializer

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping) and not from_query_string(self):
            if self.parent is not None:
                self.fail("not_an_object", data_type=json_type(data))
            message = self.error_messages["not_an_object"].format(data_type=json_type(data))
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="not_an_object"
            )
        renamed = {old: new for old, new in self.renamed_fields.items() if old in data}
        if renamed:
            raise serializers.ValidationError(
                {
                    old: [ErrorDetail(f"Renamed: send `{new}` instead.", code="renamed")]
                    for old, new in renamed.items()
                }
            )
        return super().to_internal_value(data)


class StrictSerializer(StrictObjectMixin[_IN]):
    """The base of every serializer that reads a request body."""


class StrictModelSerializer(StrictObjectMixin[_M], serializers.ModelSerializer[_M]):
    """A model serializer whose fields built from the model are strict."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.AutoField: StrictIntegerField,
        models.BigAutoField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
        models.CharField: StrictCharField,
        models.DateField: StrictDateField,
        models.DateTimeField: StrictDateTimeField,
        models.DecimalField: StrictDecimalField,
        models.DurationField: StrictDurationField,
        models.EmailField: StrictEmailField,
        models.FloatField: StrictFloatField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SlugField: StrictSlugField,
        models.SmallIntegerField: StrictIntegerField,
        models.TextField: StrictCharField,
        models.TimeField: StrictTimeField,
        models.URLField: StrictURLField,
        models.UUIDField: StrictUUIDField,
        models.GenericIPAddressField: StrictIPAddressField,
        postgres_fields.ArrayField: StrictListField,
    }
    serializer_related_field = StrictPrimaryKeyRelatedField
    serializer_choice_field = StrictChoiceField
