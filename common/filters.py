"""Query-string filters (django-filter) that refuse what they cannot read.

django-filter quietly ignores `?status=` (empty) and `?mine=yes` (unreadable), and reads
`?patient=1.5` as patient 1, so a typo returns something that looks like an answer; a time
such as `?since=0001-01-01T00:00:00-23:59` reaches the database and fails there. Here each
is a 400 naming the parameter. Every number filter of the API is an id: a whole number.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters import BooleanFilter, DateTimeFilter, NumberFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from common.fields import query_time_problem

BOOLEAN_VALUES = ("true", "false")
WHOLE_NUMBER = re.compile(r"^-?[0-9]{1,18}$")


def filter_value_error(declared: Any, values: list[str]) -> str | None:
    """Why these query-string values cannot be read for this filter, or None."""
    if any(not value.strip() for value in values):
        return "Give a value, or leave the parameter out."
    if isinstance(declared, BooleanFilter) and values[-1] not in BOOLEAN_VALUES:
        return "Must be true or false."
    if isinstance(declared, NumberFilter) and not WHOLE_NUMBER.match(values[-1]):
        return "Must be a whole number (an id)."
    if isinstance(declared, DateTimeFilter):
        try:
            moment = declared.field.clean(values[-1])
        except DjangoValidationError:
            return None  # the filter's own form says why
        return query_time_problem(moment) if moment is not None else None
    return None


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            errors: dict[str, list[str]] = {}
            for name, declared in filterset.filters.items():
                values = request.query_params.getlist(name)
                problem = filter_value_error(declared, values) if values else None
                if problem:
                    errors[name] = [problem]
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
