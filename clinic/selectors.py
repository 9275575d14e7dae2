"""Reads for clinic views: staff and audit events, with the relations they need."""

from django.db.models import QuerySet

from clinic.models import AuditEvent, Clinic, StaffUser


def staff_list(*, clinic: Clinic) -> QuerySet[StaffUser]:
    return StaffUser.objects.filter(clinic=clinic)


def audit_event_list(*, clinic: Clinic) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(clinic=clinic).select_related("actor")
