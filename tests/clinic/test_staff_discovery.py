"""Adding staff never reveals another clinic's accounts: an address with an account at another
clinic gets the answer a new address gets, and no second account is made."""

import pytest

from clinic.models import StaffUser
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/staff/"
PASSWORD = "correct-horse-battery"
ATTEMPT = "a-strong-passphrase"
# Headers that differ between any two responses (none today, but a request id would).
PER_RESPONSE_HEADERS = {"X-Request-ID"}


def add(api, email):
    return api.post(
        URL,
        {
            "email": email,
            "first_name": "Sam",
            "last_name": "Okafor",
            "role": "therapist",
            "password": ATTEMPT,
        },
    )


def test_another_clinics_address_answers_as_a_new_one(ada_api, carol):
    existing = add(ada_api, "Carol@B.test")
    new = add(ada_api, "nobody-yet@b.test")

    assert existing.status_code == new.status_code == 201
    assert existing["Content-Type"] == new["Content-Type"]
    assert set(existing.headers) - PER_RESPONSE_HEADERS == set(new.headers) - PER_RESPONSE_HEADERS
    existing_body, new_body = existing.json(), new.json()
    assert set(existing_body) == set(new_body)
    for key in ("first_name", "last_name", "role", "is_active"):
        assert existing_body[key] == new_body[key]
    assert existing_body["email"] == "carol@b.test"
    assert isinstance(existing_body["id"], int) and isinstance(new_body["id"], int)
    # Ids as consecutive new accounts get them: the stand-in's is drawn like a real one.
    assert new_body["id"] == existing_body["id"] + 1
    varying = ("id", "email", "created_at")
    assert {k: v for k, v in existing_body.items() if k not in varying} == {
        k: v for k, v in new_body.items() if k not in varying
    }


def test_no_second_account_is_made_and_the_existing_one_is_untouched(ada_api, carol):
    before = StaffUser.objects.get(pk=carol.pk)
    assert add(ada_api, "carol@b.test").status_code == 201
    assert StaffUser.objects.filter(email="carol@b.test").count() == 1
    after = StaffUser.objects.get(pk=carol.pk)
    assert (after.clinic_id, after.first_name, after.password, after.role) == (
        before.clinic_id,
        before.first_name,
        before.password,
        before.role,
    )
    # The password the other clinic chose opens nothing; carol's own still works.
    login = "/api/v1/auth/login/"
    assert ada_api.post(login, {"email": "carol@b.test", "password": ATTEMPT}).status_code == 401
    assert ada_api.post(login, {"email": "carol@b.test", "password": PASSWORD}).status_code == 200
    # And clinic A's staff list does not gain her.
    emails = [row["email"] for row in ada_api.get(URL).json()["results"]]
    assert "carol@b.test" not in emails


def test_the_own_clinics_address_is_still_refused(ada_api, alice):
    body = assert_error(add(ada_api, "Alice@A.test"), 400, attr="email")
    assert "your clinic" in body["errors"][0]["detail"]


def test_bad_input_is_refused_alike_for_both(ada_api, carol):
    for email in ("carol@b.test", "nobody-yet@b.test"):
        response = ada_api.post(URL, {"email": email, "password": "password123"})
        assert_error(response, 400, attr="password")
