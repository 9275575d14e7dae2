"""The escalation inbox and an escalation's own page: order, time left, evidence in words,
acknowledge in one click, resolve with a required note, tenancy, audit, query counts, and
the links emails and webhooks carry."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clinic.models import AuditEvent, Notification
from clinic.notifications import notification_deliver
from patients.models import Escalation
from tests.console.conftest import check_in, raise_escalation, session_client
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

INBOX = "/console/escalations/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/console/escalations/\d+/">([^<]+)</a></h2>', html)


def test_inbox_orders_by_severity_then_deadline(alice_console, alice, pat, quinn):
    now = timezone.now()
    raise_escalation(pat, code="pain_rising", severity="moderate", at=now - timedelta(hours=1))
    raise_escalation(quinn, code="pain_severe", severity="high", at=now - timedelta(hours=1))
    raise_escalation(pat, code="limping", severity="high", at=now - timedelta(hours=3))
    check_in(quinn, now - timedelta(minutes=20), symptoms=["calf_pain_swelling"])
    html = alice_console.get(INBOX).content.decode()
    assert titles(html)[0].startswith("Red flag")
    assert titles(html)[1:] == ["Limping", "Pain severe", "Pain rising"]


def test_time_left_and_overdue_in_words(alice_console, pat, quinn):
    now = timezone.now()
    raise_escalation(pat, code="pain_severe", severity="high", at=now - timedelta(hours=5))
    raise_escalation(quinn, code="limping", severity="high", at=now - timedelta(hours=1))
    html = alice_console.get(INBOX).content.decode()
    assert re.search(
        r'<strong class="deadline overdue">Overdue: not acknowledged, overdue by 1 h', html
    )
    assert re.search(r'<strong class="deadline">(2 h 59 min|3 h) left to acknowledge', html)


def test_evidence_and_rationale_in_words(alice_console, alice, pat):
    now = timezone.now()
    for days_ago in (3, 2, 1):
        check_in(pat, now - timedelta(days=days_ago), pain_rest=3)
    check_in(pat, now - timedelta(minutes=5), pain_rest=7)
    escalation = Escalation.objects.get(patient=pat, code="pain_rising")
    inbox = alice_console.get(INBOX).content.decode()
    assert "Pain 7 vs baseline 3 (+4, MCID 2)" in inbox
    page = alice_console.get(f"{INBOX}{escalation.pk}/").content.decode()
    assert "Pain 7 vs baseline 3 (+4, MCID 2)" in page
    assert "peak pain 7;" in page and "baseline 3;" in page
    # A red flag's evidence names its symptoms as the symptom list does.
    check_in(pat, now - timedelta(minutes=1), symptoms=["hot_swollen_knee_fever"])
    red_flag = Escalation.objects.get(patient=pat, code="red_flag_emergency")
    page = alice_console.get(f"{INBOX}{red_flag.pk}/").content.decode()
    assert "Emergency symptom reported: hot, swollen knee with fever</td>" in page
    assert "symptoms (Hot, swollen knee with fever)" in page


def test_acknowledge_in_one_click_swaps_the_row(alice_console, alice, pat):
    escalation = raise_escalation(pat)
    url = f"{INBOX}{escalation.pk}/acknowledge/"
    response = alice_console.post(url, {"from": "inbox"}, **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<li class="esc sev-high" id="escalation-{escalation.pk}"')
    assert "Acknowledged" in row and ">Acknowledge<" not in row and "Alice" in row
    escalation.refresh_from_db()
    assert escalation.status == "acknowledged" and escalation.acknowledged_by == alice
    assert AuditEvent.objects.filter(
        actor=alice, action="acknowledge", object_type="escalation", patient_id=pat.pk
    ).exists()
    # Twice is refused in words, not a crash.
    again = alice_console.post(url, {"from": "inbox"}, **HTMX)
    assert again.status_code == 422
    assert (
        "An escalation that is acknowledged cannot become acknowledged." in again.content.decode()
    )


def test_acknowledge_without_javascript_returns_to_the_page(alice_console, pat):
    escalation = raise_escalation(pat)
    response = alice_console.post(f"{INBOX}{escalation.pk}/acknowledge/")
    assert response.status_code == 302 and response["Location"] == f"{INBOX}{escalation.pk}/"
    page = alice_console.get(response["Location"]).content.decode()
    assert "Acknowledged: Pain severe." in page


def test_resolve_needs_a_note_said_in_plain_words(alice_console, pat):
    escalation = raise_escalation(pat)
    url = f"{INBOX}{escalation.pk}/resolve/"
    for client_kwargs, data in (({}, {"note": "   "}), (HTMX, {"note": "", "from": "inbox"})):
        response = alice_console.post(url, data, **client_kwargs)
        assert response.status_code == 422
        html = response.content.decode()
        assert "Write a note before resolving: what you did or decided." in html
        assert 'aria-invalid="true"' in html
    inbox = alice_console.post(url, {"note": "", "from": "inbox"})
    assert inbox.status_code == 422 and "Write a note before resolving" in inbox.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == "open"


def test_resolve_with_a_note_takes_it_out_of_the_inbox(alice_console, alice, pat):
    escalation = raise_escalation(pat)
    response = alice_console.post(
        f"{INBOX}{escalation.pk}/resolve/", {"note": "Called; settled.", "from": "inbox"}, **HTMX
    )
    assert response.status_code == 200
    assert "Resolved: Pain severe for Pat Pending." in response.content.decode()
    escalation.refresh_from_db()
    assert (escalation.status, escalation.resolution_note) == ("resolved", "Called; settled.")
    assert titles(alice_console.get(INBOX).content.decode()) == []
    page = alice_console.get(f"{INBOX}{escalation.pk}/").content.decode()
    assert "Called; settled." in page and "Resolved" in page
    assert AuditEvent.objects.filter(actor=alice, action="resolve", patient_id=pat.pk).exists()


def test_the_escalation_page_is_audited(alice_console, alice, pat):
    escalation = raise_escalation(pat)
    assert alice_console.get(f"{INBOX}{escalation.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=alice, action="retrieve", object_type="escalation", object_id=str(escalation.pk)
    ).exists()


def test_another_clinics_escalation_is_a_404_and_stays_as_it_was(carol_console, pat):
    escalation = raise_escalation(pat)
    base = f"{INBOX}{escalation.pk}/"
    assert carol_console.get(base).status_code == 404
    assert "Pat Pending" not in carol_console.get(base).content.decode()
    assert carol_console.post(f"{base}acknowledge/").status_code == 404
    assert carol_console.post(f"{base}resolve/", {"note": "x"}).status_code == 404
    assert carol_console.post(f"{base}resolve/", {"note": "x"}, **HTMX).status_code == 404
    assert titles(carol_console.get(INBOX).content.decode()) == []
    assert carol_console.get(f"{INBOX}?patient={pat.pk}").content.decode().count("esc sev-") == 0
    escalation.refresh_from_db()
    assert escalation.status == "open"


def test_a_missing_escalation_is_the_same_404(alice_console):
    assert alice_console.get(f"{INBOX}999999/").status_code == 404


@pytest.mark.parametrize("count", [3, 12])
def test_inbox_query_count_does_not_grow(alice, count, django_assert_num_queries):
    for i in range(count):
        raise_escalation(PatientFactory(therapist=alice), code=f"code_{i % 3}")
    client = session_client(alice)
    client.get(INBOX)
    # session, user, clinic, escalations with patients, their evidence, the audit INSERT
    with django_assert_num_queries(6):
        response = client.get(INBOX)
    assert len(titles(response.content.decode())) == count


def test_email_and_webhook_link_to_the_console_page(pat, clinic_a_webhook, receiver, settings):
    settings.STRIDE_PUBLIC_URL = "http://127.0.0.1:8123"
    escalation = raise_escalation(pat, code="red_flag_emergency", severity="critical")
    link = f"http://127.0.0.1:8123/console/escalations/{escalation.pk}/"
    for row in Notification.objects.filter(payload__escalation_id=escalation.pk):
        assert notification_deliver(notification_id=row.pk) == "success"
    (email,) = mail.outbox
    assert f"Review it in Stride: {link}" in email.body
    assert "/api/v1/" not in email.body
    (delivered,) = receiver.received
    assert f'"url":"{link}"' in delivered.body.decode()
