"""Delivery: a worker claims an outbox row, sends it and records the attempt.

`notification_deliver` claims the row with a lease (a conditional UPDATE: one worker wins),
sends it through its channel (email or webhook), records the attempt, and marks it sent, due
again later (transient failure, exponential backoff) or failed (permanent failure or attempts
used up).
"""

import logging
import socket
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clinic.models import (
    DeliveryAttempt,
    DeliveryOutcome,
    Notification,
    NotificationChannel,
    NotificationTarget,
)
from clinic.notifications import email, webhook
from clinic.notifications.outbox import notifications_publish_many
from clinic.notifications.results import SendResult

logger = logging.getLogger(__name__)


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


def _send(notification: Notification) -> SendResult:
    if notification.channel == NotificationChannel.EMAIL:
        subject, text = email.render_email(notification)
        return email.send_email(notification, subject=subject, text=text)
    clinic = notification.clinic
    secret = (
        clinic.partner_webhook_secret
        if notification.target == NotificationTarget.PARTNER
        else clinic.webhook_secret
    )
    return webhook.send_webhook(notification, secret=secret)


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
    try:
        result = _send(notification)
    except SoftTimeLimitExceeded:
        # The task's time limit ran out mid-send (each attempt has its own, shorter deadline,
        # so this is a backstop): the attempt is still recorded and counted, then the task ends.
        _record(
            notification,
            worker=worker,
            started=started,
            result=SendResult(
                DeliveryOutcome.TRANSIENT, error="The task's time limit ran out while sending."
            ),
        )
        raise
    return _record(notification, worker=worker, started=started, result=result)


def _record(
    notification: Notification, *, worker: str, started: datetime, result: SendResult
) -> str:
    """Write the attempt and the row's new state (sent, due again later, or failed)."""
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


def notifications_deliver_many(*, notification_ids: Sequence[int]) -> int:
    """Deliver notifications one after the other; returns how many this call attempted.

    Each is claimed on its own, so a row another worker holds or has sent is passed over. When
    STRIDE_DELIVERY_BATCH_SECONDS have gone by (slow receivers), the rest is queued again as a
    new message rather than running into the task's time limit.
    """
    deadline = time.monotonic() + settings.STRIDE_DELIVERY_BATCH_SECONDS
    worker = _worker_name()
    for done, notification_id in enumerate(notification_ids):
        if time.monotonic() >= deadline:
            notifications_publish_many(notification_ids=notification_ids[done:])
            return done
        notification_deliver(notification_id=notification_id, worker=worker)
    return len(notification_ids)
