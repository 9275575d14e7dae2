"""The client's address: read through the trusted proxies only (`STRIDE_NUM_PROXIES`), the
same way for the per-address limits, the sign-in lockout and the audit trail."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from clinic.models import AuditEvent
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
PROXY = "10.0.0.5"
CLIENT = "203.0.113.7"


@pytest.fixture
def login_limit_3(monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "login": "3/min"},
    )


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(
    db, login_limit_3, settings
):
    assert settings.STRIDE_NUM_PROXIES == 0  # the default
    api = APIClient(REMOTE_ADDR=CLIENT)
    for n in range(3):
        api.post(
            LOGIN,
            {"email": "x@a.test", "password": "whatever-it-is"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = api.post(
        LOGIN,
        {"email": "x@a.test", "password": "whatever-it-is"},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert_error(response, 429, "throttled")


def test_behind_one_proxy_the_limit_is_the_clients_whatever_it_prepends(
    db, login_limit_3, settings
):
    settings.STRIDE_NUM_PROXIES = 1
    api = APIClient(REMOTE_ADDR=PROXY)
    for n in range(3):
        # The client wrote the first entry; our proxy appended the address it saw.
        api.post(
            LOGIN,
            {"email": "x@a.test", "password": "whatever-it-is"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {CLIENT}",
        )
    forged = api.post(
        LOGIN,
        {"email": "x@a.test", "password": "whatever-it-is"},
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {CLIENT}",
    )
    assert_error(forged, 429, "throttled")
    # Another client behind the same proxy has its own count.
    other = api.post(
        LOGIN,
        {"email": "x@a.test", "password": "whatever-it-is"},
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert other.status_code == 401


def test_the_audit_records_the_address_the_limits_use(alice_api, pat, settings):
    settings.STRIDE_NUM_PROXIES = 1
    response = alice_api.get(
        f"/api/v1/patients/{pat.pk}/",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}",
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get(patient_id=pat.pk).ip_address == CLIENT


def test_without_trusted_proxies_the_audit_ignores_forwarded_for(alice_api, pat):
    alice_api.get(
        f"/api/v1/patients/{pat.pk}/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert AuditEvent.objects.get(patient_id=pat.pk).ip_address == CLIENT


def test_a_forwarded_for_that_is_not_an_address_falls_back_to_the_peer(alice_api, pat, settings):
    settings.STRIDE_NUM_PROXIES = 1
    response = alice_api.get(
        f"/api/v1/patients/{pat.pk}/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address"
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get(patient_id=pat.pk).ip_address == PROXY


def test_the_lockout_behind_a_proxy_is_per_client(alice, settings):
    settings.STRIDE_NUM_PROXIES = 1
    api = APIClient(REMOTE_ADDR=PROXY)
    for _ in range(5):
        api.post(
            LOGIN,
            {"email": "alice@a.test", "password": "guessing-away"},
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    locked = api.post(
        LOGIN,
        {"email": "alice@a.test", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert_error(locked, 429, "locked_out")
    ok = api.post(
        LOGIN,
        {"email": "alice@a.test", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR=CLIENT,
    )
    assert ok.status_code == 200
