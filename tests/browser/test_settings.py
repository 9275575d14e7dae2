"""Clinic settings and the exercise library in Chromium: an admin points the clinic endpoint
at a real local receiver, copies the secret shown once, sends a test event and sees it
delivered in the delivery log; "hamstring" in the library's search finds the hamstring
exercises.

Delivery runs in the test process: the test calls `notification_deliver` (what the worker's
task calls) for the queued row instead of waiting for a Celery worker."""

import json

import pytest
from playwright.sync_api import Page, expect

from clinic.models import Notification
from clinic.notifications import notification_deliver
from tests.browser.conftest import sign_in
from tests.console.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_admin_sends_a_test_event_and_sees_it_delivered(page: Page, live_server, ada, receiver):
    sign_in(page, live_server.url, ada.email, PASSWORD)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Webhooks").click()
    endpoint = page.locator("section", has=page.get_by_role("heading", name="Clinic endpoint"))
    endpoint.get_by_label("URL").fill(receiver.url)
    endpoint.get_by_role("button", name="Save URL").click()
    expect(page.get_by_text("shown this once")).to_be_visible()
    secret = endpoint.locator(".secret code").inner_text()
    assert secret.startswith("whsec_")

    endpoint.get_by_role("button", name="Send test event").click()
    expect(page.get_by_text("a test event is on its way")).to_be_visible()
    log = page.locator("table.delivery-log")
    expect(log).to_contain_text("webhook.test")
    expect(log).to_contain_text("Queued")

    row = Notification.objects.get(event_type="webhook.test")
    assert notification_deliver(notification_id=row.pk) == "success"
    page.reload()
    expect(log.locator("tbody tr").first).to_contain_text("Delivered")
    expect(log.locator("tbody tr").first).to_contain_text("HTTP 200")

    assert len(receiver.received) == 1
    event = receiver.verify(secret, receiver.received[0])
    assert event["type"] == "webhook.test"
    assert json.loads(receiver.received[0].body)["data"]["clinic_id"] == ada.clinic_id


def test_hamstring_finds_the_hamstring_exercises(page: Page, live_server, alice):
    sign_in(page, live_server.url, alice.email, PASSWORD)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Exercises").click()
    page.get_by_label("Search name or muscle").fill("hamstring")
    page.get_by_role("button", name="Search").click()
    cards = page.locator(".library .exercise")
    expect(cards.filter(has_text="Sliding leg curl")).to_have_count(1)
    expect(cards.filter(has_text="Single-leg Romanian deadlift")).to_have_count(1)
    expect(cards.filter(has_text="Wall sit")).to_have_count(0)
    expect(cards.first.locator(".tag.muscle", has_text="Hamstrings")).to_be_visible()
    expect(cards.filter(has_text="Sliding leg curl")).to_contain_text("Lie on your back")
