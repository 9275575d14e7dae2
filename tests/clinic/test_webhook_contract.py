"""The webhook contract of docs/webhooks.md, held to what Stride sends: the
body and headers it documents, the same id on a retry, and its verification example, run as
printed against a real delivery."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import WebhookVerificationError

from clinic.models import Notification
from clinic.notifications import notification_deliver
from patients.services import EvidenceInput, escalation_raise

pytestmark = pytest.mark.django_db

WEBHOOKS_DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
DOCUMENTED_DATA = {
    "event",
    "escalation_id",
    "patient_id",
    "clinic_id",
    "code",
    "severity",
    "status",
    "opened_at",
    "acknowledge_by",
    "occurrences",
    "url",
}


def documented_example() -> dict:
    text = WEBHOOKS_DOC.read_text()
    section = text[text.index("## Verifying") :]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)[:1]
    namespace: dict = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)  # noqa: S102 - our own docs
    return namespace


@pytest.fixture
def delivered(pat, clinic_a_webhook, receiver):
    with transaction.atomic():
        escalation_raise(
            patient=pat,
            code="red_flag_emergency",
            evidence=EvidenceInput(severity="critical", rationale="calf pain and swelling"),
        )
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "success"
    (item,) = receiver.received
    return item


def test_the_body_and_headers_are_as_documented(delivered, pat, clinic_a_webhook):
    body = json.loads(delivered.body)
    assert set(body) == {"type", "timestamp", "data"}
    assert body["type"] == "escalation.opened"
    assert set(body["data"]) == DOCUMENTED_DATA
    assert body["data"]["patient_id"] == pat.pk
    assert delivered.headers["content-type"] == "application/json"
    assert delivered.headers["user-agent"] == "Stride-Webhooks/1.0"
    assert delivered.headers["webhook-signature"].startswith("v1,")
    assert abs(int(delivered.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert "Pat" not in delivered.body.decode() and "calf" not in delivered.body.decode()


def test_the_documented_example_verifies_a_delivery_and_drops_its_duplicate(
    delivered, clinic_a_webhook
):
    stride_event = documented_example()["stride_event"]
    seen: set[str] = set()
    headers = {k.title(): v for k, v in delivered.headers.items()}  # any header case
    event = stride_event(delivered.body, headers, clinic_a_webhook.webhook_secret, seen)
    assert event["type"] == "escalation.opened"
    assert stride_event(delivered.body, headers, clinic_a_webhook.webhook_secret, seen) is None


def test_the_documented_example_refuses_a_tampered_body_or_another_secret(
    delivered, clinic_a_webhook
):
    from clinic.notifications import webhook_secret_generate

    stride_event = documented_example()["stride_event"]
    tampered = delivered.body.replace(b"critical", b"low")
    with pytest.raises(WebhookVerificationError):
        stride_event(tampered, delivered.headers, clinic_a_webhook.webhook_secret, set())
    with pytest.raises(WebhookVerificationError):
        stride_event(delivered.body, delivered.headers, webhook_secret_generate(), set())


def test_a_retry_carries_the_same_webhook_id(pat, clinic_a_webhook, receiver):
    receiver.script = [503]
    with transaction.atomic():
        escalation_raise(
            patient=pat,
            code="red_flag_emergency",
            evidence=EvidenceInput(severity="critical", rationale="calf pain and swelling"),
        )
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "transient"
    Notification.objects.filter(pk=webhook.pk).update(due_at=timezone.now() - timedelta(1))
    assert notification_deliver(notification_id=webhook.pk) == "success"
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == webhook.webhook_id
    assert first.body == second.body
