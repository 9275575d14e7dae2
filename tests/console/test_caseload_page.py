"""The console's caseload: priority order as the API's, every number labelled, filters and
search in the query string, the table alone for htmx's refresh, audit, and query counts."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from clinic.models import AuditEvent
from patients.models import Patient, PatientSummary
from programs import services as program_services
from programs.models import RunLadder
from tests.console.conftest import check_in, raise_escalation, session_client
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = "/console/"


def names(html: str) -> list[str]:
    return re.findall(r'<a class="name" href="/console/patients/\d+/">([^<]+)</a>', html)


def test_patients_in_the_apis_priority_order(alice_console, alice_api, alice):
    now = timezone.now()
    quiet = PatientFactory(therapist=alice, first_name="Quiet", last_name="One")
    check_in(quiet, now - timedelta(hours=1), pain_rest=1)
    silent = PatientFactory(therapist=alice, first_name="Silent", last_name="Two")
    check_in(silent, now - timedelta(days=6), pain_rest=1)
    rising = PatientFactory(therapist=alice, first_name="Rising", last_name="Three")
    for days_ago in (3, 2, 1):
        check_in(rising, now - timedelta(days=days_ago), pain_rest=2)
    check_in(rising, now - timedelta(minutes=5), pain_rest=5)
    red = PatientFactory(therapist=alice, first_name="Red", last_name="Flag")
    check_in(red, now - timedelta(hours=2), symptoms=["calf_pain_swelling"])

    html = alice_console.get(URL).content.decode()
    api_order = [
        f"{e['first_name']} {e['last_name']}"
        for e in alice_api.get("/api/v1/caseload/").json()["results"]
    ]
    assert names(html) == api_order
    assert names(html)[0] == "Red Flag"
    first_row = html.split('<tr class="row ')[1]
    assert "sev-critical" in first_row and ">Critical<" in first_row
    rows = {names(row)[0]: row for row in html.split('<tr class="row ')[1:]}
    assert "Pain rising" in rows["Rising Three"] and "Pain rising" not in rows["Quiet One"]
    assert re.search(r"Silent [67] days", rows["Silent Two"])
    assert "Silent" not in rows["Quiet One"]


def test_a_row_labels_every_number(alice_console, alice, pat):
    pat.external_id = "MRN-0042"
    pat.save(update_fields=["external_id"])
    now = timezone.now()
    check_in(pat, now - timedelta(days=2), pain_rest=3)
    check_in(pat, now - timedelta(hours=2), pain_rest=6)
    ladder = RunLadder.objects.get(code="default", clinic=None)
    program_services.ladder_start(patient=pat, by=alice, ladder=ladder, level=3)
    html = alice_console.get(URL).content.decode()
    assert "Pat Pending" in html and "Record MRN-0042" in html
    assert "latest <strong>6</strong>/10" in html
    assert re.search(r'<svg [^>]*role="img" aria-label="Peak pain over the last 14 days', html)
    assert html.count("<polyline") + html.count("<circle") >= 1
    assert re.search(r'<time datetime="[^"]+" title="[^"]+">2 h ago</time>', html)
    assert "Level 3" in html
    assert "Nothing due" in html  # no program: no adherence to show, and it says so


def test_paused_ladder_says_paused(alice_console, alice, pat):
    ladder = RunLadder.objects.get(code="default", clinic=None)
    program_services.ladder_start(patient=pat, by=alice, ladder=ladder)
    check_in(pat, timezone.now() - timedelta(hours=1), symptoms=["calf_pain_swelling"])
    html = alice_console.get(URL).content.decode()
    assert '<span class="tag paused">Paused</span>' in html


def test_filters_and_search_keep_to_the_query_string(alice_console, alice, bob, pat, quinn):
    pat.external_id = "MRN-7"
    pat.save(update_fields=["external_id"])
    raise_escalation(quinn, severity="moderate", code="pain_rising")
    assert names(alice_console.get(URL + "?whose=mine").content.decode()) == ["Pat Pending"]
    assert names(alice_console.get(URL + "?severity=moderate").content.decode()) == ["Quinn Quick"]
    assert names(alice_console.get(URL + "?q=mrn-7").content.decode()) == ["Pat Pending"]
    assert names(alice_console.get(URL + "?q=quinn+quick").content.decode()) == ["Quinn Quick"]
    assert names(alice_console.get(URL + "?q=nobody").content.decode()) == []
    assert names(alice_console.get(URL + "?status=discharged").content.decode()) == []
    page = alice_console.get(URL + "?whose=mine&severity=high").content.decode()
    # The minute's refresh asks for the same filters.
    assert 'hx-get="/console/?whose=mine&amp;severity=high"' in page
    assert 'hx-trigger="every 60s"' in page
    second = alice_console.get(URL + "?status=active&offset=50").content.decode()
    assert 'hx-get="/console/?status=active&amp;offset=50"' in second
    assert '<option value="mine" selected>' in page


def test_unreadable_filters_fall_back_to_the_defaults(alice_console, pat):
    response = alice_console.get(URL + "?severity=urgent&status=gone&offset=-4")
    assert response.status_code == 200
    assert names(response.content.decode()) == ["Pat Pending"]


def test_htmx_gets_the_table_alone(alice_console, pat):
    response = alice_console.get(URL, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="caseload-table"')
    assert "<html" not in html and "Pat Pending" in html


def test_another_clinic_sees_none_of_clinic_as_patients(carol_console, pat):
    html = carol_console.get(URL).content.decode()
    assert "Pat Pending" not in html and names(html) == []


def test_each_patient_shown_is_audited_as_the_api_does(alice_console, alice, pat, quinn):
    alice_console.get(URL)
    events = AuditEvent.objects.filter(actor=alice, object_type="caseload", action="list")
    assert {e.patient_id for e in events} == {pat.pk, quinn.pk}


def _bulk_patients(alice, count: int) -> None:
    made = Patient.objects.bulk_create(
        Patient(
            clinic=alice.clinic,
            therapist=alice,
            first_name=f"P{i}",
            last_name="Bulk",
            date_of_birth=date(1990, 1, 1),
            timezone="Europe/Berlin",
            external_id=f"B{i}",
        )
        for i in range(count)
    )
    today = timezone.now().date().isoformat()
    PatientSummary.objects.bulk_create(
        PatientSummary(
            patient=p,
            clinic=alice.clinic,
            last_check_in_at=timezone.now() - timedelta(hours=i),
            max_severity_rank=i % 4,
            open_low=1,
            daily_peaks={today: i % 10},
        )
        for i, p in enumerate(made)
    )
    ladder = RunLadder.objects.get(code="default", clinic=None)
    for patient in made[:3]:
        program_services.ladder_start(patient=patient, by=alice, ladder=ladder)


# session, user, clinic, the page (patients, summaries, ladders joined), the audit INSERT: the
# API's five (its token and sweep are the session and user here), within its budget of 8;
# and one for the page's remote-monitoring marks (who is close to a threshold).
CASELOAD_QUERIES = 6


@pytest.mark.parametrize("rows", [10, 50])
def test_query_count_is_the_same_at_10_and_50_patients(alice, rows, django_assert_num_queries):
    _bulk_patients(alice, rows)
    client = session_client(alice)
    client.get(URL)  # the first request after sign-in stamps the session's last-seen time
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(URL)
    assert len(names(response.content.decode())) == min(rows, 50)
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_X_CONSOLE_POLL="1")
    assert response.status_code == 200


def test_two_thousand_patients_stay_within_the_apis_budget(alice, django_assert_max_num_queries):
    _bulk_patients(alice, 2000)
    client = session_client(alice)
    with django_assert_max_num_queries(8 + 1):  # the API's budget and the monitoring marks
        first = client.get(URL)
    assert len(names(first.content.decode())) == 50
    html = first.content.decode()
    assert "Patients 1\u201350" in html
    with django_assert_max_num_queries(8 + 1):
        deep = client.get(URL + "?offset=1950")
    assert len(names(deep.content.decode())) == 50
    assert "Next page" not in deep.content.decode()
