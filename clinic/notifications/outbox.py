"""The outbox: notifications written with the change that caused them, delivered at least once.

`notification_enqueue` writes the row inside the caller's transaction and queues a Celery task
after commit (`clinic.notifications.delivery` sends it). `notifications_redrive_due`, run by
beat every 30 s, queues every row that is due, unsent and not under a live lease, so nothing is
lost when the broker is down or a worker dies.

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
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from celery.signals import task_prerun
from django.conf import settings
from django.core.signals import request_started
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.models import Clinic, Notification
from common.db import insert_skipping_conflicts
from common.tasks import NamedTask, publish

logger = logging.getLogger(__name__)

_broker = threading.local()


def broker_outage_forget(**kwargs: Any) -> None:
    """A new request or task tries the broker again."""
    _broker.failed = False


request_started.connect(broker_outage_forget, dispatch_uid="stride-broker-outage-forget")
task_prerun.connect(broker_outage_forget, dispatch_uid="stride-broker-outage-forget", weak=False)


def _publish(task: NamedTask, *args: Any) -> Exception | None:
    """Publish once, without retrying; the error, or None. After a failure, publishing is not
    tried again in this request or task (it answers the same error at once)."""
    if getattr(_broker, "failed", False):
        return ConnectionError("the broker did not answer earlier in this request")
    exc = publish(task, *args)
    if exc is not None:
        _broker.failed = True
    return exc


@dataclass(frozen=True)
class NotificationDraft:
    """One outbox row to write with `notifications_enqueue_bulk`."""

    clinic_id: int
    channel: str
    target: str
    event_type: str
    recipient: str
    payload: Mapping[str, Any]
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
    payload: Mapping[str, Any],
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
    if dedupe_key:
        # INSERT ... ON CONFLICT DO NOTHING: a key written before skips the row, with no
        # savepoint around the INSERT (two statements more on every escalation's row).
        inserted = insert_skipping_conflicts(Notification, [notification], returning=["id"])
        if not inserted:
            if Notification.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise IntegrityError("The notification row conflicts with one written before.")
        notification.pk = inserted[0][0]
        notification._state.adding = False
        notification._state.db = Notification.objects.db
    else:
        with transaction.atomic():
            notification.save()
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
        from clinic.tasks import deliver_notifications  # the tasks import this package

        exc = _publish(deliver_notifications, batch)
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
    from clinic.tasks import deliver_notification  # the tasks import this package

    exc = _publish(deliver_notification, notification_id)
    if exc is not None:
        logger.warning(
            "notification %s not queued (%s); the re-drive will queue it",
            notification_id,
            type(exc).__name__,
        )
        return False
    return True


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
