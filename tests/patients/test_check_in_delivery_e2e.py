"""End to end with real processes: a Celery worker on Redis delivers what check-ins raise.

Faults: the broker down while check-ins arrive, a worker killed mid-delivery, a receiver
that fails first. Each uses a redis-server of its own where it needs to stop one.
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from clinic.models import DeliveryAttempt, Notification
from clinic.notifications import notifications_redrive_due
from tests.conftest import patient_client
from tests.factories import PatientFactory
from tests.processes import PrivateRedis, Worker, broker, purge, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

URL = "/api/v1/app/check-ins/"


def red_flag(client, symptom="calf_pain_swelling"):
    started = time.monotonic()
    response = client.post(
        URL,
        {"recorded_at": timezone.now().isoformat(), "pain_rest": 3, "symptoms": [symptom]},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    return response, time.monotonic() - started


@pytest.fixture
def worker_factory():
    workers: list[Worker] = []

    def start(broker_url: str, **env: str) -> Worker:
        worker = Worker(broker_url, env=env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def test_red_flag_reaches_the_clinic_as_a_signed_webhook_within_5_s(
    pat, clinic_a_webhook, receiver, worker_factory
):
    purge(settings.CELERY_BROKER_URL)
    worker_factory(settings.CELERY_BROKER_URL)
    response, _ = red_flag(patient_client(pat))
    assert response.status_code == 201
    sent = time.monotonic()
    assert receiver.arrived.wait(5), "no webhook within 5 s"
    assert time.monotonic() - sent < 5
    item = receiver.received[0]
    body = receiver.verify(clinic_a_webhook.webhook_secret, item)
    assert body["type"] == "escalation.opened"
    assert body["data"]["code"] == "red_flag_emergency"
    assert body["data"]["patient_id"] == pat.pk
    webhook = Notification.objects.get(channel="webhook")
    assert wait_for(lambda: Notification.objects.get(pk=webhook.pk).sent_at, timeout=5)


def test_broker_down_check_ins_still_answer_promptly_and_deliver_later(
    clinic_a_webhook, alice, receiver, worker_factory
):
    redis = PrivateRedis().start()
    try:
        with broker(redis.url):
            redis.stop()
            patients = [PatientFactory(therapist=alice) for _ in range(3)]
            for patient in patients:
                response, took = red_flag(patient_client(patient))
                assert response.status_code == 201, response.content
                assert took < 2.0, f"a check-in waited {took:.1f} s on the broker"
            webhooks = Notification.objects.filter(channel="webhook")
            assert webhooks.count() == 3
            assert not webhooks.filter(sent_at__isnull=False).exists()

            redis.start()
            worker_factory(redis.url)
            assert notifications_redrive_due() >= 3
            assert wait_for(lambda: len(receiver.successes()) >= 3, timeout=15)
        delivered = {
            receiver.verify(clinic_a_webhook.webhook_secret, r)["data"]["patient_id"]
            for r in receiver.successes()
        }
        assert delivered == {p.pk for p in patients}
        assert wait_for(lambda: not webhooks.filter(sent_at__isnull=True).exists(), timeout=5)
    finally:
        redis.stop()


def test_worker_killed_mid_delivery_still_delivers_with_the_same_webhook_id(
    pat, clinic_a_webhook, receiver, worker_factory, settings
):
    purge(settings.CELERY_BROKER_URL)
    receiver.delay_seconds = 3
    first = worker_factory(settings.CELERY_BROKER_URL, STRIDE_DELIVERY_LEASE_SECONDS="2")
    response, _ = red_flag(patient_client(pat))
    assert response.status_code == 201
    assert receiver.started.wait(5), "the worker never called the receiver"
    first.kill()
    webhook = Notification.objects.get(channel="webhook")
    assert Notification.objects.get(pk=webhook.pk).sent_at is None

    receiver.delay_seconds = 0
    worker_factory(settings.CELERY_BROKER_URL, STRIDE_DELIVERY_LEASE_SECONDS="2")
    time.sleep(2.1)  # the dead worker's lease runs out
    assert notifications_redrive_due() >= 1
    assert wait_for(lambda: Notification.objects.get(pk=webhook.pk).sent_at, timeout=10)
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert ids == {webhook.webhook_id}
    assert DeliveryAttempt.objects.filter(notification=webhook, outcome="success").count() == 1


def test_receiver_500_then_200_records_one_success(
    pat, clinic_a_webhook, receiver, worker_factory, settings
):
    purge(settings.CELERY_BROKER_URL)
    receiver.script = [500]
    worker_factory(settings.CELERY_BROKER_URL, STRIDE_DELIVERY_BACKOFF_SECONDS="0")
    red_flag(patient_client(pat))
    webhook = wait_for(
        lambda: Notification.objects.filter(channel="webhook", attempts__gte=1).first(), timeout=5
    )
    assert webhook is not None and webhook.sent_at is None
    Notification.objects.filter(pk=webhook.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    notifications_redrive_due()
    assert wait_for(lambda: Notification.objects.get(pk=webhook.pk).sent_at, timeout=10)
    outcomes = list(
        DeliveryAttempt.objects.filter(notification=webhook)
        .order_by("number")
        .values_list("outcome", "http_status")
    )
    assert outcomes == [("transient", 500), ("success", 200)]
