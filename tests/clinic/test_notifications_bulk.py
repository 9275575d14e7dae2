"""Outbox rows written in bulk: dedupe keys hold, batches are queued after commit and delivered,
a slow batch hands its rest back to the queue; and the clinic's reminder-email setting."""

import base64
import json

import pytest
import redis
from django.db import transaction

from clinic.models import Notification
from clinic.notifications import (
    NotificationDraft,
    notifications_deliver_many,
    notifications_enqueue_bulk,
)
from tests.conftest import assert_error
from tests.processes import purge

pytestmark = pytest.mark.django_db


def draft(clinic, key, url="http://127.0.0.1:9/closed"):
    return NotificationDraft(
        clinic_id=clinic.pk,
        channel="webhook",
        target="partner",
        event_type="reminder.due",
        recipient=url,
        payload={"patient_id": key},
        dedupe_key=f"test:{key}",
    )


def queued_batches(url):
    """The id lists of the batch messages waiting on the broker, oldest first."""
    client = redis.Redis.from_url(url)
    messages = [json.loads(m) for m in reversed(client.lrange("notifications", 0, -1))]
    return [
        json.loads(base64.b64decode(m["body"]))[0][0]
        for m in messages
        if m["headers"]["task"] == "clinic.tasks.deliver_notifications"
    ]


def test_bulk_rows_skip_dedupe_keys_written_before(clinic_a):
    with transaction.atomic():
        first = notifications_enqueue_bulk([draft(clinic_a, 1), draft(clinic_a, 2)])
    with transaction.atomic():
        second = notifications_enqueue_bulk([draft(clinic_a, 2), draft(clinic_a, 3)])
    assert len(first) == 2 and len(second) == 1
    assert Notification.objects.count() == 3
    assert len({n.webhook_id for n in Notification.objects.all()}) == 3


def test_bulk_rows_are_queued_after_commit_in_batches(
    clinic_a, settings, django_capture_on_commit_callbacks
):
    settings.STRIDE_DELIVERY_BATCH_SIZE = 2
    purge(settings.CELERY_BROKER_URL)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = notifications_enqueue_bulk([draft(clinic_a, k) for k in range(5)])
    assert queued_batches(settings.CELERY_BROKER_URL) == []  # nothing before commit
    for callback in callbacks:
        callback()
    batches = queued_batches(settings.CELERY_BROKER_URL)
    assert batches == [ids[:2], ids[2:4], ids[4:]]
    assert sorted(ids) == sorted(Notification.objects.values_list("pk", flat=True))
    purge(settings.CELERY_BROKER_URL)


def test_a_batch_delivers_each_row_once(clinic_a, receiver):
    clinic_a.partner_webhook_secret = "whsec_" + "A" * 44
    clinic_a.save(update_fields=["partner_webhook_secret"])
    with transaction.atomic():
        ids = notifications_enqueue_bulk([draft(clinic_a, k, receiver.url) for k in range(3)])
    assert notifications_deliver_many(notification_ids=ids) == 3
    assert notifications_deliver_many(notification_ids=ids) == 3  # claimed: nothing sent again
    assert len(receiver.received) == 3
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_batch_out_of_time_queues_the_rest_again(clinic_a, settings):
    settings.STRIDE_DELIVERY_BATCH_SECONDS = 0
    purge(settings.CELERY_BROKER_URL)
    with transaction.atomic():
        ids = notifications_enqueue_bulk([draft(clinic_a, k) for k in range(3)])
    purge(settings.CELERY_BROKER_URL)
    assert notifications_deliver_many(notification_ids=ids) == 0
    assert queued_batches(settings.CELERY_BROKER_URL) == [ids]
    purge(settings.CELERY_BROKER_URL)


def test_an_admin_turns_reminder_emails_on(ada_api, alice_api, clinic_a):
    assert ada_api.get("/api/v1/clinic/").json()["reminder_email_enabled"] is False
    response = ada_api.patch("/api/v1/clinic/", {"reminder_email_enabled": True})
    assert response.status_code == 200, response.content
    clinic_a.refresh_from_db()
    assert clinic_a.reminder_email_enabled is True
    assert_error(ada_api.patch("/api/v1/clinic/", {"reminder_email_enabled": "yes"}), 400)
    assert_error(alice_api.patch("/api/v1/clinic/", {"reminder_email_enabled": False}), 403)
    clinic_a.refresh_from_db()
    assert clinic_a.reminder_email_enabled is True
