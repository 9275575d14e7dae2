"""Celery tasks for patients: thin, they call a service."""

from typing import Any

from celery import shared_task

from patients import services
from patients.services import checkins

# Summaries rebuilt per task run: well inside the task time limit.
SUMMARY_BATCH = 1000


@shared_task(name="patients.tasks.escalations_escalate_overdue", ignore_result=True)
def escalations_escalate_overdue() -> int:
    return services.escalations_escalate_overdue()


@shared_task(name="patients.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge() -> int:
    return checkins.idempotency_keys_purge()


@shared_task(name="patients.tasks.summaries_refresh_stale", bind=True, ignore_result=True)
def summaries_refresh_stale(self: Any) -> int:
    """Rebuild caseload summaries whose local date moved on; a full batch queues the next."""
    done = services.summaries_refresh_stale(limit=SUMMARY_BATCH)
    if done >= SUMMARY_BATCH:
        self.apply_async()
    return done
