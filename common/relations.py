"""Input references to rows scoped to the caller's clinic.

An id in a request body names a row the caller may use: one of its clinic's own rows, or, for
the shipped library (exercises, templates, run ladders), one shared by every clinic (`clinic`
null). The serializer's context carries the clinic (`context={"clinic": ...}`); any other id,
another clinic's as a missing one, is the same 400 `does_not_exist`, so ids cannot be probed.
"""

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from common.fields import StrictPrimaryKeyRelatedField

M = TypeVar("M", bound=Model)


def clinic_or_shared(clinic: Any) -> Q:
    """The clinic's own rows and the shared library's."""
    return Q(clinic=clinic) | Q(clinic__isnull=True)


@extend_schema_field(OpenApiTypes.INT)
class ClinicScopedRelatedField(StrictPrimaryKeyRelatedField[M]):
    """A primary key among `queryset`'s rows of the context's clinic, and of the shared library
    too with `shared=True`; without a clinic in the context no id is accepted."""

    def __init__(
        self, *, queryset: QuerySet[M] | None = None, shared: bool = False, **kwargs: Any
    ) -> None:
        self.shared = shared
        super().__init__(queryset=queryset, **kwargs)

    def get_queryset(self) -> QuerySet[M]:
        queryset = super().get_queryset()
        assert queryset is not None  # an input field always has one
        clinic = self.context.get("clinic")
        if clinic is None:
            return queryset.none()
        return queryset.filter(clinic_or_shared(clinic) if self.shared else Q(clinic=clinic))
