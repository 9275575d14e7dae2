"""Who is told of an escalation: the active therapist, else at once the clinic's on-call
contacts; an event that finds nobody is an error in the log and a degraded /health/."""

import logging
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.models import Notification, NotificationChannel, StaffUser
from patients.models import Escalation, UndeliverableNotification
from patients.services import escalations_escalate_overdue
from tests.conftest import staff_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/app/check-ins/"


def red_flag(client):
    """The review's scenario: `locking` with pain 9 opens two high escalations."""
    return client.post(
        URL,
        {"recorded_at": timezone.now().isoformat(), "pain_rest": 9, "symptoms": ["locking"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def deactivated(staff: StaffUser) -> None:
    """An account made inactive before the staff API refused it (or through another path)."""
    StaffUser.objects.filter(pk=staff.pk).update(is_active=False)


def emails() -> list[tuple[str, str, int]]:
    return sorted(
        Notification.objects.filter(channel=NotificationChannel.EMAIL).values_list(
            "event_type", "recipient", "payload__escalation_id"
        )
    )


def test_an_inactive_therapists_red_flag_goes_to_the_oncall_contacts_at_once(
    pat, alice, pat_api, clinic_a
):
    deactivated(alice)
    response = red_flag(pat_api)
    assert response.status_code == 201, response.content
    opened = dict(Escalation.objects.values_list("code", "pk"))
    assert set(opened) == {"red_flag_mechanical", "pain_severe"}
    oncall = clinic_a.oncall_emails[0]
    assert emails() == sorted(("escalation.opened", oncall, pk) for pk in opened.values())
    assert not UndeliverableNotification.objects.exists()


def test_an_active_therapist_is_told_and_oncall_is_not(pat, alice, pat_api):
    assert red_flag(pat_api).status_code == 201
    assert {recipient for _, recipient, _ in emails()} == {alice.email}


def test_a_red_flag_that_finds_nobody_is_an_error_and_degrades_health(
    pat, alice, bob, pat_api, clinic_a, api, caplog
):
    deactivated(alice)
    clinic_a.oncall_emails = []
    clinic_a.save(update_fields=["oncall_emails"])
    with caplog.at_level(logging.ERROR, logger="patients.services.escalations"):
        assert red_flag(pat_api).status_code == 201
    assert emails() == []
    records = list(UndeliverableNotification.objects.order_by("escalation_id"))
    assert [(r.event_type, r.reason) for r in records] == [
        ("escalation.opened", "no_active_therapist_no_oncall")
    ] * 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2
    for record in errors:
        message = record.getMessage()
        assert f"patient={pat.pk}" in message and f"therapist={alice.pk}" in message
        for phi in (pat.first_name, pat.last_name, alice.email, str(pat.date_of_birth)):
            assert phi not in message

    health = api.get("/health/")
    assert health.status_code == 200  # the service works; a 503 would stop red-flag advice
    assert health.json() == {
        "status": "degraded",
        "database": "ok",
        "broker": "ok",
        "notifications": "undeliverable",
    }

    # It stays degraded until someone acknowledges the escalations it was about.
    bob_api = staff_client(bob)
    first, second = (r.escalation_id for r in records)
    assert bob_api.post(f"/api/v1/escalations/{first}/acknowledge/").status_code == 200
    assert api.get("/health/").json()["notifications"] == "undeliverable"
    assert bob_api.post(f"/api/v1/escalations/{second}/acknowledge/").status_code == 200
    assert api.get("/health/").json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "notifications": "ok",
    }


def test_an_old_undeliverable_event_ages_out_of_health(
    pat, alice, pat_api, clinic_a, api, settings
):
    deactivated(alice)
    clinic_a.oncall_emails = []
    clinic_a.save(update_fields=["oncall_emails"])
    assert red_flag(pat_api).status_code == 201
    assert api.get("/health/").json()["notifications"] == "undeliverable"
    UndeliverableNotification.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.STRIDE_UNDELIVERABLE_WINDOW_HOURS + 1)
    )
    assert api.get("/health/").json()["status"] == "ok"


def test_overdue_with_nobody_to_tell_is_recorded_too(pat, alice, pat_api, clinic_a, caplog):
    assert red_flag(pat_api).status_code == 201  # alice is told
    deactivated(alice)
    clinic_a.oncall_emails = []
    clinic_a.save(update_fields=["oncall_emails"])
    with caplog.at_level(logging.ERROR, logger="patients.services.escalations"):
        assert escalations_escalate_overdue(now=timezone.now() + timedelta(days=1)) == 2
    assert set(UndeliverableNotification.objects.values_list("event_type", flat=True)) == {
        "escalation.overdue"
    }
    assert not Notification.objects.filter(event_type="escalation.overdue").exists()
    assert any("escalation.overdue" in r.getMessage() for r in caplog.records)
