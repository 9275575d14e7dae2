"""Bad requests get a 4xx in the one error shape and nothing is written."""

import json

import pytest

from patients.models import Patient
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

PATIENT = {"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "timezone": "UTC"}


def test_wrong_content_type_is_415(alice_api):
    response = alice_api.post("/api/v1/patients/", "first_name=A", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")
    response = alice_api.post("/api/v1/patients/", "<p/>", content_type="application/xml")
    assert_error(response, 415)
    assert not Patient.objects.exists()


def test_a_one_megabyte_body_is_413(alice_api, api):
    huge = json.dumps({**PATIENT, "last_name": "x" * (1024 * 1024)})
    assert_error(
        alice_api.post("/api/v1/patients/", huge, content_type="application/json"),
        413,
        "request_too_large",
    )
    assert_error(api.post("/api/v1/app/enroll/", huge, content_type="application/json"), 413)
    assert not Patient.objects.exists()


def test_a_large_body_without_content_length_is_413(alice_api):
    huge = json.dumps({**PATIENT, "note": "y" * (200 * 1024)}).encode()
    response = alice_api.generic(
        "POST", "/api/v1/patients/", huge, content_type="application/json", CONTENT_LENGTH=""
    )
    assert response.status_code in (400, 413)
    assert_error(response, response.status_code)
    assert not Patient.objects.exists()


@pytest.mark.parametrize("raw", ['{"first_name": ', "[1, 2]", '"just a string"', "null"])
def test_malformed_or_non_object_json_is_400(alice_api, raw):
    response = alice_api.post("/api/v1/patients/", raw, content_type="application/json")
    assert_error(response, 400)
    assert not Patient.objects.exists()


def test_wrong_types_are_400_never_500(alice_api):
    body = {"first_name": ["A"], "last_name": {"x": 1}, "date_of_birth": 19900101, "timezone": None}
    result = assert_error(alice_api.post("/api/v1/patients/", body), 400)
    assert {e["attr"] for e in result["errors"]} >= {
        "first_name",
        "last_name",
        "date_of_birth",
        "timezone",
    }


def test_unknown_method_is_405_in_the_error_shape(alice_api, pat):
    assert_error(alice_api.delete(f"/api/v1/patients/{pat.pk}/"), 405)
    assert Patient.objects.filter(pk=pat.pk).exists()


def test_unknown_object_is_404_in_the_error_shape(alice_api):
    assert_error(alice_api.get("/api/v1/patients/999999/"), 404, "not_found")
    assert_error(alice_api.get("/api/v1/patients/not-a-number/"), 404)
