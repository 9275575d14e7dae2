"""A new password ends every staff token of the account, wherever it was set."""

import re

import pytest
from django.test import Client
from knox.models import AuthToken

from tests.conftest import assert_error, staff_client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-7"


def test_a_password_set_in_the_admin_ends_the_accounts_tokens(ada, alice, alice_api):
    laptop = staff_client(alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada)
    url = f"/admin/clinic/staffuser/{alice.pk}/password/"
    page = browser.get(url)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = browser.post(
        url,
        {
            "csrfmiddlewaretoken": token.group(1),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    for client in (alice_api, laptop):
        assert_error(client.get("/api/v1/patients/"), 401)
    assert not AuthToken.objects.filter(user=alice).exists()
    # The new password signs in again.
    login = Client().post(
        "/api/v1/auth/login/",
        {"email": "alice@a.test", "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200


def test_set_password_and_save_anywhere_ends_the_accounts_tokens(alice, alice_api, bob):
    bob_api = staff_client(bob)
    alice.set_password(NEW_PASSWORD)
    alice.save()
    assert_error(alice_api.get("/api/v1/patients/"), 401)
    assert bob_api.get("/api/v1/patients/").status_code == 200  # only alice's


def test_saving_other_fields_keeps_the_tokens(alice, alice_api):
    alice.first_name = "Alicia"
    alice.save()
    alice.refresh_from_db()
    alice.last_name = "Smith"
    alice.save(update_fields=["last_name"])
    assert alice_api.get("/api/v1/patients/").status_code == 200


def test_signing_in_keeps_the_other_tokens(alice, alice_api):
    login = Client().post(
        "/api/v1/auth/login/",
        {"email": "alice@a.test", "password": "correct-horse-battery"},
        content_type="application/json",
    )
    assert login.status_code == 200
    assert alice_api.get("/api/v1/patients/").status_code == 200
