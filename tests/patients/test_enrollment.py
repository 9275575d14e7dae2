"""Enrollment codes: single use, 72 hours, stored hashed, rate limited; patient tokens."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from clinic.models import AuditEvent
from patients.models import EnrollmentCode, PatientToken
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

ENROLL = "/api/v1/app/enroll/"


def issue(client, patient):
    response = client.post(f"/api/v1/patients/{patient.pk}/enrollment-code/")
    assert response.status_code == 201, response.content
    return response.json()


def test_code_is_short_typeable_and_stored_hashed(alice_api, pat):
    body = issue(alice_api, pat)
    assert re.fullmatch(r"[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}", body["code"])
    row = EnrollmentCode.objects.get(patient=pat)
    assert body["code"].replace("-", "") not in row.code_hash
    expires = timezone.datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=71, minutes=59) < expires - timezone.now() <= timedelta(hours=72)
    assert AuditEvent.objects.filter(action="enrollment_code", patient_id=pat.pk).exists()


def test_enroll_gives_a_patient_token_for_the_app(alice_api, pat):
    code = issue(alice_api, pat)["code"]
    response = APIClient().post(
        ENROLL, {"code": code.lower().replace("-", " "), "device_name": "Pixel"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["patient"]["id"] == pat.pk
    assert body["patient"]["clinic_contact"] == pat.clinic.contact_line
    token = PatientToken.objects.get(patient=pat)
    assert token.device_name == "Pixel"
    assert body["token"] not in token.digest
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert client.get("/api/v1/app/me/").json()["id"] == pat.pk


def test_code_is_single_use(alice_api, pat):
    code = issue(alice_api, pat)["code"]
    assert APIClient().post(ENROLL, {"code": code}).status_code == 201
    assert_error(APIClient().post(ENROLL, {"code": code}), 400, attr="code")
    assert PatientToken.objects.count() == 1


def test_code_expires_after_72_hours(alice_api, pat):
    code = issue(alice_api, pat)["code"]
    with freeze_time(timezone.now() + timedelta(hours=72, seconds=1)):
        assert_error(APIClient().post(ENROLL, {"code": code}), 400, attr="code")
    with freeze_time(timezone.now() + timedelta(hours=71)):
        assert APIClient().post(ENROLL, {"code": code}).status_code == 201


def test_wrong_code_gets_the_same_answer_as_a_used_one(api):
    body = assert_error(api.post(ENROLL, {"code": "ABCD-EFGH"}), 400, attr="code")
    assert "Ask your therapist" in body["errors"][0]["detail"]
    assert_error(api.post(ENROLL, {}), 400, "required", attr="code")
    assert_error(api.post(ENROLL, {"code": "x" * 50}), 400, attr="code")


def test_a_new_code_replaces_the_old_one(alice_api, pat):
    old = issue(alice_api, pat)["code"]
    new = issue(alice_api, pat)["code"]
    assert_error(APIClient().post(ENROLL, {"code": old}), 400, attr="code")
    assert APIClient().post(ENROLL, {"code": new}).status_code == 201


def test_brute_force_is_stopped_even_for_the_right_code(alice_api, pat, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "enroll": "5/min"},
    )
    code = issue(alice_api, pat)["code"]
    guesser = APIClient()
    for i in range(5):
        assert_error(guesser.post(ENROLL, {"code": f"AAAA-AA{i}A"}), 400)
    response = guesser.post(ENROLL, {"code": code})
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert not PatientToken.objects.exists()


def test_issuing_codes_is_rate_limited_per_staff_member(alice_api, pat, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "enrollment_code": "2/hour"},
    )
    issue(alice_api, pat)
    issue(alice_api, pat)
    assert_error(alice_api.post(f"/api/v1/patients/{pat.pk}/enrollment-code/"), 429)


def test_expired_patient_token_is_refused(pat, pat_api):
    PatientToken.objects.filter(patient=pat).update(expires_at=timezone.now())
    assert_error(pat_api.get("/api/v1/app/me/"), 401)


def test_revoked_patient_token_is_refused(pat, pat_api):
    PatientToken.objects.filter(patient=pat).update(revoked_at=timezone.now())
    assert_error(pat_api.get("/api/v1/app/me/"), 401)


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer stp_nope", "Bearer a b", "Token stp_x", "Bearer not-a-patient-token"],
)
def test_malformed_patient_credentials_get_401(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    assert_error(api.get("/api/v1/app/me/"), 401)
