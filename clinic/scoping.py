"""Tenant scoping and PHI-access audit for every staff view, in one base class.

Subclasses define `scoped_queryset(clinic)`; the base filters it by the caller's clinic once
more, so "not yours" and "not found" give the same 404. A subclass that overrides
`get_queryset` is refused when the class is created: there is no way around the scope.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from clinic.models import Clinic, StaffUser
from clinic.services import audit_record_many
from common.proxies import client_address
from common.relations import clinic_or_shared


class IsClinicStaff(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, StaffUser) and user.is_active and user.clinic_id is not None


class IsClinicAdmin(IsClinicStaff):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and staff_of(request).is_clinic_admin


def staff_of(request: Request) -> StaffUser:
    """The signed-in staff member of a request that passed IsClinicStaff."""
    user = request.user
    assert isinstance(user, StaffUser) and user.clinic is not None
    return user


class ClinicScopedViewSet(viewsets.GenericViewSet):
    """Scope every queryset to `request.user.clinic`; audit access when `audit_object_type`.

    Add the DRF mixins you need in front of it.
    """

    permission_classes: Any = [IsClinicStaff]
    # The model the view serves: its schema, and the empty queryset of schema generation.
    model: type[Model]
    # Rows with clinic NULL are shared by every clinic (e.g. the shipped exercise library).
    include_shared_rows = False
    # When set, every object fetched or listed is written to the audit trail.
    audit_object_type: str | None = None
    audit_patient_attr = "patient_id"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset; define scoped_queryset(clinic) instead."
            )

    @property
    def staff(self) -> StaffUser:
        return staff_of(self.request)

    @property
    def clinic(self) -> Clinic:
        clinic = self.staff.clinic
        assert clinic is not None
        return clinic

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        clinic = self.clinic
        queryset = self.scoped_queryset(clinic)
        if self.include_shared_rows:
            return queryset.filter(clinic_or_shared(clinic))
        return queryset.filter(clinic=clinic)

    def get_object(self) -> Any:
        obj = super().get_object()
        self.audit([obj], action=self.action or "view")
        return obj

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        self.audit(page if page is not None else queryset, action="list")
        return page

    def audit(self, objects: Iterable[Model], *, action: str) -> None:
        if self.audit_object_type is None:
            return
        audit_record_many(
            actor=self.staff,
            action=action,
            object_type=self.audit_object_type,
            objects=[(self.audit_patient_id(obj), str(obj.pk)) for obj in objects],
            ip_address=client_address(self.request),
        )

    def audit_patient_id(self, obj: Model) -> int | None:
        value = getattr(obj, self.audit_patient_attr, None)
        return int(value) if value is not None else None
