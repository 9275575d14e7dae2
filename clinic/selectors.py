"""Reads for clinic views: staff and audit events, with the relations they need."""

from django.db.models import Count, QuerySet

from clinic.models import AuditEvent, Clinic, Notification, NotificationChannel, StaffUser


def staff_list(*, clinic: Clinic) -> QuerySet[StaffUser]:
    return StaffUser.objects.filter(clinic=clinic)


def audit_event_list(*, clinic: Clinic) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(clinic=clinic).select_related("actor")


def staff_with_patient_counts(*, clinic: Clinic) -> QuerySet[StaffUser]:
    """The clinic's staff, each with `patient_count`: patients assigned (discharged included)."""
    return staff_list(clinic=clinic).annotate(patient_count=Count("patients"))


DELIVERY_LOG_LIMIT = 50


def webhook_delivery_log(*, clinic: Clinic) -> QuerySet[Notification]:
    """The clinic's webhook outbox rows, newest first, with their attempts."""
    return (
        Notification.objects.filter(clinic=clinic, channel=NotificationChannel.WEBHOOK)
        .order_by("-created_at", "-id")
        .prefetch_related("delivery_attempts")
    )
