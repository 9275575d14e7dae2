"""Signing in and out of the console: the session, the API's lockout, CSRF, idle timeout, and
who gets the sign-in page instead of a page."""

import time

import pytest
from django.test import Client

from tests.console.conftest import PASSWORD, raise_escalation

pytestmark = pytest.mark.django_db

SIGN_IN = "/console/sign-in/"


def sign_in(client: Client, email: str, password: str, **extra: str):
    return client.post(SIGN_IN, {"email": email, "password": password, **extra})


def test_anonymous_visitors_get_the_sign_in_page(visitor, pat):
    escalation = raise_escalation(pat)
    for url in ("/console/", "/console/escalations/", f"/console/escalations/{escalation.pk}/"):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?next={url}"
    page = visitor.get(SIGN_IN)
    assert page.status_code == 200
    assert b'<label for="id_email">Email</label>' in page.content
    assert b'<label for="id_password">Password</label>' in page.content


def test_the_site_root_leads_to_the_console(visitor):
    response = visitor.get("/")
    assert response.status_code == 302 and response["Location"] == "/console/"


def test_sign_in_with_email_and_password_opens_the_caseload(visitor, alice, pat):
    response = sign_in(visitor, " Alice@A.test ", PASSWORD, next="/console/escalations/")
    assert response.status_code == 302 and response["Location"] == "/console/escalations/"
    page = visitor.get("/console/")
    assert page.status_code == 200
    assert b"Pat Pending" in page.content


def test_a_wrong_password_is_said_in_words(visitor, alice):
    response = sign_in(visitor, "alice@a.test", "not-the-password")
    assert response.status_code == 400
    assert b"Email or password is wrong." in response.content
    assert visitor.get("/console/").status_code == 302


def test_next_never_leads_off_the_console(visitor, alice):
    response = sign_in(visitor, "alice@a.test", PASSWORD, next="https://evil.test/console/")
    assert response["Location"] == "/console/"


def test_five_failures_lock_the_email_even_with_the_right_password(visitor, alice, bob):
    for _ in range(4):
        assert sign_in(visitor, "alice@a.test", "wrong-wrong").status_code == 400
    locked = sign_in(visitor, "alice@a.test", "wrong-wrong")
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts for this email" in locked.content
    assert locked["Content-Type"].startswith("text/html")
    again = sign_in(visitor, "alice@a.test", PASSWORD)
    assert again.status_code == 429
    assert visitor.get("/console/").status_code == 302
    # The API's sign-in is locked for the same email.
    api = Client().post(
        "/api/v1/auth/login/",
        {"email": "alice@a.test", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 429


def test_platform_accounts_without_a_clinic_have_no_console(visitor, alice):
    from clinic.models import StaffUser

    StaffUser.objects.create_superuser("root@stride.test", "a-long-root-password")
    response = sign_in(visitor, "root@stride.test", "a-long-root-password")
    assert response.status_code == 400
    assert b"belongs to no clinic" in response.content


def test_every_form_needs_its_csrf_token(alice, pat):
    client = Client(enforce_csrf_checks=True)
    refused = client.post(SIGN_IN, {"email": "alice@a.test", "password": PASSWORD})
    assert refused.status_code == 403
    page = client.get(SIGN_IN)
    token = page.cookies["csrftoken"].value
    signed_in = client.post(
        SIGN_IN, {"email": "alice@a.test", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert signed_in.status_code == 302
    escalation = raise_escalation(pat)
    acknowledge = f"/console/escalations/{escalation.pk}/acknowledge/"
    assert client.post(acknowledge).status_code == 403
    escalation.refresh_from_db()
    assert escalation.status == "open"


def test_sign_out_is_a_post_and_ends_the_session(alice_console):
    assert alice_console.get("/console/sign-out/").status_code == 405
    response = alice_console.post("/console/sign-out/", follow=True)
    assert b"You are signed out." in response.content
    assert alice_console.get("/console/").status_code == 302


def test_idle_sessions_are_signed_out_with_a_message(alice_console, settings, monkeypatch):
    settings.STRIDE_CONSOLE_IDLE_SECONDS = 60
    assert alice_console.get("/console/").status_code == 200
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    response = alice_console.get("/console/")
    assert response.status_code == 302
    page = alice_console.get(response["Location"])
    assert b"You were signed out for inactivity" in page.content
    assert alice_console.get("/console/").status_code == 302


def test_the_automatic_refresh_does_not_keep_a_session_alive(alice_console, settings, monkeypatch):
    settings.STRIDE_CONSOLE_IDLE_SECONDS = 60
    start = time.time()
    assert alice_console.get("/console/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 50)
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_X_CONSOLE_POLL": "1"}
    assert alice_console.get("/console/", **poll).status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 100)
    expired = alice_console.get("/console/", **poll)
    # htmx is told to load the sign-in page as a whole page.
    assert expired.status_code == 200 and expired["HX-Redirect"] == SIGN_IN


def test_a_request_of_the_therapists_own_keeps_it_alive(alice_console, settings, monkeypatch):
    settings.STRIDE_CONSOLE_IDLE_SECONDS = 60
    start = time.time()
    assert alice_console.get("/console/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 50)
    assert alice_console.get("/console/escalations/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 100)
    assert alice_console.get("/console/").status_code == 200


def test_unknown_console_paths_are_the_consoles_404_page(alice_console):
    response = alice_console.get("/console/no-such-page/")
    assert response.status_code == 404
    assert b"There is no such page" in response.content
