"""End to end with a real Celery worker on Redis: the minute beat queues a chunk, the worker
sends the reminder and delivers `reminder.due` to the partner's backend, signed."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from clinic.models import Notification
from clinic.notifications import webhook_secret_generate
from patients.models import Reminder
from patients.services.reminders import reminders_dispatch_due
from tests.processes import Worker, purge, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_real_worker_delivers_a_signed_reminder_due_webhook(pat, clinic_a, receiver):
    clinic_a.partner_webhook_url = receiver.url
    clinic_a.partner_webhook_secret = webhook_secret_generate()
    clinic_a.save(update_fields=["partner_webhook_url", "partner_webhook_secret"])
    now = timezone.now()
    pat.quiet_start = pat.quiet_end = time(0, 0)  # whatever the hour the test runs at
    pat.next_reminder_at = now - timedelta(seconds=30)
    pat.next_reminder_on = timezone.localdate(now - timedelta(seconds=30), ZoneInfo(pat.timezone))
    pat.save(update_fields=["quiet_start", "quiet_end", "next_reminder_at", "next_reminder_on"])

    purge(settings.CELERY_BROKER_URL)
    worker = Worker(settings.CELERY_BROKER_URL).start()
    try:
        assert reminders_dispatch_due().patients == 1
        assert receiver.arrived.wait(15), worker.output()
        webhook = Notification.objects.get(event_type="reminder.due")
        assert wait_for(lambda: Notification.objects.get(pk=webhook.pk).sent_at, timeout=5)
    finally:
        worker.stop()

    (item,) = receiver.received
    body = receiver.verify(clinic_a.partner_webhook_secret, item)
    reminder = Reminder.objects.get(patient=pat)
    assert body["type"] == "reminder.due"
    assert body["data"]["patient_id"] == pat.pk
    assert body["data"]["reminder_id"] == reminder.pk
    assert body["data"]["slot_on"] == pat.next_reminder_on.isoformat()
    assert item.headers["webhook-id"] == webhook.webhook_id
    pat.refresh_from_db()
    assert pat.next_reminder_at > timezone.now()
