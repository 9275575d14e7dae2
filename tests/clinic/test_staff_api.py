"""The clinic's staff, managed by its admins."""

import pytest
from knox.models import AuthToken

from clinic.models import StaffUser
from tests.conftest import assert_error
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/staff/"


def test_admin_lists_only_their_clinics_staff(ada_api, alice, bob, carol):
    emails = [s["email"] for s in ada_api.get(URL).json()["results"]]
    assert sorted(emails) == ["ada@a.test", "alice@a.test", "bob@a.test"]


def test_therapists_cannot_manage_staff(alice_api, bob):
    assert_error(alice_api.get(URL), 403)
    assert_error(alice_api.get(f"{URL}{bob.pk}/"), 403)
    assert_error(alice_api.post(URL, {"email": "x@a.test", "password": "long-enough-pw"}), 403)


def test_admin_adds_a_therapist_who_can_sign_in(ada_api, api, clinic_a):
    body = {"email": "New@A.test", "first_name": "Nia", "password": "a-strong-passphrase"}
    response = ada_api.post(URL, body)
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "therapist"
    assert "password" not in response.json()
    assert StaffUser.objects.get(email="new@a.test").clinic == clinic_a
    login = api.post(
        "/api/v1/auth/login/", {"email": "new@a.test", "password": "a-strong-passphrase"}
    )
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"email": "alice@a.test", "password": "a-strong-passphrase"}, "email"),
        ({"email": "x@a.test", "password": "short"}, "password"),
        ({"email": "x@a.test", "password": "password123"}, "password"),
        ({"email": "x@a.test", "password": "a-strong-passphrase", "role": "owner"}, "role"),
        ({"email": "not-an-email", "password": "a-strong-passphrase"}, "email"),
    ],
)
def test_bad_staff_input_is_refused(ada_api, alice, body, attr):
    before = StaffUser.objects.count()
    assert_error(ada_api.post(URL, body), 400, attr=attr)
    assert StaffUser.objects.count() == before


def test_deactivating_staff_revokes_their_tokens(ada_api, alice, alice_api):
    response = ada_api.patch(f"{URL}{alice.pk}/", {"is_active": False})
    assert response.status_code == 200
    assert not AuthToken.objects.filter(user=alice).exists()
    assert_error(alice_api.get("/api/v1/patients/"), 401)


def test_promoting_to_admin(ada_api, alice, alice_api):
    assert ada_api.patch(f"{URL}{alice.pk}/", {"role": "admin"}).json()["role"] == "admin"
    assert alice_api.get(URL).status_code == 200


def test_other_clinics_staff_are_404(ada_api, carol, carol_api, alice):
    assert_error(ada_api.get(f"{URL}{carol.pk}/"), 404)
    assert_error(ada_api.patch(f"{URL}{carol.pk}/", {"is_active": False}), 404)
    assert_error(carol_api.get(f"{URL}{alice.pk}/"), 404)
    carol.refresh_from_db()
    assert carol.is_active


@pytest.mark.parametrize("rows", [2, 10])
def test_staff_list_query_count(ada_api, clinic_a, django_assert_num_queries, rows):
    for _ in range(rows):
        StaffFactory(clinic=clinic_a)
    with django_assert_num_queries(4):  # token+user, knox sweep, clinic... and the page
        response = ada_api.get(URL)
    assert len(response.json()["results"]) == rows + 1
