"""Celery tasks for notification delivery: thin, they take ids and call a service."""

from celery import shared_task

from clinic import notifications


@shared_task(name="clinic.tasks.deliver_notification", acks_late=True, ignore_result=True)
def deliver_notification(notification_id: int) -> str | None:
    """Deliver one outbox row; a missing, sent or leased row is a no-op."""
    return notifications.notification_deliver(notification_id=notification_id)


@shared_task(name="clinic.tasks.deliver_notifications", acks_late=True, ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Deliver a batch of outbox rows (written in bulk); each is claimed on its own."""
    return notifications.notifications_deliver_many(notification_ids=notification_ids)


@shared_task(name="clinic.tasks.notifications_redrive_due", ignore_result=True)
def notifications_redrive_due() -> int:
    return notifications.notifications_redrive_due()
