"""GET /api/v1/patients/{id}/fhir/: a FHIR R4 Bundle that fhir.resources accepts, scoped,
audited, in a constant number of queries."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from clinic.models import AuditEvent
from patients.models import Escalation
from patients.services import EvidenceInput, escalation_raise
from programs import services as program_services
from programs.models import RunLadder
from tests.assessments.conftest import make_intake, make_response
from tests.conftest import assert_error
from tests.programs.conftest import prescribe

pytestmark = pytest.mark.django_db


def url(patient):
    return f"/api/v1/patients/{patient.pk}/fhir/"


def check_in(client, **fields):
    recorded_at = timezone.now() - timedelta(minutes=fields.pop("minutes_ago", 5))
    body = {"recorded_at": recorded_at.isoformat(), **fields}
    response = client.post(
        "/api/v1/app/check-ins/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def record(pat, alice, pat_api):
    """Pat, with a record number, a program, a ladder, check-ins, outcome measures and
    escalations of several kinds."""
    pat.external_id, pat.email, pat.phone = "MRN-0042", "pat@example.org", "+1 555 0100"
    pat.save(update_fields=["external_id", "email", "phone"])
    program = prescribe(pat, alice, "clamshell", "wall_sit", patient_note="Slowly.")
    ladder = RunLadder.objects.get(clinic__isnull=True, code="default")
    program_services.ladder_start(patient=pat, by=alice, ladder=ladder, level=3)
    quiet = check_in(pat_api, pain_rest=2, pain_morning=3, minutes_ago=600)
    run = check_in(
        pat_api,
        pain_rest=2,
        ran=True,
        run_minutes=24,
        run_km=3.5,
        pain_during_run=3,
        pain_after_run=2,
        minutes_ago=300,
    )
    flag = check_in(pat_api, pain_rest=4, symptoms=["locking"], minutes_ago=60)
    make_response(pat, "nprs", {"pain": 4}, by=alice)
    make_response(pat, "lefs", {str(i): 3 for i in range(1, 21)})
    with transaction.atomic():
        escalation_raise(
            patient=pat,
            code="red_flag_emergency",
            evidence=EvidenceInput(severity="critical", rationale="calf pain and swelling"),
        )
    Escalation.objects.filter(code="red_flag_emergency").update(
        status="resolved", resolved_at=timezone.now(), resolution_note="seen"
    )
    return {"program": program, "quiet": quiet, "run": run, "flag": flag}


def resources(bundle, resource_type):
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def test_the_bundle_validates_as_fhir_r4_and_every_resource_as_its_type(alice_api, record):
    response = alice_api.get(url(record["program"].patient))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json"
    body = response.json()
    bundle = Bundle.model_validate(body)
    assert bundle.type == "collection"
    for entry in body["entry"]:
        resource = entry["resource"]
        model = get_fhir_model_class(resource["resourceType"])
        assert model.model_validate(resource).id == resource["id"]
    full_urls = {e["fullUrl"] for e in body["entry"]}
    assert len(full_urls) == len(body["entry"])
    # Every reference points at an entry of the bundle.
    subjects = {
        r["subject"]["reference"] for r in (e["resource"] for e in body["entry"]) if "subject" in r
    }
    assert subjects and subjects <= full_urls


def test_the_patient_carries_the_clinic_record_number_and_contact(alice_api, record, pat):
    (patient,) = resources(alice_api.get(url(pat)).json(), "Patient")
    assert patient["name"] == [{"use": "official", "family": "Pending", "given": ["Pat"]}]
    assert patient["birthDate"] == pat.date_of_birth.isoformat()
    (mrn,) = [i for i in patient["identifier"] if i.get("type")]
    assert mrn["type"]["coding"][0]["code"] == "MR"
    assert mrn["value"] == "MRN-0042"
    assert mrn["system"].endswith(f"/fhir/identifiers/clinic/{pat.clinic_id}/record-number")
    assert {"system": "email", "value": "pat@example.org"} in patient["telecom"]
    assert patient["active"] is True


def test_each_reported_pain_is_a_loinc_72514_3_observation(alice_api, record, pat):
    observations = resources(alice_api.get(url(pat)).json(), "Observation")
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    # quiet: rest + morning; run: rest + during + after; flag: rest.
    assert len(pain) == 6
    values = {
        (o["id"], o["valueInteger"])
        for o in pain
        if o["id"].startswith(f"check-in-{record['run']['id']}-")
    }
    assert values == {
        (f"check-in-{record['run']['id']}-pain-rest", 2),
        (f"check-in-{record['run']['id']}-pain-during-run", 3),
        (f"check-in-{record['run']['id']}-pain-after-run", 2),
    }
    assert all(
        o["code"]["coding"][0]["display"]
        == "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
        for o in pain
    )
    effective = {o["effectiveDateTime"] for o in pain if o["id"].endswith("-pain-morning")}
    assert effective == {record["quiet"]["recorded_at"].replace("Z", "+00:00")}


def test_a_run_is_an_exercise_activity_with_duration_and_distance(alice_api, record, pat):
    observations = resources(alice_api.get(url(pat)).json(), "Observation")
    (run,) = [o for o in observations if o["code"]["coding"][0]["code"] == "73985-4"]
    components = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in run["component"]}
    assert components["55411-3"] == {
        "value": 24,
        "unit": "min",
        "system": "http://unitsofmeasure.org",
        "code": "min",
    }
    assert components["55412-1"]["value"] == 3.5 and components["55412-1"]["code"] == "km"


def test_outcome_measures_are_questionnaire_responses_with_answers_and_scores(
    alice_api, alice, record, pat
):
    responses = resources(alice_api.get(url(pat)).json(), "QuestionnaireResponse")
    by_instrument = {r["questionnaire"].rsplit("/", 1)[1]: r for r in responses}
    assert set(by_instrument) == {"nprs", "lefs"}
    lefs = by_instrument["lefs"]
    assert lefs["status"] == "completed"
    answers = [i for i in lefs["item"] if i["linkId"] != "scores"]
    assert [i["linkId"] for i in answers] == [str(n) for n in range(1, 21)]
    assert all(i["answer"] == [{"valueInteger": 3}] for i in answers)
    (scores,) = [i for i in lefs["item"] if i["linkId"] == "scores"]
    assert scores["item"][0]["answer"] == [{"valueDecimal": 60}]
    assert by_instrument["nprs"]["author"] == {"display": alice.display_name}
    assert lefs["author"] == lefs["subject"]


def test_the_active_program_is_a_care_plan_with_exercises_and_the_ladder(alice_api, record, pat):
    (plan,) = resources(alice_api.get(url(pat)).json(), "CarePlan")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert plan["description"] == "Slowly."
    texts = [a["detail"]["code"]["text"] for a in plan["activity"]]
    assert texts == ["Clamshell", "Wall sit", "Return-to-run ladder"]
    assert plan["activity"][0]["detail"]["scheduledTiming"]["repeat"]["periodUnit"] == "wk"
    ladder = plan["activity"][-1]["detail"]
    assert "level 3 of 8" in ladder["description"]
    # The mechanical red flag of the last check-in paused the ladder.
    assert ladder["status"] == "on-hold"


def test_only_unresolved_red_flags_are_flags(alice_api, record, pat):
    (flag,) = resources(alice_api.get(url(pat)).json(), "Flag")
    assert flag["code"]["coding"][0]["code"] == "red_flag_mechanical"
    assert flag["status"] == "active"
    assert flag["category"][0]["coding"][0]["code"] == "clinical"


def test_an_urgent_intake_referral_is_a_flag(alice_api, alice, pat):
    make_intake(pat, alice, symptoms=["calf_pain_swelling"])
    (flag,) = resources(alice_api.get(url(pat)).json(), "Flag")
    assert flag["code"]["coding"][0]["code"] == "intake_urgent_referral"


def test_a_new_patient_is_a_bundle_of_one_patient(alice_api, pat):
    body = alice_api.get(url(pat)).json()
    Bundle.model_validate(body)
    assert [e["resource"]["resourceType"] for e in body["entry"]] == ["Patient"]


def test_plain_json_is_served_when_asked_for(alice_api, pat):
    response = alice_api.get(url(pat), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_two_exports_name_the_same_resources(alice_api, record, pat):
    first = [e["fullUrl"] for e in alice_api.get(url(pat)).json()["entry"]]
    second = [e["fullUrl"] for e in alice_api.get(url(pat)).json()["entry"]]
    assert first == second


def test_the_export_is_audited(alice_api, alice, pat):
    alice_api.get(url(pat))
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.patient_id, event.object_type) == (alice, pat.pk, "patient")


def test_another_clinic_gets_404_and_leaves_no_trace(carol_api, pat):
    assert_error(carol_api.get(url(pat)), 404)
    assert not AuditEvent.objects.filter(patient_id=pat.pk).exists()


def test_a_patient_token_cannot_export(pat_api, pat):
    assert_error(pat_api.get(url(pat)), 401)


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_record(alice_api, alice, pat, pat_api, quinn):
    prescribe(pat, alice, "clamshell")
    prescribe(quinn, alice, "clamshell")
    check_in(pat_api, pain_rest=1)
    make_response(pat, "nprs", {"pain": 2}, by=alice)
    few = _queries(alice_api, url(pat))
    prescribe(pat, alice, "clamshell", "wall_sit", "step_up", "single_leg_balance")
    for minutes in range(10, 20):
        check_in(
            pat_api,
            pain_rest=2,
            ran=True,
            run_minutes=20,
            pain_during_run=1,
            pain_after_run=1,
            minutes_ago=minutes * 60,
        )
    for _ in range(5):
        make_response(pat, "nprs", {"pain": 3}, by=alice)
    many = _queries(alice_api, url(pat))
    assert few == many
