"""Celery tasks for patients: thin, they call a service."""

from celery import shared_task

from patients import services
from patients.services import checkins


@shared_task(name="patients.tasks.escalations_escalate_overdue", ignore_result=True)
def escalations_escalate_overdue() -> int:
    return services.escalations_escalate_overdue()


@shared_task(name="patients.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge() -> int:
    return checkins.idempotency_keys_purge()
