"""The outbox: notifications written with the change that caused them, delivered at least once.

`notification_enqueue` writes the row inside the caller's transaction and queues a Celery task
after commit. `notification_deliver` claims the row with a lease (a conditional UPDATE: one
worker wins), sends it, records the attempt, and marks it sent, due again later (transient
failure, exponential backoff) or failed (permanent failure or attempts used up).
`notifications_redrive_due`, run by beat every 30 s, queues every row that is due, unsent and
not under a live lease, so nothing is lost when the broker is down or a worker dies.

A request makes at most one attempt to reach the broker: the first publish that fails (the
broker down, or hung past its short socket timeout) leaves this and every later row of the same
request, or Celery task, to the re-drive, so a check-in never waits on the broker more than
once (`broker_outage_forget` starts each request and task afresh).

`notifications_enqueue_bulk` is the same write for many rows at once (one INSERT per 1000,
skipping dedupe keys written before); its rows are queued after commit in messages of
STRIDE_DELIVERY_BATCH_SIZE ids each (`clinic.tasks.deliver_notifications`), because one
broker message per row costs about half a millisecond to publish.
"""

import logging
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_prerun
from django.conf import settings
from django.core.signals import request_started
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clinic import channels
from clinic.models import (
    Clinic,
    DeliveryAttempt,
    DeliveryOutcome,
    Notification,
    NotificationChannel,
    NotificationTarget,
    StaffUser,
)
from common.db import insert_skipping_conflicts
from config.celery import app as celery_app

logger = logging.getLogger(__name__)

DELIVER_TASK = "clinic.tasks.deliver_notification"
DELIVER_MANY_TASK = "clinic.tasks.deliver_notifications"

_broker = threading.local()


def broker_outage_forget(**kwargs: Any) -> None:
    """A new request or task tries the broker again."""
    _broker.failed = False


request_started.connect(broker_outage_forget, dispatch_uid="stride-broker-outage-forget")
task_prerun.connect(broker_outage_forget, dispatch_uid="stride-broker-outage-forget", weak=False)


def _send_task(name: str, args: list[Any]) -> Exception | None:
    """Publish once, without retrying; the error, or None. After a failure, publishing is not
    tried again in this request or task (it answers the same error at once)."""
    if getattr(_broker, "failed", False):
        return ConnectionError("the broker did not answer earlier in this request")
    try:
        celery_app.send_task(name, args=args, retry=False)
    except Exception as exc:
        _broker.failed = True
        return exc
    return None


@dataclass(frozen=True)
class NotificationDraft:
    """One outbox row to write with `notifications_enqueue_bulk`."""

    clinic_id: int
    channel: str
    target: str
    event_type: str
    recipient: str
    payload: dict[str, Any]
    dedupe_key: str | None = None
    due_at: datetime | None = None


def _notification(draft: NotificationDraft, now: datetime) -> Notification:
    return Notification(
        clinic_id=draft.clinic_id,
        channel=draft.channel,
        target=draft.target,
        event_type=draft.event_type,
        recipient=draft.recipient,
        payload=draft.payload,
        dedupe_key=draft.dedupe_key,
        webhook_id=f"msg_{uuid.uuid4().hex}",
        created_at=now,
        due_at=draft.due_at or now,
    )


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
    notification = _notification(
        NotificationDraft(
            clinic_id=clinic.pk,
            channel=channel,
            target=target,
            event_type=event_type,
            recipient=recipient,
            payload=payload,
            dedupe_key=dedupe_key,
            due_at=due_at,
        ),
        timezone.now(),
    )
    notification.clinic = clinic
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: notification_publish(notification_id=notification.pk))
    return notification


def notifications_enqueue_bulk(drafts: Sequence[NotificationDraft]) -> list[int]:
    """Write many outbox rows in the caller's transaction; returns the ids of the new rows.

    A draft whose `dedupe_key` was written before is skipped (ON CONFLICT DO NOTHING), so a
    producer that runs twice writes each row once. The new rows are queued after commit.
    """
    now = timezone.now()
    rows = [_notification(draft, now) for draft in drafts]
    ids = [row[0] for row in insert_skipping_conflicts(Notification, rows, returning=["id"])]
    if ids:
        transaction.on_commit(lambda: notifications_publish_many(notification_ids=ids))
    return ids


