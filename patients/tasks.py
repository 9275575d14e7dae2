"""Celery tasks for patients: thin, they call a service (beat entries in config/settings.py)."""

from typing import Any

from celery import shared_task

from patients import services
from patients.services import check_ins, engagement, reminders

# Summaries rebuilt per task run: well inside the task time limit.
SUMMARY_BATCH = 1000


@shared_task(name="patients.tasks.escalations_escalate_overdue", ignore_result=True)
def escalations_escalate_overdue() -> int:
    return services.escalations_escalate_overdue()


@shared_task(name="patients.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge() -> int:
    return check_ins.idempotency_keys_purge()


@shared_task(name="patients.tasks.summaries_refresh_stale", bind=True, ignore_result=True)
def summaries_refresh_stale(self: Any) -> int:
    """Rebuild caseload summaries whose local date moved on; a full batch queues the next."""
    done = services.summaries_refresh_stale(limit=SUMMARY_BATCH)
    if done >= SUMMARY_BATCH:
        self.apply_async()
    return done


@shared_task(name="patients.tasks.reminders_dispatch_due", ignore_result=True)
def reminders_dispatch_due() -> int:
    """Every minute: lease the patients whose reminder slot is due and queue them in chunks."""
    return reminders.reminders_dispatch_due().patients


@shared_task(name="patients.tasks.reminders_send_chunk", acks_late=True, ignore_result=True)
def reminders_send_chunk(patient_ids: list[int]) -> int:
    """Send or skip the due slot of each of these patients (a unique row per slot)."""
    return reminders.reminders_send(patient_ids=patient_ids).sent


@shared_task(name="patients.tasks.engagement_dispatch_due", ignore_result=True)
def engagement_dispatch_due() -> int:
    """Hourly: queue the patients whose local day has turned since their last evaluation."""
    return engagement.engagement_dispatch_due()


@shared_task(name="patients.tasks.engagement_evaluate_chunk", acks_late=True, ignore_result=True)
def engagement_evaluate_chunk(patient_ids: list[int]) -> int:
    """Evaluate `disengaged` and `no_improvement` for these patients, once per local day."""
    return engagement.engagement_evaluate(patient_ids=patient_ids).evaluated
