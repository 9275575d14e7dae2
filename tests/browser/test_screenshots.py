"""`make screenshots`: a PNG of each console page with the demo data (seed_demo), at a
desk's 1280 px and a tablet's 768 px, in var/screenshots/. Skipped in `make test`."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from clinic.models import Notification, StaffUser
from clinic.notifications import notification_deliver
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
def test_every_console_page(page: Page, live_server, settings, width, receiver):
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
    page.wait_for_load_state("networkidle")  # the messages and monitoring panels load by htmx
    shot("patient")
    page.get_by_role("button", name="Issue an enrollment code").click()
    shot("patient-enrollment-code")
    patient_url = f"{live_server.url}/console/patients/{escalation.patient_id}/"
    page.goto(f"{patient_url}?days=90")
    shot("patient-90-days")
    page.goto(f"{live_server.url}/console/patients/new/")
    shot("patient-new")
    page.get_by_role("button", name="Save patient").click()
    shot("patient-new-errors")
    page.goto(f"{patient_url}intake/")
    shot("intake")
    page.get_by_label("Pain at rest (0-10)").fill("12")
    page.get_by_role("button", name="Save intake and triage").click()
    shot("intake-errors")
    page.goto(f"{patient_url}program/")
    shot("program")
    page.get_by_label("Template").select_option(index=1)
    page.get_by_role("button", name="Use it").click()
    shot("program-template")
    page.goto(f"{patient_url}outcome/?instrument=koos")
    shot("outcome-koos")
    for pain in ("6", "3"):
        page.goto(f"{patient_url}outcome/?instrument=nprs")
        page.get_by_label("Pain now, 0 (none) to 10 (worst imaginable)").select_option(pain)
        page.get_by_role("button", name="Save and score").click()
    page.locator("#outcomes").scroll_into_view_if_needed()
    shot("patient-outcomes")
    page.get_by_label("Set level to").fill("2")
    page.get_by_role("button", name="Set level").click()
    shot("patient-ladder-reason-required")
    page.goto(f"{patient_url}discharge/")
    shot("discharge-confirm")
    page.goto(f"{live_server.url}/console/no-such-page/")
    shot("not-found")
    # Clinic settings (the demo login is the clinic's admin) and the exercise library.
    page.goto(f"{live_server.url}/console/settings/")
    shot("settings-staff")
    page.get_by_role("button", name="Add staff member").click()
    shot("settings-staff-invite-errors")
    with_patients = (
        StaffUser.objects.filter(email=DEMO_EMAIL).values_list("clinic_id", flat=True).first()
    )
    other = StaffUser.objects.filter(clinic_id=with_patients).exclude(email=DEMO_EMAIL).first()
    member = other or StaffUser.objects.get(email=DEMO_EMAIL)
    page.goto(f"{live_server.url}/console/settings/staff/{member.pk}/")
    shot("settings-member")
    page.goto(f"{live_server.url}/console/settings/on-call/")
    shot("settings-oncall")
    page.goto(f"{live_server.url}/console/settings/thresholds/")
    shot("settings-thresholds")
    page.get_by_label("Pain severe").fill("9")
    page.get_by_role("button", name="Save thresholds").click()
    shot("settings-thresholds-error")
    page.goto(f"{live_server.url}/console/settings/webhooks/")
    endpoint = page.locator("section", has=page.get_by_role("heading", name="Clinic endpoint"))
    endpoint.get_by_label("URL").fill(receiver.url)
    endpoint.get_by_role("button", name="Save URL").click()
    shot("settings-webhooks-secret")
    page.locator("section", has=page.get_by_role("heading", name="Clinic endpoint")).get_by_role(
        "button", name="Send test event"
    ).click()
    for row in Notification.objects.filter(event_type="webhook.test", sent_at=None):
        notification_deliver(notification_id=row.pk)
    page.reload()
    shot("settings-webhooks")
    page.goto(f"{live_server.url}/console/settings/audit/")
    shot("settings-audit")
    page.goto(f"{live_server.url}/console/library/")
    shot("library")
    page.get_by_label("Search name or muscle").fill("hamstring")
    page.get_by_role("button", name="Search").click()
    shot("library-hamstring")

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
