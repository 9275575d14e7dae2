"""Partner-app tokens end with what should end them: a newer enrollment (the older devices'
tokens) and discharge (all of them, and the app is told why)."""

import pytest
from rest_framework.test import APIClient

from patients.models import PatientToken
from tests.conftest import assert_error, patient_client

pytestmark = pytest.mark.django_db

ENROLL = "/api/v1/app/enroll/"


def enroll(alice_api, patient, device):
    code = alice_api.post(f"/api/v1/patients/{patient.pk}/enrollment-code/").json()["code"]
    response = APIClient().post(ENROLL, {"code": code, "device_name": device})
    assert response.status_code == 201, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def test_enrolling_again_revokes_the_old_devices_token(alice_api, pat):
    old_phone = enroll(alice_api, pat, "old phone")
    assert old_phone.get("/api/v1/app/me/").status_code == 200
    new_phone = enroll(alice_api, pat, "new phone")

    body = assert_error(old_phone.get("/api/v1/app/me/"), 401, "token_revoked")
    assert body["type"] == "client_error"
    assert_error(old_phone.get("/api/v1/app/check-ins/"), 401, "token_revoked")
    assert new_phone.get("/api/v1/app/me/").status_code == 200
    rows = PatientToken.objects.filter(patient=pat).order_by("created_at", "id")
    assert [(t.device_name, t.revoked_at is None) for t in rows] == [
        ("old phone", False),
        ("new phone", True),
    ]


def test_enrolling_one_patient_leaves_another_patients_token_alone(alice_api, pat, quinn_api):
    enroll(alice_api, pat, "phone")
    enroll(alice_api, pat, "phone 2")
    assert quinn_api.get("/api/v1/app/me/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/app/me/", None),
        ("patch", "/api/v1/app/me/", {"check_in_time": "08:00"}),
        ("get", "/api/v1/app/check-ins/", None),
        ("post", "/api/v1/app/check-ins/", {"pain_rest": 2}),
        ("get", "/api/v1/app/program/", None),
        ("get", "/api/v1/app/questionnaires/", None),
        ("post", "/api/v1/app/questionnaires/", {"instrument": "nprs", "answers": {"pain": 3}}),
    ],
)
def test_discharge_ends_every_token_of_the_patient(alice_api, pat, method, path, body):
    phone = enroll(alice_api, pat, "phone")
    tablet = patient_client(pat)  # a token of another device, issued before
    assert alice_api.post(f"/api/v1/patients/{pat.pk}/discharge/").status_code == 200

    for app in (phone, tablet):
        response = getattr(app, method)(path, body, HTTP_IDEMPOTENCY_KEY="k-1")
        error = assert_error(response, 401, "patient_discharged")["errors"][0]
        assert "discharged" in error["detail"]
        assert response["WWW-Authenticate"] == "Bearer"
    assert not PatientToken.objects.filter(patient=pat, revoked_at=None).exists()
    assert not pat.check_ins.exists()


def test_a_discharged_patients_unrevoked_token_is_refused_too(pat, pat_api):
    """A token a discharge did not reach (issued before discharge revoked tokens)."""
    pat.status = "discharged"
    pat.save(update_fields=["status"])
    assert PatientToken.objects.filter(patient=pat, revoked_at=None).exists()
    assert_error(pat_api.get("/api/v1/app/me/"), 401, "patient_discharged")


def test_an_unknown_token_is_still_a_plain_401(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer stp_not-a-token")
    assert_error(api.get("/api/v1/app/me/"), 401, "authentication_failed")
