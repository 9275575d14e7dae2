"""Deployment settings, and the commands a clinic's IT runs: create_clinic, seed_demo."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clinic.models import Clinic, StaffRole, StaffUser

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "stride.clinic.example",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_create_clinic_makes_a_clinic_and_its_admin(monkeypatch):
    monkeypatch.setenv("STRIDE_ADMIN_PASSWORD", "a-long-admin-passphrase")
    call_command(
        "create_clinic",
        "Riverside Physio",
        "--admin-email",
        "Lead@Riverside.test",
        "--timezone",
        "America/Chicago",
    )
    clinic = Clinic.objects.get(name="Riverside Physio")
    admin = StaffUser.objects.get(email="lead@riverside.test")
    assert (admin.clinic, admin.role, admin.is_staff) == (clinic, StaffRole.ADMIN, True)
    assert admin.check_password("a-long-admin-passphrase")
    assert clinic.timezone == "America/Chicago"


@pytest.mark.django_db
def test_create_clinic_refuses_a_weak_password_and_leaves_nothing(monkeypatch):
    monkeypatch.setenv("STRIDE_ADMIN_PASSWORD", "12345")
    with pytest.raises(CommandError):
        call_command("create_clinic", "Weak", "--admin-email", "a@weak.test")
    assert not Clinic.objects.filter(name="Weak").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert not StaffUser.objects.filter(email="therapist@demo.stride.test").exists()


@pytest.mark.django_db
def test_seed_demo_is_repeatable_and_prints_the_login(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "therapist@demo.stride.test / stride-demo" in out
    assert out.count("Enrollment code:") == 2
    assert StaffUser.objects.filter(clinic__name="Stride Demo Clinic").count() == 2
    assert Clinic.objects.get(name="Stride Demo Clinic").patients.count() == 5


@pytest.mark.django_db
def test_clinic_webhook_sets_the_endpoint_and_prints_a_new_secret_once(capsys):
    clinic = Clinic.objects.create(name="Hooked", contact_line="Call us.")
    call_command("clinic_webhook", str(clinic.pk), "--url", "https://ehr.example/hooks")
    out = capsys.readouterr().out
    clinic.refresh_from_db()
    assert clinic.webhook_url == "https://ehr.example/hooks"
    assert clinic.webhook_secret.startswith("whsec_")
    assert clinic.webhook_secret in out
    first = clinic.webhook_secret
    call_command("clinic_webhook", str(clinic.pk), "--url", "https://app.example/h", "--partner")
    clinic.refresh_from_db()
    assert clinic.partner_webhook_url == "https://app.example/h"
    assert clinic.partner_webhook_secret not in ("", first)
    assert clinic.webhook_secret == first
    call_command("clinic_webhook", str(clinic.pk), "--url", "")
    clinic.refresh_from_db()
    assert (clinic.webhook_url, clinic.webhook_secret) == ("", "")


@pytest.mark.django_db
def test_clinic_webhook_refuses_what_is_not_a_url():
    clinic = Clinic.objects.create(name="Hooked", contact_line="Call us.")
    with pytest.raises(CommandError):
        call_command("clinic_webhook", str(clinic.pk), "--url", "not a url")
    clinic.refresh_from_db()
    assert clinic.webhook_url == ""


def configuration_doc_service_names() -> set[str]:
    """The settings named in the first column of docs/configuration.md's service table."""
    import re

    text = (ROOT / "docs" / "configuration.md").read_text()
    section = text[text.index("## The service") : text.index("## The tools")]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}


def test_every_setting_read_from_the_environment_is_in_the_configuration_doc():
    import re

    source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env\.[a-z_]+\(\s*"([A-Z_]+)"', source))
    documented = configuration_doc_service_names()
    assert len(names) > 20
    assert names - documented == set()


def test_every_setting_the_configuration_doc_names_is_read_by_the_service():
    sources = "".join(
        path.read_text()
        for folder in ("config", "clinic", "patients", "assessments", "programs", "monitoring")
        for path in (ROOT / folder).rglob("*.py")
    )
    documented = configuration_doc_service_names()
    assert len(documented) > 40
    assert {name for name in documented if f'"{name}"' not in sources} == set()
