"""Staff sign-in and sign-out: tokens, expiry, lockout, throttling."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
PASSWORD = "correct-horse-battery"


def test_login_returns_an_expiring_token_that_opens_the_api(api, alice):
    response = api.post(LOGIN, {"email": "Alice@A.test", "password": PASSWORD})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "expires_at", "user"}
    assert body["user"]["email"] == "alice@a.test"
    assert body["user"]["role"] == "therapist"
    token_row = AuthToken.objects.get(user=alice)
    # Stored hashed: the token itself is nowhere in the row.
    assert body["token"] not in str(token_row.digest)
    assert token_row.expiry > timezone.now() + timedelta(hours=11)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert client.get("/api/v1/patients/").status_code == 200


@pytest.mark.parametrize(
    ("email", "password"),
    [("alice@a.test", "wrong-password"), ("nobody@a.test", PASSWORD)],
)
def test_wrong_credentials_get_401_without_saying_which(api, alice, email, password):
    body = assert_error(api.post(LOGIN, {"email": email, "password": password}), 401)
    assert body["errors"][0]["detail"] == "Email or password is wrong."


def test_missing_fields_get_400(api):
    assert_error(api.post(LOGIN, {"email": "alice@a.test"}), 400, attr="password")


def test_logout_revokes_the_token(alice):
    client = APIClient()
    token = client.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert_error(client.get("/api/v1/patients/"), 401)
    assert not AuthToken.objects.filter(user=alice).exists()


def test_expired_token_is_refused(alice):
    _, token = AuthToken.objects.create(user=alice, expiry=timedelta(seconds=-1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_error(client.get("/api/v1/patients/"), 401)


def test_deactivated_staff_token_is_refused(alice, alice_api):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert_error(alice_api.get("/api/v1/patients/"), 401)


def test_lockout_after_five_failures_even_with_the_right_password(api, alice):
    for _ in range(4):
        assert_error(api.post(LOGIN, {"email": "alice@a.test", "password": "nope-nope"}), 401)
    # The fifth failure locks the account.
    assert_error(
        api.post(LOGIN, {"email": "alice@a.test", "password": "nope-nope"}), 429, "locked_out"
    )
    body = assert_error(
        api.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD}), 429, "locked_out"
    )
    assert "Try again later" in body["errors"][0]["detail"]
    # Another account from the same address is not locked.
    from tests.factories import StaffFactory

    StaffFactory(clinic=alice.clinic, email="other@a.test")
    assert api.post(LOGIN, {"email": "other@a.test", "password": PASSWORD}).status_code == 200


def test_success_before_the_limit_resets_the_failure_count(api, alice):
    for _ in range(4):
        api.post(LOGIN, {"email": "alice@a.test", "password": "nope-nope"})
    assert api.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD}).status_code == 200
    for _ in range(4):
        api.post(LOGIN, {"email": "alice@a.test", "password": "nope-nope"})
    assert api.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD}).status_code == 200


def test_login_attempts_are_throttled_per_address(api, alice, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "login": "3/min"},
    )
    for _ in range(3):
        api.post(LOGIN, {"email": "x@a.test", "password": "whatever-it-is"})
    response = api.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD})
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_superuser_without_clinic_cannot_use_the_api(api, db):
    from clinic.models import StaffUser

    StaffUser.objects.create_superuser("root@stride.test", PASSWORD)
    assert_error(api.post(LOGIN, {"email": "root@stride.test", "password": PASSWORD}), 401)


def test_a_locked_out_email_is_told_when_to_retry(api, alice, settings):
    for _ in range(5):
        api.post(LOGIN, {"email": "alice@a.test", "password": "nope-nope"})
    response = api.post(LOGIN, {"email": "alice@a.test", "password": PASSWORD})
    assert_error(response, 429, "locked_out")
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
