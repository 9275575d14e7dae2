"""The patient record's forms in Chromium: a new patient and an intake whose triage shows on
the patient's page; a program prescribed from a template with an adjusted dose; another
clinic's therapist gets 404 on the forms."""

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from patients.models import Patient
from programs.models import PatientProgram, ProgramTemplate
from tests.browser.conftest import sign_in
from tests.console.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_new_patient_and_an_intake_show_the_triage(page: Page, live_server, alice):
    sign_in(page, live_server.url, alice.email, PASSWORD)
    page.get_by_role("link", name="New patient").click()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_role("button", name="Save patient").click()
    expect(page.locator("#last_name-error")).to_have_count(0)
    expect(page.locator("#date_of_birth-error")).to_have_text("This field is required.")
    page.get_by_label("Date of birth").fill("1990-04-02")
    page.get_by_role("button", name="Save patient").click()
    expect(page.get_by_role("heading", name="Nia Okafor")).to_be_visible()

    page.get_by_role("link", name="Record an intake").click()
    page.get_by_label("None of these").check()
    page.locator('input[name="trauma_unable_to_bear_weight"][value="no"]').check()
    page.get_by_label("Where it hurts").select_option("anterior")
    page.get_by_label("When it hurts").select_option("during_run_worsening")
    page.get_by_label("Pain at rest (0-10)").fill("2")
    page.get_by_label("Worst pain when running (0-10)").fill("6")
    page.get_by_role("button", name="Save intake and triage").click()
    expect(page.get_by_text("Intake saved.")).to_be_visible()
    expect(page.locator(".triage")).to_have_text("Prompt review")
    patient = Patient.objects.get(last_name="Okafor")
    assert patient.therapist_id == alice.pk
    assert Assessment.objects.get(patient=patient).triage_level == "prompt_review"


def test_a_program_is_prescribed_from_a_template(page: Page, live_server, alice, pat):
    template = ProgramTemplate.objects.filter(clinic__isnull=True).order_by("name").first()
    assert template is not None
    sign_in(page, live_server.url, alice.email, PASSWORD)
    page.goto(f"{live_server.url}/console/patients/{pat.pk}/")
    page.get_by_role("link", name="Prescribe a program").click()
    page.get_by_label("Template").select_option(str(template.pk))
    page.get_by_role("button", name="Use it").click()
    first = template.items.order_by("order", "id").first()
    page.get_by_label(f"Sets for {first.exercise.name}").fill("5")
    page.get_by_role("button", name="Prescribe").click()
    expect(page.get_by_text(f"{first.exercise.name}: 5 \u00d7")).to_be_visible()
    program = PatientProgram.objects.get(patient=pat, is_active=True)
    assert program.template_id == template.pk


def test_another_clinics_therapist_gets_404_on_the_forms(page: Page, live_server, carol, pat):
    sign_in(page, live_server.url, carol.email, PASSWORD)
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    for tail in ("intake/", "program/", "outcome/", "discharge/"):
        response = page.goto(f"{live_server.url}/console/patients/{pat.pk}/{tail}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()
