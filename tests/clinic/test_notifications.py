"""The outbox: delivery by email and signed webhook, retries, claims, re-drive, overdue."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from clinic.models import DeliveryAttempt, Notification
from clinic.notifications import (
    notification_claim,
    notification_deliver,
    notification_enqueue,
    notifications_redrive_due,
)
from patients.models import Escalation
from patients.services import EvidenceInput, escalation_raise, escalations_escalate_overdue

pytestmark = pytest.mark.django_db


def raise_(patient, code="red_flag_emergency", severity="critical"):
    with transaction.atomic():
        return escalation_raise(
            patient=patient,
            code=code,
            evidence=EvidenceInput(
                severity=severity,
                rationale="calf pain and swelling",
                values={"symptoms": ["calf_pain_swelling"]},
            ),
        )


def test_an_opened_escalation_writes_email_and_webhook_rows(pat, clinic_a_webhook):
    change = raise_(pat)
    rows = Notification.objects.order_by("channel")
    assert [(n.channel, n.event_type, n.recipient) for n in rows] == [
        ("email", "escalation.opened", pat.therapist.email),
        ("webhook", "escalation.opened", clinic_a_webhook.webhook_url),
    ]
    payload = rows[0].payload
    assert payload["escalation_id"] == change.escalation.pk
    assert payload["code"] == "red_flag_emergency"
    # Ids and codes only: no names, no rationale, no clinical values.
    text = str(payload)
    assert "Pat" not in text and "calf pain" not in text and "symptoms" not in text


def test_webhook_arrives_signed_and_verifies(pat, clinic_a_webhook, receiver):
    raise_(pat)
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "success"
    (item,) = receiver.received
    body = receiver.verify(clinic_a_webhook.webhook_secret, item)
    assert body["type"] == "escalation.opened"
    assert body["data"]["severity"] == "critical"
    assert item.headers["webhook-id"] == webhook.webhook_id
    webhook.refresh_from_db()
    assert webhook.sent_at is not None and webhook.attempts == 1


def test_email_goes_to_the_therapist_without_clinical_details(pat):
    raise_(pat)
    email = Notification.objects.get(channel="email")
    assert notification_deliver(notification_id=email.pk) == "success"
    (message,) = mail.outbox
    assert message.to == [pat.therapist.email]
    assert "critical" in message.subject and "red_flag_emergency" in message.subject
    assert "Pat" not in message.body and "calf pain" not in message.body


def test_an_event_without_its_own_email_text_gets_the_plain_staff_email(pat, settings):
    settings.STRIDE_PUBLIC_URL = "https://stride.example"
    row = notification_enqueue(
        clinic=pat.clinic,
        channel="email",
        target="person",
        event_type="caseload.reviewed",
        recipient="oncall@example.com",
        payload={"clinic_id": pat.clinic_id, "patient_id": pat.pk},
    )
    assert row is not None
    assert notification_deliver(notification_id=row.pk) == "success"
    (message,) = mail.outbox
    assert message.subject == "[Stride] caseload.reviewed"
    assert message.body == (
        f"caseload.reviewed\n\nclinic id: {pat.clinic_id}\npatient id: {pat.pk}\n\n"
        "Review it in Stride: https://stride.example\n\n"
        "Stride is decision support, not diagnosis."
    )


def test_500_then_200_retries_and_records_one_success(pat, clinic_a_webhook, receiver, settings):
    settings.STRIDE_DELIVERY_BACKOFF_SECONDS = 0
    receiver.script = [500, 503]
    raise_(pat)
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "transient"
    assert notification_deliver(notification_id=webhook.pk) == "transient"
    assert notification_deliver(notification_id=webhook.pk) == "success"
    attempts = list(DeliveryAttempt.objects.filter(notification=webhook).order_by("number"))
    assert [(a.outcome, a.http_status) for a in attempts] == [
        ("transient", 500),
        ("transient", 503),
        ("success", 200),
    ]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    webhook.refresh_from_db()
    assert webhook.sent_at is not None


def test_transient_failure_waits_with_backoff(pat, clinic_a_webhook, receiver):
    receiver.script = [502]
    raise_(pat)
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "transient"
    webhook.refresh_from_db()
    assert webhook.due_at > timezone.now() + timedelta(seconds=25)
    # Not due yet: a re-drive or a duplicate task leaves it alone.
    assert notification_deliver(notification_id=webhook.pk) is None
    assert len(receiver.received) == 1


def test_4xx_stops_for_good(pat, clinic_a_webhook, receiver):
    receiver.script = [410]
    raise_(pat)
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "permanent"
    webhook.refresh_from_db()
    assert webhook.failed_at is not None and webhook.last_error == "HTTP 410"
    assert notification_deliver(notification_id=webhook.pk) is None
    assert len(receiver.received) == 1


def test_unreachable_receiver_is_transient(pat, clinic_a):
    clinic_a.webhook_url = "http://127.0.0.1:9/closed"
    clinic_a.webhook_secret = "whsec_" + "A" * 44
    clinic_a.save()
    raise_(pat)
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "transient"
    assert DeliveryAttempt.objects.get().error.startswith("URLError")


def test_attempts_run_out(pat, clinic_a_webhook, receiver, settings):
    settings.STRIDE_DELIVERY_BACKOFF_SECONDS = 0
    settings.STRIDE_DELIVERY_MAX_ATTEMPTS = 2
    receiver.script = [500, 500, 500]
    raise_(pat)
    webhook = Notification.objects.get(channel="webhook")
    assert notification_deliver(notification_id=webhook.pk) == "transient"
    assert notification_deliver(notification_id=webhook.pk) == "permanent"
    webhook.refresh_from_db()
    assert webhook.failed_at is not None


def test_only_one_worker_wins_the_claim(pat):
    raise_(pat)
    email = Notification.objects.get(channel="email")
    assert notification_claim(notification_id=email.pk, worker="w1") is not None
    assert notification_claim(notification_id=email.pk, worker="w2") is None


def test_an_expired_lease_is_redriven(pat, settings):
    raise_(pat)
    email = Notification.objects.get(channel="email")
    notification_claim(notification_id=email.pk, worker="died")
    assert notification_deliver(notification_id=email.pk) is None  # lease still live
    Notification.objects.filter(pk=email.pk).update(lease_until=timezone.now())
    assert notification_deliver(notification_id=email.pk) == "success"


def test_redrive_queues_due_unsent_rows_only(pat, settings):
    raise_(pat)
    first, *_ = Notification.objects.all()
    Notification.objects.filter(pk=first.pk).update(sent_at=timezone.now())
    assert notifications_redrive_due() == Notification.objects.count() - 1


def test_same_code_again_adds_evidence_and_notifies_only_on_upgrade(pat):
    first = raise_(pat, code="pain_rising", severity="moderate")
    again = raise_(pat, code="pain_rising", severity="moderate")
    assert first.opened and not again.opened and not again.notify
    upgraded = raise_(pat, code="pain_rising", severity="high")
    assert upgraded.upgraded
    escalation = Escalation.objects.get()
    assert (escalation.occurrences, escalation.severity) == (3, "high")
    assert escalation.evidence.count() == 3
    events = list(Notification.objects.values_list("event_type", flat=True))
    assert sorted(events) == ["escalation.opened", "escalation.upgraded"]


def test_overdue_escalation_notifies_on_call_once(pat, clinic_a):
    raise_(pat)
    later = timezone.now() + timedelta(minutes=16)
    assert escalations_escalate_overdue(now=later) == 1
    assert escalations_escalate_overdue(now=later) == 0
    overdue = Notification.objects.filter(event_type="escalation.overdue")
    assert [n.recipient for n in overdue] == clinic_a.oncall_emails


def test_acknowledged_escalation_is_not_overdue(pat, alice):
    from patients.services import escalation_acknowledge

    change = raise_(pat)
    escalation_acknowledge(escalation=change.escalation, by=alice)
    assert escalations_escalate_overdue(now=timezone.now() + timedelta(hours=1)) == 0
