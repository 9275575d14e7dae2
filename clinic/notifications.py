"""The outbox: notifications written with the change that caused them, delivered at least once.

`notification_enqueue` writes the row inside the caller's transaction and queues a Celery task
after commit. `notification_deliver` claims the row with a lease (a conditional UPDATE: one
worker wins), sends it, records the attempt, and marks it sent, due again later (transient
failure, exponential backoff) or failed (permanent failure or attempts used up).
`notifications_redrive_due`, run by beat every 30 s, queues every row that is due, unsent and
not under a live lease, so nothing is lost when the broker is down or a worker dies.
"""

import logging
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from clinic import channels
from clinic.models import (
    Clinic,
    DeliveryAttempt,
    DeliveryOutcome,
    Notification,
    NotificationChannel,
    NotificationTarget,
)
from config.celery import app as celery_app

logger = logging.getLogger(__name__)

DELIVER_TASK = "clinic.tasks.deliver_notification"


def notification_enqueue(
    *,
    clinic: Clinic,
    channel: str,
    target: str,
    event_type: str,
    recipient: str,
    payload: dict[str, Any],
    dedupe_key: str | None = None,
    due_at: datetime | None = None,
) -> Notification | None:
    """Write one outbox row; returns None when `dedupe_key` was written before."""
    notification = Notification(
        clinic=clinic,
        channel=channel,
        target=target,
        event_type=event_type,
        recipient=recipient,
        payload=payload,
        dedupe_key=dedupe_key,
        webhook_id=f"msg_{uuid.uuid4().hex}",
        due_at=due_at or timezone.now(),
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: notification_publish(notification_id=notification.pk))
    return notification


def notification_publish(*, notification_id: int) -> bool:
    """Hand a notification to the workers; never raises, never waits on a broker that is down."""
    try:
        celery_app.send_task(DELIVER_TASK, args=[notification_id], retry=False)
    except Exception as exc:
        logger.warning(
            "notification %s not queued (%s); the re-drive will queue it",
            notification_id,
            type(exc).__name__,
        )
        return False
    return True


def _worker_name() -> str:
    return f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"


def notification_claim(*, notification_id: int, worker: str) -> Notification | None:
    """Take the lease on a due, unsent row; None when another worker holds it or it is done."""
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.STRIDE_DELIVERY_LEASE_SECONDS)
    claimed = (
        Notification.objects.filter(
            pk=notification_id, sent_at=None, failed_at=None, due_at__lte=now
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(claimed_at=now, claimed_by=worker, lease_until=lease_until)
    )
    if claimed != 1:
        return None
    return Notification.objects.select_related("clinic").get(pk=notification_id)


def _send(notification: Notification) -> channels.SendResult:
    if notification.channel == NotificationChannel.EMAIL:
        subject, text = render_email(notification)
        return channels.send_email(notification, subject=subject, text=text)
    clinic = notification.clinic
    secret = (
        clinic.partner_webhook_secret
        if notification.target == NotificationTarget.PARTNER
        else clinic.webhook_secret
    )
    return channels.send_webhook(notification, secret=secret)


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at one hour (base from settings)."""
    base = settings.STRIDE_DELIVERY_BACKOFF_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), 3600))


def notification_deliver(*, notification_id: int, worker: str | None = None) -> str | None:
    """Claim, send and record one notification. Returns the outcome, or None if not claimed."""
    worker = worker or _worker_name()
    notification = notification_claim(notification_id=notification_id, worker=worker)
    if notification is None:
        return None
    started = timezone.now()
    result = _send(notification)
    finished = timezone.now()
    number = notification.attempts + 1
    outcome = result.outcome
    if outcome == DeliveryOutcome.TRANSIENT and number >= settings.STRIDE_DELIVERY_MAX_ATTEMPTS:
        outcome = DeliveryOutcome.PERMANENT
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            notification=notification,
            number=number,
            worker=worker,
            started_at=started,
            finished_at=finished,
            outcome=result.outcome,
            http_status=result.http_status,
            error=result.error,
        )
        changes: dict[str, Any] = {
            "attempts": number,
            "lease_until": None,
            "last_error": result.error,
        }
        if outcome == DeliveryOutcome.SUCCESS:
            changes["sent_at"] = finished
        elif outcome == DeliveryOutcome.TRANSIENT:
            changes["due_at"] = finished + backoff(number)
        else:
            changes["failed_at"] = finished
        # Only the lease holder records the result: a worker whose lease ran out lost the row.
        Notification.objects.filter(pk=notification.pk, claimed_by=worker).update(**changes)
    if outcome == DeliveryOutcome.PERMANENT:
        logger.error(
            "notification %s (%s) failed for good after %s attempt(s): %s",
            notification.pk,
            notification.event_type,
            number,
            result.error,
        )
    return str(outcome)


def notifications_redrive_due(*, limit: int = 1000) -> int:
    """Queue every due, unsent notification without a live lease. Returns how many."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(sent_at=None, failed_at=None, due_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for notification_id in ids:
        if not notification_publish(notification_id=notification_id):
            break  # the broker is down: the next beat tries again
        queued += 1
    return queued


EMAIL_SUBJECTS = {
    "escalation.opened": "[Stride] New {severity} escalation: {code}",
    "escalation.upgraded": "[Stride] Escalation raised to {severity}: {code}",
    "escalation.overdue": "[Stride] Unacknowledged {severity} escalation: {code}",
}


def render_email(notification: Notification) -> tuple[str, str]:
    """Subject and text of a staff email: ids, codes and a link, never clinical details."""
    payload = notification.payload
    template = EMAIL_SUBJECTS.get(notification.event_type, "[Stride] {event}")
    subject = template.format_map({"event": notification.event_type, **payload})
    link = ""
    if "escalation_id" in payload:
        link = f"{settings.STRIDE_PUBLIC_URL}/api/v1/escalations/{payload['escalation_id']}/"
    text = (
        f"{subject.removeprefix('[Stride] ')}\n\n{channels.describe(payload)}\n\n"
        f"Review it in Stride: {link or settings.STRIDE_PUBLIC_URL}\n\n"
        "Stride is decision support, not diagnosis."
    )
    return subject, text
