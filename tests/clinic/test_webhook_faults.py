"""Receivers that misbehave, played by real local HTTP servers: one that redirects, one that
trickles its answer a header line at a time."""

import time

import pytest
from django.db import transaction

from clinic.models import DeliveryAttempt, Notification
from clinic.notifications import notification_deliver
from patients.services import EvidenceInput, escalation_raise
from tests.factories import StaffFactory
from tests.receiver import TricklingReceiver, start_trickling_receiver

pytestmark = pytest.mark.django_db


def raise_red_flag(patient):
    with transaction.atomic():
        escalation_raise(
            patient=patient,
            code="red_flag_emergency",
            evidence=EvidenceInput(
                severity="critical",
                rationale="calf pain and swelling",
                values={"symptoms": ["calf_pain_swelling"]},
            ),
        )
    return Notification.objects.get(channel="webhook")


def test_a_redirect_is_a_permanent_failure_that_names_its_location(pat, clinic_a_webhook, receiver):
    moved_to = receiver.url.replace("/hooks", "/moved")
    receiver.script = [301]
    receiver.location = moved_to
    webhook = raise_red_flag(pat)

    assert notification_deliver(notification_id=webhook.pk) == "permanent"

    # One POST, answered 301; no bodiless GET to the new address counted as delivered.
    assert [(r.path, r.headers.get("x-method", "POST")) for r in receiver.received] == [
        ("/hooks", "POST")
    ]
    (attempt,) = DeliveryAttempt.objects.filter(notification=webhook)
    assert (attempt.outcome, attempt.http_status) == ("permanent", 301)
    assert moved_to in attempt.error
    webhook.refresh_from_db()
    assert webhook.sent_at is None and webhook.failed_at is not None
    assert moved_to in webhook.last_error


@pytest.fixture
def trickler():
    yield from start_trickling_receiver(TricklingReceiver(interval=0.4, seconds=8))


def test_a_trickling_receiver_is_cut_off_at_the_deadline_and_counted(
    pat, clinic_a_webhook, trickler, settings
):
    settings.STRIDE_WEBHOOK_TIMEOUT_SECONDS = 1.0  # each line comes well within it
    settings.STRIDE_WEBHOOK_DEADLINE_SECONDS = 1.5
    settings.STRIDE_DELIVERY_MAX_ATTEMPTS = 2
    settings.STRIDE_DELIVERY_BACKOFF_SECONDS = 0
    clinic_a_webhook.webhook_url = trickler.url
    clinic_a_webhook.save(update_fields=["webhook_url"])
    webhook = raise_red_flag(pat)

    started = time.monotonic()
    assert notification_deliver(notification_id=webhook.pk) == "transient"
    took = time.monotonic() - started
    assert took < 3, f"the attempt took {took:.1f} s"
    webhook.refresh_from_db()
    assert webhook.attempts == 1 and webhook.sent_at is None

    # The second attempt is the last one allowed: the row fails for good, every try recorded.
    assert notification_deliver(notification_id=webhook.pk) == "permanent"
    attempts = list(DeliveryAttempt.objects.filter(notification=webhook).order_by("number"))
    assert [(a.number, a.outcome, a.http_status) for a in attempts] == [
        (1, "transient", None),
        (2, "transient", None),
    ]
    assert all("Deadline" in a.error for a in attempts)
    webhook.refresh_from_db()
    assert webhook.failed_at is not None and webhook.sent_at is None
    assert trickler.requests == 2 and trickler.completed == 0


def test_the_clinic_admin_sees_the_redirect_and_its_location(
    pat, clinic_a_webhook, receiver, client, ada, clinic_b
):
    moved_to = receiver.url.replace("/hooks", "/moved")
    receiver.script = [308]
    receiver.location = moved_to
    webhook = raise_red_flag(pat)
    notification_deliver(notification_id=webhook.pk)

    client.force_login(ada)
    listing = client.get("/admin/clinic/notification/?channel=webhook")
    assert listing.status_code == 200
    assert moved_to in listing.content.decode()
    page = client.get(f"/admin/clinic/notification/{webhook.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "HTTP 308" in text and moved_to in text

    other_admin = StaffFactory(clinic=clinic_b, role="admin", is_staff=True)
    client.force_login(other_admin)
    assert moved_to not in client.get("/admin/clinic/notification/").content.decode()
    assert client.get(f"/admin/clinic/notification/{webhook.pk}/change/").status_code in (302, 404)
