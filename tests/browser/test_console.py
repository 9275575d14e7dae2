"""The console as a therapist uses it, in Chromium: sign in, see the red-flag patient first,
open the escalation, read its evidence, acknowledge, resolve with a note; another clinic's
therapist gets 404s; an idle session is signed out; the API docs render offline."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from patients.models import Escalation
from tests.browser.conftest import sign_in
from tests.console.conftest import PASSWORD, check_in
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def red_flag(alice, pat):
    """Pat checked in with a red flag an hour ago; Quinn, a colleague's patient, is quiet."""
    now = timezone.now()
    quiet = PatientFactory(therapist=alice, first_name="Quinn", last_name="Quiet")
    check_in(quiet, now - timedelta(hours=3), pain_rest=1)
    # 24 hours apart, so on two local days whatever the hour the suite runs at.
    check_in(pat, now - timedelta(days=1, hours=1), pain_rest=2)
    check_in(pat, now - timedelta(hours=1), pain_rest=4, symptoms=["calf_pain_swelling"])
    return Escalation.objects.get(patient=pat, code="red_flag_emergency")


def test_the_red_flag_leads_and_is_acknowledged_then_resolved(
    page: Page, live_server, alice, red_flag
):
    sign_in(page, live_server.url, alice.email, PASSWORD)
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    first = page.locator("table.caseload tbody tr").first
    expect(first.locator(".name")).to_have_text("Pat Pending")
    expect(first.locator(".badge")).to_contain_text("Critical")
    expect(first.get_by_role("img")).to_have_attribute(
        "aria-label",
        "Peak pain over the last 14 days, 0 to 10: 2 days reported, highest 4, latest 4",
    )

    nav = page.get_by_role("navigation", name="Console")
    nav.get_by_role("link", name="Escalations").click()
    row = page.locator(f"#escalation-{red_flag.pk}")
    row.get_by_role("link", name="Red flag emergency").click()
    expect(page).to_have_url(f"{live_server.url}/console/escalations/{red_flag.pk}/")
    evidence = page.get_by_text("Emergency symptom reported: calf pain and swelling").first
    expect(evidence).to_be_visible()

    nav.get_by_role("link", name="Escalations").click()
    row.get_by_role("button", name="Acknowledge").click()
    expect(row).to_contain_text("Acknowledged")
    expect(row.get_by_role("button", name="Acknowledge")).to_have_count(0)

    row.get_by_role("button", name="Resolve").click()
    expect(row.get_by_text("Write a note before resolving")).to_be_visible()
    row.get_by_label("Resolution note").fill("Sent to the emergency department; DVT ruled out.")
    row.get_by_role("button", name="Resolve").click()
    expect(page.get_by_text("Resolved: Red flag emergency for Pat Pending.")).to_be_visible()

    page.reload()
    expect(page.locator(f"#escalation-{red_flag.pk}")).to_have_count(0)
    expect(page.get_by_text("Nothing open.")).to_be_visible()
    red_flag.refresh_from_db()
    assert red_flag.status == "resolved"


def test_another_clinics_therapist_gets_404s(page: Page, live_server, carol, red_flag):
    sign_in(page, live_server.url, carol.email, PASSWORD)
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    expect(page.get_by_text("Pat Pending")).to_have_count(0)
    for path in (
        f"/console/escalations/{red_flag.pk}/",
        f"/console/patients/{red_flag.patient_id}/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_an_idle_session_is_signed_out(page: Page, live_server, alice, settings):
    settings.STRIDE_CONSOLE_IDLE_SECONDS = 2
    sign_in(page, live_server.url, alice.email, PASSWORD)
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    page.wait_for_timeout(2500)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Escalations").click()
    expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    expect(page.get_by_text("You were signed out for inactivity")).to_be_visible()


def test_the_api_docs_render_with_the_network_blocked(page: Page, live_server):
    page.goto(f"{live_server.url}/api/docs/")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=15_000)
    assert operations.count() > 20
    expect(page.get_by_text("/api/v1/caseload/").first).to_be_visible()


def test_log_a_call_on_the_monitoring_panel_reaches_98980(page: Page, live_server, alice, pat):
    from monitoring.services import episode_start

    # Set up in an earlier month, so that this month has earned nothing yet on any day of it.
    at = timezone.now() - timedelta(days=40)
    episode_start(patient=pat, by=alice, consent_at=at, setup_at=at)
    sign_in(page, live_server.url, alice.email, PASSWORD)
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    page.goto(f"{live_server.url}/console/patients/{pat.pk}/monitoring/")
    panel = page.locator("#patient-monitoring")
    expect(panel.locator("#rtm-codes")).to_contain_text("none yet")

    # The timer proposes the minutes; nothing is recorded until the form is sent.
    panel.get_by_role("button", name="Start timer").click()
    panel.get_by_role("button", name="Stop").click()
    expect(panel.get_by_label("Minutes")).to_have_value("1")

    panel.get_by_label("Activity").select_option("call")
    panel.get_by_label("Minutes").fill("20")
    panel.get_by_role("radio", name="Yes").check()
    panel.get_by_label("Note (optional)").fill("Reviewed the week by video")
    panel.get_by_role("button", name="Record time").click()
    expect(panel.locator("#rtm-codes")).to_contain_text("98980")
    expect(panel.locator("#rtm-minutes")).to_have_text("20 minutes")