def notifications_publish_many(*, notification_ids: Sequence[int]) -> int:
    """Queue notifications in messages of STRIDE_DELIVERY_BATCH_SIZE ids; returns how many.

    Stops at the first broker failure: the re-drive queues whatever is left.
    """
    size = max(1, settings.STRIDE_DELIVERY_BATCH_SIZE)
    queued = 0
    for start in range(0, len(notification_ids), size):
        batch = list(notification_ids[start : start + size])
        exc = _send_task(DELIVER_MANY_TASK, [batch])
        if exc is not None:
            logger.warning(
                "%s notification(s) not queued (%s); the re-drive will queue them",
                len(notification_ids) - queued,
                type(exc).__name__,
            )
            break
        queued += len(batch)
    return queued


def notification_publish(*, notification_id: int) -> bool:
    """Hand a notification to the workers; never raises, waits on the broker at most once per
    request (STRIDE_BROKER_TIMEOUT_SECONDS)."""
    exc = _send_task(DELIVER_TASK, [notification_id])
    if exc is not None:
        logger.warning(
            "notification %s not queued (%s); the re-drive will queue it",
            notification_id,
            type(exc).__name__,
        )
        return False
    return True


WEBHOOK_TEST_EVENT = "webhook.test"


class WebhookTestRefused(ValueError):
    """There is no endpoint (or no secret) to send a test event to."""


def webhook_test_send(*, clinic: Clinic, target: str, by: StaffUser) -> Notification:
    """Queue a signed `webhook.test` event to the clinic's endpoint (`target` "clinic") or its
    partner-app backend ("partner") through the outbox, like any other event: it is delivered,
    retried and logged the same way. The body names the clinic, the target and who asked, by
    id; no patient data."""
    if target not in (NotificationTarget.CLINIC, NotificationTarget.PARTNER):
        raise WebhookTestRefused("A test event goes to the clinic endpoint or the partner backend.")
    url, secret = (
        (clinic.partner_webhook_url, clinic.partner_webhook_secret)
        if target == NotificationTarget.PARTNER
        else (clinic.webhook_url, clinic.webhook_secret)
    )
    if not url or not secret:
        raise WebhookTestRefused("Set this endpoint's URL before sending a test event.")
    notification = notification_enqueue(
        clinic=clinic,
        channel=NotificationChannel.WEBHOOK,
        target=target,
        event_type=WEBHOOK_TEST_EVENT,
        recipient=url,
        payload={
            "event": WEBHOOK_TEST_EVENT,
            "clinic_id": clinic.pk,
            "target": target,
            "requested_by": by.pk,
        },
    )
    assert notification is not None  # no dedupe key: always a new row
    return notification


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
    try:
        result = _send(notification)
    except SoftTimeLimitExceeded:
        # The task's time limit ran out mid-send (each attempt has its own, shorter deadline,
        # so this is a backstop): the attempt is still recorded and counted, then the task ends.
        _record(
            notification,
            worker=worker,
            started=started,
            result=channels.SendResult(
                DeliveryOutcome.TRANSIENT, error="The task's time limit ran out while sending."
            ),
        )
        raise
    return _record(notification, worker=worker, started=started, result=result)


def _record(
    notification: Notification, *, worker: str, started: datetime, result: channels.SendResult
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


def notifications_redrive_due(*, limit: int = 1000) -> int:
    """Queue every due, unsent notification without a live lease. Returns how many."""
    broker_outage_forget()  # the re-drive is the retry: it tries the broker afresh
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
    if notification.event_type == "reminder.due":
        return render_reminder_email(notification)
    payload = notification.payload
    template = EMAIL_SUBJECTS.get(notification.event_type, "[Stride] {event}")
    subject = template.format_map({"event": notification.event_type, **payload})
    link = ""
    if "escalation_id" in payload:
        # The escalation's console page (rows queued before it was in the payload build it).
        link = payload.get("url") or (
            f"{settings.STRIDE_PUBLIC_URL.rstrip('/')}"
            f"{reverse('console:escalation', args=[payload['escalation_id']])}"
        )
    text = (
        f"{subject.removeprefix('[Stride] ')}\n\n{channels.describe(payload)}\n\n"
        f"Review it in Stride: {link or settings.STRIDE_PUBLIC_URL}\n\n"
        "Stride is decision support, not diagnosis."
    )
    return subject, text


def render_reminder_email(notification: Notification) -> tuple[str, str]:
    """The patient's reminder email: a nudge to open the app, no clinical details, no names."""
    text = (
        "It is time for your check-in. Open the app to tell your therapist how it is going.\n\n"
        f"{notification.clinic.contact_line}"
    )
    return "Time for your check-in", text
