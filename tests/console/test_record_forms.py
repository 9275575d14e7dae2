"""The patient record's forms in the console: a new patient, an intake, a program from a
template, an outcome measure; pause, resume and discharge; the run ladder's actions. Errors in
the API's words next to the field, nothing half-saved, another clinic's patient is a 404."""

import pytest

from assessments.models import Assessment, QuestionnaireResponse
from clinic.models import AuditEvent
from patients.models import Patient
from programs.models import LadderEvent, PatientLadder, PatientProgram, ProgramTemplate, RunLadder
from programs.services import ladder_start
from tests.assessments.conftest import make_intake, make_response

pytestmark = pytest.mark.django_db

INTAKE = {
    "symptoms": "none",
    "trauma_unable_to_bear_weight": "no",
    "location": "anterior",
    "timing": "during_run_worsening",
    "pain_rest": "2",
    "pain_worst_running": "6",
    "aggravators": ["stairs", "downhill"],
    "weekly_km_now": "40",
    "weekly_km_4_weeks_ago": "25",
    "cadence_spm": "160",
    "overstriding": "yes",
    "shoe_km": "",
    "asymmetry": "unknown",
}


def page(patient: Patient, tail: str = "") -> str:
    return f"/console/patients/{patient.pk}/{tail}"


# --- New patient ---------------------------------------------------------------------------


def test_a_new_patient_is_saved_with_the_signed_in_therapist(alice_console, alice):
    form = alice_console.get("/console/patients/new/").content.decode()
    assert f'<option value="{alice.pk}" selected>' in form
    response = alice_console.post(
        "/console/patients/new/",
        {
            "first_name": "Nia",
            "last_name": "Okafor",
            "date_of_birth": "1990-04-02",
            "timezone": "Europe/Berlin",
            "external_id": "MRN-77",
            "therapist": str(alice.pk),
        },
    )
    patient = Patient.objects.get(last_name="Okafor")
    assert response.status_code == 302 and response["Location"] == page(patient)
    assert patient.therapist == alice and patient.clinic_id == alice.clinic_id
    assert AuditEvent.objects.filter(
        actor=alice, object_type="patient", action="create", patient_id=patient.pk
    ).exists()


