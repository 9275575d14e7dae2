"""Sign-in lockout through every form that signs staff in: the API's and the Django admin's.

Five failures for one account from one address lock that account for that address for 15
minutes (429 in the one error shape). The admin is driven through its real login form, with
the CSRF token the form carries. The lockout is keyed on account AND address, so a stranger
elsewhere cannot lock a therapist out; an address guessing passwords is still stopped by the
per-address throttle.
"""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = "/api/v1/auth/login/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
HOME = "203.0.113.10"
ELSEWHERE = "198.51.100.77"


def admin_form_post(client: Client, username: str, password: str) -> object:
    """Fill in and send the admin's login form as a browser would: GET it, read its CSRF
    token, POST the fields it has."""
    page = client.get(ADMIN_LOGIN)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    return client.post(
        ADMIN_LOGIN,
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": password,
            "next": "/admin/",
        },
    )


def browser(address: str = HOME) -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def test_the_admin_form_signs_in_with_the_right_password(ada):
    client = browser()
    response = admin_form_post(client, "ada@a.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_form_locks_after_five_failures_even_with_the_right_password(ada):
    client = browser()
    for _ in range(4):
        page = admin_form_post(client, "ada@a.test", "wrong-password-1")
        assert page.status_code == 200  # the form again, with its error
        assert "Please enter the correct email" in page.content.decode()
    # The fifth failure locks the account, as on the API.
    assert_error(admin_form_post(client, "ada@a.test", "wrong-password-1"), 429, "locked_out")
    for _ in range(25):
        admin_form_post(client, "ada@a.test", "wrong-password-1")
    response = admin_form_post(client, "ada@a.test", PASSWORD)
    body = assert_error(response, 429, "locked_out")
    assert "Try again later" in body["errors"][0]["detail"]
    assert int(response["Retry-After"]) == 15 * 60
    # Not signed in: the admin still sends the browser to its login page.
    assert client.get("/admin/").status_code == 302


def test_the_admin_lockout_ignores_the_case_of_the_address(ada):
    client = browser()
    for n in range(5):
        admin_form_post(client, "ADA@a.test" if n % 2 else "ada@A.TEST", "wrong-password-1")
    assert_error(admin_form_post(client, "ada@a.test", PASSWORD), 429, "locked_out")


def test_failures_on_the_admin_and_the_api_count_together(ada):
    client = browser()
    api = APIClient(REMOTE_ADDR=HOME)
    for _ in range(3):
        admin_form_post(client, "ada@a.test", "wrong-password-1")
    for _ in range(2):
        api.post(LOGIN, {"email": "ada@a.test", "password": "wrong-password-1"})
    assert_error(api.post(LOGIN, {"email": "ada@a.test", "password": PASSWORD}), 429, "locked_out")
    assert_error(admin_form_post(client, "ada@a.test", PASSWORD), 429, "locked_out")


def test_a_stranger_elsewhere_cannot_lock_a_therapist_out(alice):
    stranger = APIClient(REMOTE_ADDR=ELSEWHERE)
    for _ in range(12):
        stranger.post(LOGIN, {"email": "alice@a.test", "password": "guessing-away"})
    # The stranger's address is locked for alice ...
    assert_error(
        stranger.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD}), 429, "locked_out"
    )
    # ... alice at her clinic is not, on the API or the admin form.
    at_clinic = APIClient(REMOTE_ADDR=HOME)
    assert at_clinic.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD}).status_code == 200


def test_a_stranger_elsewhere_cannot_lock_an_admin_out_of_the_admin(ada):
    stranger = browser(ELSEWHERE)
    for _ in range(10):
        admin_form_post(stranger, "ada@a.test", "guessing-away")
    assert_error(admin_form_post(stranger, "ada@a.test", PASSWORD), 429, "locked_out")
    response = admin_form_post(browser(HOME), "ada@a.test", PASSWORD)
    assert response.status_code == 302


def test_a_guessing_address_is_stopped_across_accounts_by_the_address_limit(
    alice, bob, monkeypatch
):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "login": "8/min"},
    )
    guesser = APIClient(REMOTE_ADDR=ELSEWHERE)
    for n in range(8):
        email = "alice@a.test" if n % 2 else "bob@a.test"
        assert guesser.post(LOGIN, {"email": email, "password": f"guess-{n}"}).status_code == 401
    response = guesser.post(LOGIN, {"email": "bob@a.test", "password": PASSWORD})
    assert_error(response, 429, "throttled")
