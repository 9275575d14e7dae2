"""A hung broker (Redis frozen with SIGSTOP, so connections open and nothing answers) must not
hold up a check-in: gunicorn serves the app on a private redis-server used as broker and cache,
and every answer comes in under a second. The notifications are delivered once Redis is back.
"""

import http.client
import json
import time
import uuid
from typing import Any

import pytest
from django.utils import timezone

from clinic.models import Notification
from clinic.notifications import notifications_redrive_due
from patients.auth import token_digest
from patients.models import Escalation
from tests.conftest import patient_token
from tests.factories import PatientFactory
from tests.processes import PrivateRedis, Server, Worker, broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

URL = "/api/v1/app/check-ins/"


def check_in(server: Server, token: str, **fields: Any) -> tuple[int, dict[str, Any], float]:
    body = {"recorded_at": timezone.now().isoformat(), "pain_rest": 2, "symptoms": [], **fields}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    started = time.monotonic()
    connection.request(
        "POST",
        URL,
        body=json.dumps(body),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        },
    )
    response = connection.getresponse()
    data = json.loads(response.read() or b"{}")
    took = time.monotonic() - started
    connection.close()
    return response.status, data, took


def test_check_ins_answer_within_a_second_while_the_broker_is_frozen(
    alice, clinic_a_webhook, receiver
):
    redis = PrivateRedis().start()
    server = Server(redis.url).start()
    worker: Worker | None = None
    try:
        warm, plain, flagged = (patient_token(PatientFactory(therapist=alice)) for _ in range(3))
        # Connections to Redis are open and pooled, as on a server that has been running.
        status, _, _ = check_in(server, warm)
        assert status == 201, server.output()

        redis.freeze()
        status, body, took = check_in(server, plain)
        assert status == 201, body
        assert took < 1.0, f"a plain check-in waited {took:.1f} s on the frozen broker"

        status, body, took = check_in(
            server,
            flagged,
            pain_rest=9,
            symptoms=["calf_pain_swelling", "locking", "limping"],
        )
        assert status == 201, body
        assert took < 1.0, f"a check-in with escalations waited {took:.1f} s"
        escalations = Escalation.objects.filter(patient__tokens__digest=token_digest(flagged))
        assert escalations.count() >= 3
        webhooks = Notification.objects.filter(channel="webhook")
        assert webhooks.count() == escalations.count()
        assert not Notification.objects.filter(sent_at__isnull=False).exists()

        # Redis answers again; the re-drive (beat, every 30 s) queues what was not queued.
        redis.thaw()
        worker = Worker(redis.url).start()
        with broker(redis.url):
            notifications_redrive_due()
        assert wait_for(
            lambda: not Notification.objects.filter(sent_at__isnull=True).exists(), timeout=20
        ), list(Notification.objects.values_list("event_type", "channel", "attempts"))
        delivered = {
            receiver.verify(clinic_a_webhook.webhook_secret, r)["data"]["escalation_id"]
            for r in receiver.successes()
        }
        assert delivered == set(escalations.values_list("pk", flat=True))
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
        redis.stop()
