"""A patient's page: profile, the 30-day pain chart with the intake baseline and MCID band,
escalations, check-ins, intake, program and ladder; the enrollment code with its QR code;
tenancy and audit."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.services import assessment_create
from clinic.models import AuditEvent
from patients.models import EnrollmentCode
from patients.services import patient_discharge
from tests.assessments.conftest import intake_body
from tests.console.conftest import check_in, raise_escalation

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return f"/console/patients/{patient.pk}/"


def test_the_page_shows_the_record(alice_console, alice, pat):
    data = intake_body(pat)
    data.pop("patient")
    intake = assessment_create(patient=pat, by=alice, data=data)
    now = timezone.now()
    check_in(pat, now - timedelta(days=2), pain_rest=3)
    check_in(pat, now - timedelta(hours=2), pain_rest=5, symptoms=["swelling"])
    check_in(
        pat, now - timedelta(hours=1), pain_rest=3, symptoms=["hot_swollen_knee_fever", "locking"]
    )
    escalation = raise_escalation(pat)
    response = alice_console.get(url(pat))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Pat Pending</h1>" in html
    assert re.search(
        r'<svg width="100%" viewBox="0 0 640 282" role="img" aria-label="Daily peak pain', html
    )
    baseline = intake.pain_worst_running
    assert f"intake baseline {baseline}, MCID band {baseline - 2} to {baseline + 2}" in html
    assert '<rect class="band"' in html and '<line class="baseline"' in html
    assert f'href="/console/escalations/{escalation.pk}/">Pain severe</a>' in html
    assert "<td>5/10</td>" in html and "<td>Swelling</td>" in html
    # A red-flag row names its symptoms as the symptom list does, never as raw codes.
    assert "<td>Hot, swollen knee with fever; Locking</td>" in html
    assert intake.triage_level.replace("_", " ").capitalize() in html
    assert AuditEvent.objects.filter(
        actor=alice, object_type="patient", action="retrieve", patient_id=pat.pk
    ).exists()


def test_without_an_intake_no_baseline_is_drawn(alice_console, pat):
    html = alice_console.get(url(pat)).content.decode()
    assert "No intake yet: no baseline to draw." in html
    assert '<rect class="band"' not in html


def test_an_enrollment_code_is_shown_once_with_a_qr_code(alice_console, alice, pat):
    response = alice_console.post(f"{url(pat)}enrollment-code/")
    assert response.status_code == 200
    html = response.content.decode()
    code = re.search(r'<strong class="code">([A-Z0-9-]+)</strong>', html).group(1)
    assert re.search(r'<svg [^>]*class="segno"', html)
    assert EnrollmentCode.objects.filter(patient=pat, used_at=None, revoked_at=None).count() == 1
    assert code not in alice_console.get(url(pat)).content.decode()  # shown once
    assert AuditEvent.objects.filter(action="enrollment_code", patient_id=pat.pk).exists()


def test_a_discharged_patient_gets_no_code_and_is_told_why(alice_console, alice, pat):
    patient_discharge(patient=pat, by=alice)
    response = alice_console.post(f"{url(pat)}enrollment-code/")
    assert response.status_code == 409
    assert "A discharged patient cannot enroll." in response.content.decode()


def test_another_clinics_patient_is_a_404(carol_console, pat):
    assert carol_console.get(url(pat)).status_code == 404
    assert carol_console.post(f"{url(pat)}enrollment-code/").status_code == 404
    assert not EnrollmentCode.objects.filter(patient=pat).exists()


def test_query_count_does_not_grow_with_the_history(alice, pat, django_assert_max_num_queries):
    from tests.console.conftest import session_client

    now = timezone.now()
    for days_ago in range(20):
        check_in(pat, now - timedelta(days=days_ago, hours=1), pain_rest=days_ago % 5)
    raise_escalation(pat)
    client = session_client(alice)
    client.get(url(pat))
    with django_assert_max_num_queries(16):
        assert client.get(url(pat)).status_code == 200


def test_the_title_names_the_patient_and_the_panels_load_from_their_own_pages(alice_console, pat):
    html = alice_console.get(url(pat)).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title == f"{pat.first_name} {pat.last_name} · Stride"
    for section, path in (("patient-messages", "messages"), ("patient-monitoring", "monitoring")):
        assert html.count(f'id="{section}"') == 1
        assert f'id="{section}" hx-get="{url(pat)}{path}/" hx-trigger="load"' in html
