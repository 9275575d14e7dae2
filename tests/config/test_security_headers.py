"""What a browser and a clinic's IT see on every response: security headers and CORS."""

import pytest
from corsheaders.conf import conf as cors_conf

pytestmark = pytest.mark.django_db

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@pytest.mark.parametrize("path", ["/api/v1/patients/", "/api/v1/patients/999/", "/health/"])
def test_api_responses_forbid_framing_sniffing_caching_and_any_content(alice_api, path):
    response = alice_api.get(path)
    assert response["Content-Security-Policy"] == API_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]
    assert len(response["X-Request-ID"]) >= 8


def test_errors_outside_drf_carry_them_too(alice_api):
    response = alice_api.post("/api/v1/patients/", "x" * 70_000, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Security-Policy"] == API_CSP
    assert response["Cache-Control"] == "no-store"


def test_the_docs_page_is_not_held_to_the_api_policy(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def partner_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.partner.example"]
    # django-cors-headers reads its settings through a cached object.
    yield "https://app.partner.example"


def test_a_listed_origin_may_call_the_api_with_an_idempotency_key(api, partner_origin):
    response = api.options(
        "/api/v1/app/check-ins/",
        HTTP_ORIGIN=partner_origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )
    assert response["Access-Control-Allow-Origin"] == partner_origin
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type", "idempotency-key"} <= {
        h.strip() for h in allowed.split(",")
    }
    assert "Access-Control-Allow-Credentials" not in response
    get = api.get("/api/v1/app/me/", HTTP_ORIGIN=partner_origin)
    assert {"retry-after", "x-request-id", "idempotent-replayed"} <= {
        h.strip() for h in get["Access-Control-Expose-Headers"].lower().split(",")
    }


def test_an_unlisted_origin_gets_no_cors_grant(api, partner_origin):
    response = api.options(
        "/api/v1/app/check-ins/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in response


def test_no_origin_is_allowed_by_default():
    assert cors_conf.CORS_ALLOWED_ORIGINS == []
    assert not cors_conf.CORS_ALLOW_ALL_ORIGINS
