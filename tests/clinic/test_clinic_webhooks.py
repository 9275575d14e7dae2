"""An admin sets the clinic's webhook endpoints and rotates their signing secrets through
PATCH /api/v1/clinic/, seeing each new secret once; IT does the same with
`manage.py clinic_webhook`, by the clinic's name, on production settings. Plain http:// is
refused except to localhost."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from clinic.models import Clinic
from tests.conftest import assert_error

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_admin_sets_the_endpoint_and_sees_its_new_secret_once(ada_api, alice_api, clinic_a):
    response = ada_api.patch("/api/v1/clinic/", {"webhook_url": "https://ehr.clinic.example/h"})
    assert response.status_code == 200, response.content
    body = response.json()
    clinic_a.refresh_from_db()
    assert body["webhook_url"] == clinic_a.webhook_url == "https://ehr.clinic.example/h"
    assert body["webhook_secret"] == clinic_a.webhook_secret
    assert body["webhook_secret"].startswith("whsec_")
    assert body["partner_webhook_secret"] is None

    # Never again: not on a read, not on another change.
    for response in (
        alice_api.get("/api/v1/clinic/"),
        ada_api.patch("/api/v1/clinic/", {"contact_line": "Call 0123."}),
        ada_api.patch("/api/v1/clinic/", {"webhook_url": "https://ehr.clinic.example/h"}),
    ):
        assert response.status_code == 200, response.content
        assert clinic_a.webhook_secret not in response.content.decode()
        assert response.json()["webhook_url"] == "https://ehr.clinic.example/h"
    clinic_a.refresh_from_db()
    assert body["webhook_secret"] == clinic_a.webhook_secret


def test_admin_rotates_a_secret_and_turns_an_endpoint_off(ada_api, clinic_a):
    ada_api.patch("/api/v1/clinic/", {"partner_webhook_url": "https://app.partner.example/s"})
    clinic_a.refresh_from_db()
    old = clinic_a.partner_webhook_secret

    response = ada_api.patch("/api/v1/clinic/", {"rotate_partner_webhook_secret": True})
    assert response.status_code == 200, response.content
    new = response.json()["partner_webhook_secret"]
    clinic_a.refresh_from_db()
    assert new == clinic_a.partner_webhook_secret
    assert new.startswith("whsec_") and new != old
    assert clinic_a.partner_webhook_url == "https://app.partner.example/s"

    response = ada_api.patch("/api/v1/clinic/", {"partner_webhook_url": ""})
    assert response.status_code == 200, response.content
    clinic_a.refresh_from_db()
    assert (clinic_a.partner_webhook_url, clinic_a.partner_webhook_secret) == ("", "")


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"webhook_url": "http://ehr.clinic.example/h"}, "webhook_url"),
        ({"partner_webhook_url": "http://10.0.0.5/h", "name": "Renamed"}, "partner_webhook_url"),
        ({"webhook_url": "ftp://ehr.clinic.example/h"}, "webhook_url"),
        ({"rotate_webhook_secret": True}, "rotate_webhook_secret"),
        ({"rotate_webhook_secret": "yes"}, "rotate_webhook_secret"),
    ],
)
def test_insecure_urls_and_rotating_nothing_are_refused_and_change_nothing(
    ada_api, clinic_a, body, attr
):
    assert_error(ada_api.patch("/api/v1/clinic/", body), 400, attr=attr)
    clinic_a.refresh_from_db()
    assert (clinic_a.name, clinic_a.webhook_url, clinic_a.webhook_secret) == ("Clinic A", "", "")
    assert clinic_a.partner_webhook_url == ""


def test_plain_http_to_localhost_is_allowed_for_a_receiver_on_this_machine(ada_api, clinic_a):
    response = ada_api.patch("/api/v1/clinic/", {"webhook_url": "http://localhost:9000/hooks"})
    assert response.status_code == 200, response.content
    assert response.json()["webhook_secret"].startswith("whsec_")


def test_therapists_cannot_set_webhooks(alice_api, clinic_a):
    assert_error(alice_api.patch("/api/v1/clinic/", {"rotate_webhook_secret": True}), 403)
    clinic_a.refresh_from_db()
    assert clinic_a.webhook_secret == ""


def test_the_command_takes_the_clinic_by_name_and_refuses_plain_http(capsys):
    clinic = Clinic.objects.create(name="Riverside Physio", contact_line="Call us.")
    call_command("clinic_webhook", "riverside physio", "--url", "https://ehr.example/hooks")
    clinic.refresh_from_db()
    assert clinic.webhook_secret in capsys.readouterr().out
    with pytest.raises(CommandError, match="https://"):
        call_command("clinic_webhook", "Riverside Physio", "--url", "http://ehr.example/hooks")
    with pytest.raises(CommandError, match=rf"Clinics: {clinic.pk} \(Riverside Physio\)"):
        call_command("clinic_webhook", "Lakeside", "--url", "https://ehr.example/hooks")
    clinic.refresh_from_db()
    assert clinic.webhook_url == "https://ehr.example/hooks"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_works_on_production_settings():
    clinic = Clinic.objects.create(name="Riverside Physio", contact_line="Call us.")
    database = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    test_database = database._replace(path="/" + settings.DATABASES["default"]["NAME"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "production-like-secret-key-for-the-webhook-command-0123456789",
            "DJANGO_ALLOWED_HOSTS": "stride.clinic.example",
            "DATABASE_URL": urllib.parse.urlunsplit(test_database),
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "clinic_webhook",
            "Riverside Physio",
            "--partner",
            "--url",
            "https://app.partner.example/stride",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    clinic.refresh_from_db()
    assert clinic.partner_webhook_url == "https://app.partner.example/stride"
    assert clinic.partner_webhook_secret.startswith("whsec_")
    assert clinic.partner_webhook_secret in result.stdout