def test_a_new_patient_with_errors_is_not_saved_and_says_why(alice_console, pat):
    pat.external_id = "MRN-1"
    pat.save(update_fields=["external_id"])
    response = alice_console.post(
        "/console/patients/new/",
        {
            "first_name": "Nia",
            "last_name": "",
            "date_of_birth": "2999-01-01",
            "timezone": "Mars/Olympus",
            "external_id": "MRN-1",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="last_name-error">This field may not be blank.' in html
    assert 'id="date_of_birth-error">Date of birth is not plausible.' in html
    assert "is not an IANA time zone name." in html
    assert not Patient.objects.filter(first_name="Nia").exists()


def test_another_clinics_therapist_cannot_be_chosen(alice_console, carol):
    response = alice_console.post(
        "/console/patients/new/",
        {
            "first_name": "Nia",
            "last_name": "Okafor",
            "date_of_birth": "1990-04-02",
            "timezone": "Europe/Berlin",
            "therapist": str(carol.pk),
        },
    )
    assert response.status_code == 422
    assert 'id="therapist-error">' in response.content.decode()
    assert not Patient.objects.filter(last_name="Okafor").exists()


# --- Intake --------------------------------------------------------------------------------


def test_the_intake_form_asks_the_red_flags_first(alice_console, pat):
    html = alice_console.get(page(pat, "intake/")).content.decode()
    assert html.index("Red-flag screen first") < html.index('name="location"')
    assert html.index('name="symptoms"') < html.index('name="pain_rest"')


def test_an_intake_is_saved_and_its_triage_shown(alice_console, alice, pat):
    response = alice_console.post(page(pat, "intake/"), INTAKE)
    assert response.status_code == 302
    intake = Assessment.objects.get(patient=pat)
    assert intake.created_by == alice and intake.overstriding is True and intake.asymmetry is None
    assert intake.triage_level == "prompt_review"
    html = alice_console.get(response["Location"]).content.decode()
    assert "Intake saved." in html and "Prompt review" in html
    for item in intake.triage["reasons"]:
        assert item["detail"] in html
    for pattern in intake.patterns:
        assert pattern["rationale"] in html
    for factor in intake.factors:
        assert factor["rationale"] in html
    assert AuditEvent.objects.filter(
        object_type="assessment", action="create", patient_id=pat.pk
    ).exists()


def test_an_intake_with_errors_saves_nothing(alice_console, pat):
    bad = {
        **INTAKE,
        "symptoms": [],
        "trauma_unable_to_bear_weight": "",
        "pain_rest": "11",
        "cadence_spm": "fast",
    }
    response = alice_console.post(page(pat, "intake/"), bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="symptoms-error">This field is required.' in html
    assert 'id="trauma_unable_to_bear_weight-error">This field is required.' in html
    assert 'id="pain_rest-error">Ensure this value is less than or equal to 10.' in html
    assert 'id="cadence_spm-error">A whole number is required, not' in html
    assert not Assessment.objects.exists()


# --- Program -------------------------------------------------------------------------------


def test_a_program_is_prescribed_from_a_template_with_adjusted_doses(alice_console, alice, pat):
    template = ProgramTemplate.objects.filter(clinic__isnull=True).first()
    assert template is not None
    items = list(template.items.order_by("order", "id"))
    form = alice_console.get(page(pat, f"program/?template={template.pk}")).content.decode()
    assert items[0].exercise.name in form
    post = {"template": str(template.pk), "exercise": [str(i.exercise_id) for i in items]}
    for index, item in enumerate(items):
        post |= {
            f"sets-{index}": str(item.sets),
            f"reps-{index}": str(item.reps),
            f"hold_seconds-{index}": str(item.hold_seconds),
            f"days_per_week-{index}": str(item.days_per_week),
            f"load-{index}": item.load,
        }
    post["sets-0"] = "4"
    response = alice_console.post(page(pat, "program/"), post)
    assert response.status_code == 302, response.content.decode()[-2000:]
    program = PatientProgram.objects.get(patient=pat, is_active=True)
    assert program.template_id == template.pk
    assert program.items.get(exercise_id=items[0].exercise_id).sets == 4
    assert AuditEvent.objects.filter(object_type="program", action="create").exists()


def test_a_bad_dose_is_shown_next_to_it_and_nothing_is_prescribed(alice_console, pat):
    template = ProgramTemplate.objects.filter(clinic__isnull=True).first()
    assert template is not None
    first = template.items.order_by("order", "id").first()
    response = alice_console.post(
        page(pat, "program/"),
        {"template": str(template.pk), "exercise": [str(first.exercise_id)], "sets-0": "0"},
    )
    assert response.status_code == 422
    assert 'id="sets-0-error">Ensure this value is greater than or equal to 1.' in (
        response.content.decode()
    )
    assert not PatientProgram.objects.filter(patient=pat).exists()


# --- Outcome measures ----------------------------------------------------------------------


def test_an_outcome_measure_is_scored_with_its_change_and_mcid(alice_console, alice, pat):
    make_response(pat, "lefs", {str(i): 2 for i in range(1, 21)}, by=alice)
    response = alice_console.post(
        page(pat, "outcome/"), {"instrument": "lefs", **{str(i): "3" for i in range(1, 21)}}
    )
    assert response.status_code == 302
    assert QuestionnaireResponse.objects.filter(patient=pat).count() == 2
    html = alice_console.get(page(pat)).content.decode()
    assert "Score 60 (+20 since the first)" in html
    assert "MCID 9 met" in html


def test_koos_has_no_agreed_mcid(alice_console, alice, pat):
    make_response(pat, "koos_pf", {str(i): 2 for i in range(1, 12)}, by=alice)
    make_response(pat, "koos_pf", {str(i): 1 for i in range(1, 12)}, by=alice)
    assert "No agreed MCID" in alice_console.get(page(pat)).content.decode()


def test_an_outcome_measure_without_answers_is_refused(alice_console, pat):
    response = alice_console.post(page(pat, "outcome/"), {"instrument": "nprs", "pain": ""})
    assert response.status_code == 422
    assert "Answer at least one item." in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


# --- Status and ladder ---------------------------------------------------------------------


def test_pause_resume_and_a_confirmed_discharge(alice_console, alice, pat):
    assert alice_console.post(page(pat, "pause/")).status_code == 302
    pat.refresh_from_db()
    assert pat.status == "paused"
    assert "Resume patient" in alice_console.get(page(pat)).content.decode()
    assert alice_console.post(page(pat, "pause/")).status_code == 409
    assert alice_console.post(page(pat, "resume/")).status_code == 302
    pat.refresh_from_db()
    assert pat.status == "active"

    assert (
        "Yes, discharge this patient" in alice_console.get(page(pat, "discharge/")).content.decode()
    )
    refused = alice_console.post(page(pat, "discharge/"))
    assert refused.status_code == 422 and "Tick the box" in refused.content.decode()
    pat.refresh_from_db()
    assert pat.status == "active"
    assert alice_console.post(page(pat, "discharge/"), {"confirm": "yes"}).status_code == 302
    pat.refresh_from_db()
    assert pat.status == "discharged"
    actions = set(
        AuditEvent.objects.filter(object_type="patient", patient_id=pat.pk).values_list(
            "action", flat=True
        )
    )
    assert {"pause", "resume", "discharge"} <= actions


def test_the_ladder_level_needs_a_reason_and_hold_and_resume_work(alice_console, alice, pat):
    ladder_start(
        patient=pat,
        by=alice,
        ladder=RunLadder.objects.get(clinic__isnull=True, code="default"),
        level=1,
    )
    refused = alice_console.post(page(pat, "ladder/level/"), {"level": "3", "note": ""})
    assert refused.status_code == 422
    assert 'id="level-note-error">This field may not be blank.' in refused.content.decode()
    # The page came back at the action's URL: its links still lead to the patient's page.
    assert f'href="{page(pat)}?days=90#pain-title"' in refused.content.decode()
    assert PatientLadder.objects.get(patient=pat).level == 1

    assert (
        alice_console.post(
            page(pat, "ladder/level/"), {"level": "3", "note": "Ran well in clinic."}
        ).status_code
        == 302
    )
    assert PatientLadder.objects.get(patient=pat).level == 3
    assert alice_console.post(page(pat, "ladder/hold/"), {"note": "Scan"}).status_code == 302
    assert PatientLadder.objects.get(patient=pat).paused
    assert alice_console.post(page(pat, "ladder/resume/"), {"note": ""}).status_code == 302
    assert not PatientLadder.objects.get(patient=pat).paused
    assert LadderEvent.objects.filter(patient_ladder__patient=pat).count() == 4


def test_the_chart_switches_to_90_days(alice_console, alice, pat):
    make_intake(pat, alice)
    html = alice_console.get(page(pat) + "?days=90").content.decode()
    assert "Peak pain, last 90 days" in html and "over 90 days" in html
    assert f'<a href="{page(pat)}?days=30#pain-title">30 days</a>' in html


# --- Tenancy -------------------------------------------------------------------------------

TAILS = ["intake/", "program/", "outcome/", "discharge/"]
POSTS = ["intake/", "program/", "outcome/", "pause/", "resume/", "discharge/", "ladder/hold/"]


@pytest.mark.parametrize("tail", TAILS)
def test_another_clinic_gets_404_on_the_forms(carol_console, pat, tail):
    assert carol_console.get(page(pat, tail)).status_code == 404


@pytest.mark.parametrize("tail", POSTS)
def test_another_clinic_cannot_post_and_nothing_changes(carol_console, pat, tail):
    response = carol_console.post(page(pat, tail), {**INTAKE, "confirm": "yes"})
    assert response.status_code == 404
    pat.refresh_from_db()
    assert pat.status == "active"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("tail", [*TAILS, "new"])
def test_anonymous_gets_the_sign_in_page(visitor, pat, tail):
    target = "/console/patients/new/" if tail == "new" else page(pat, tail)
    response = visitor.get(target)
    assert response.status_code == 302 and response["Location"].startswith("/console/sign-in/")


def test_the_messages_and_monitoring_panels_never_load_the_page_into_itself(alice_console, pat):
    # Without their URLs an empty hx-get would fetch this very page into the panel.
    html = alice_console.get(page(pat)).content.decode()
    assert '<section id="patient-messages"' in html and '<section id="patient-monitoring"' in html
    assert 'hx-get=""' not in html


def test_outcomes_and_90_days_keep_the_page_to_a_fixed_number_of_queries(
    alice, pat, django_assert_max_num_queries
):
    from tests.console.conftest import session_client

    for value in range(12):
        make_response(pat, "nprs", {"pain": value % 10}, by=alice)
        make_response(pat, "koos_pf", {str(i): value % 4 for i in range(1, 12)}, by=alice)
    client = session_client(alice)
    client.get(page(pat) + "?days=90")
    with django_assert_max_num_queries(16):
        response = client.get(page(pat) + "?days=90")
    assert response.status_code == 200
    # The latest 20 of the 24 responses: 10 of them KOOS-PF.
    assert response.content.decode().count("No agreed MCID") == 10
