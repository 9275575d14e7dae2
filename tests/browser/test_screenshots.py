"""`make screenshots`: a PNG of each console page with the demo data (seed_demo), at a
desk's 1280 px and a tablet's 768 px, in var/screenshots/. Skipped in `make test`."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from monitoring.models import MonitoringEpisode
from monitoring.services import episode_start, time_entry_record
from patients.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from patients.models import Escalation, Patient
from patients.services.messages import message_send_by_patient, message_send_by_staff
from tests.browser.conftest import VAR, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("STRIDE_SCREENSHOTS"), reason="make screenshots runs these"
    ),
]

SHOTS = VAR / "screenshots"


@pytest.mark.parametrize("width", [1280, 768])
def test_every_console_page(page: Page, live_server, settings, width):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    settings.DEBUG = False
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})

    def shot(name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/console/")
    shot("sign-in")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    shot("sign-in-error")
    sign_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    shot("caseload")
    page.goto(f"{live_server.url}/console/?severity=critical")
    shot("caseload-filtered")
    page.goto(f"{live_server.url}/console/escalations/")
    shot("inbox")
    escalation = Escalation.objects.filter(status="open").order_by("id").first()
    assert escalation is not None
    page.goto(f"{live_server.url}/console/escalations/{escalation.pk}/")
    shot("escalation")
    page.get_by_role("button", name="Resolve").click()
    shot("escalation-note-required")
    page.goto(f"{live_server.url}/console/escalations/")
    page.locator(".esc").first.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".esc").first).to_contain_text("Acknowledged")
    shot("inbox-acknowledged")
    page.goto(f"{live_server.url}/console/patients/{escalation.patient_id}/")
    shot("patient")
    page.get_by_role("button", name="Issue an enrollment code").click()
    shot("patient-enrollment-code")
    _messages_and_monitoring(escalation.patient)
    page.goto(f"{live_server.url}/console/")
    shot("caseload-marks")
    page.goto(f"{live_server.url}/console/patients/{escalation.patient_id}/messages/")
    shot("patient-messages")
    page.get_by_role("button", name="Send").click()
    shot("patient-messages-empty-answer")
    page.goto(f"{live_server.url}/console/patients/{escalation.patient_id}/monitoring/")
    shot("patient-monitoring")
    page.get_by_label("Minutes").fill("0")
    page.get_by_role("button", name="Record time").click()
    shot("patient-monitoring-error")
    no_episode = (
        Patient.objects.exclude(pk=escalation.patient_id)
        .filter(clinic_id=escalation.clinic_id, monitoring_episodes__isnull=True)
        .first()
    )
    assert no_episode is not None
    page.goto(f"{live_server.url}/console/patients/{no_episode.pk}/monitoring/")
    shot("patient-monitoring-consent")
    page.goto(f"{live_server.url}/console/monitoring/")
    shot("monitoring-month")
    page.goto(f"{live_server.url}/console/no-such-page/")
    shot("not-found")


def _messages_and_monitoring(patient: Patient) -> None:
    """A short thread and a monitoring month for the demo patient (seed_demo has neither)."""
    therapist = patient.therapist
    if not MonitoringEpisode.objects.filter(patient=patient).exists():
        at = timezone.now() - timedelta(days=9)
        episode_start(patient=patient, by=therapist, consent_at=at, setup_at=at)
        time_entry_record(
            patient=patient,
            by=therapist,
            performed_on=timezone.localdate(),
            minutes=12,
            activity="data_review",
            interactive=False,
            note="Reviewed the week's check-ins",
        )
    message_send_by_patient(
        patient=patient,
        text="The knee ached after Sunday's long run. Should I skip intervals this week?",
        idempotency_key="demo-1",
        fingerprint="demo-1",
    )
    message_send_by_staff(
        patient=patient,
        by=therapist,
        text="Yes, swap the intervals for an easy 20 minutes and tell me how it feels.",
    )
    message_send_by_patient(
        patient=patient,
        text="Will do, thanks.",
        idempotency_key="demo-2",
        fingerprint="demo-2",
    )
