"""POST/GET /api/v1/assessments/: intake, triage, escalation, tenancy, audit, bad input."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Assessment
from clinic.models import AuditEvent
from patients.models import Escalation, EscalationEvidence
from tests.assessments.conftest import intake_body, make_intake
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/"

INPUT_FIELDS = set(intake_body(1)) | {"assessed_at"}


def post(client, body):
    return client.post(URL, body, format="json")


def assert_field_error(response, field):
    """400 in the one shape, on the field or on one of its list items (`symptoms.0`)."""
    body = assert_error(response, 400)
    attrs = [e["attr"] for e in body["errors"]]
    assert any(a == field or a.startswith(f"{field}.") for a in attrs), body


# --- Creating an intake --------------------------------------------------------------------


def test_routine_intake_is_stored_and_judged(alice_api, alice, pat):
    response = post(
        alice_api,
        intake_body(
            pat,
            aggravators=["downhill", "stairs", "downhill"],
            weekly_km_now=40,
            weekly_km_4_weeks_ago=25,
            cadence_spm=152,
            findings=["hip_abductor_weakness", "limited_hip_mobility"],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == INPUT_FIELDS | {
        "id",
        "created_by",
        "created_at",
        "triage",
        "patterns",
        "factors",
    }
    assert body["patient"] == pat.pk
    assert body["created_by"] == alice.pk
    assert body["aggravators"] == ["downhill", "stairs"]  # repeats dropped
    assert body["triage"]["level"] == "routine"
    assert [r["code"] for r in body["triage"]["reasons"]] == ["no_referral_criteria"]
    assert body["patterns"] == [
        {
            "code": "patellofemoral_pain",
            "rationale": "anterior location suggests patellofemoral pain; "
            "fitting aggravators: downhill, stairs",
        }
    ]
    assert [(f["code"], f["focus"]) for f in body["factors"]] == [
        ("load_spike", "load_management"),
        ("low_cadence", "gait_cadence"),
        ("hip_weakness", "hip_strength"),
        ("stiff_ankle_or_hip", "mobility"),
    ]
    row = Assessment.objects.get(pk=body["id"])
    assert row.clinic_id == pat.clinic_id
    assert row.triage_level == "routine"
    assert row.triage == body["triage"]
    assert not Escalation.objects.exists()


def test_only_required_fields(alice_api, pat):
    body = {
        "patient": pat.pk,
        "location": "lateral",
        "timing": "during_run_stable",
        "pain_rest": 0,
        "pain_worst_running": 6,
        "symptoms": [],
        "trauma_unable_to_bear_weight": False,
    }
    response = post(alice_api, body)
    assert response.status_code == 201, response.content
    stored = response.json()
    assert stored["aggravators"] == [] and stored["findings"] == []
    assert stored["weekly_km_now"] is None and stored["overstriding"] is None
    assert stored["factors"] == []
    assert stored["patterns"][0]["code"] == "iliotibial_band_syndrome"


def test_prompt_review_intake_opens_no_escalation(alice_api, pat):
    response = post(alice_api, intake_body(pat, timing="at_night", pain_rest=5))
    assert response.json()["triage"]["level"] == "prompt_review"
    assert not Escalation.objects.exists()


@pytest.mark.parametrize(
    ("timing", "pain_rest", "level"),
    [("at_night", 1, "prompt_review"), ("at_rest", 4, "routine"), ("at_rest", 5, "prompt_review")],
)
def test_night_pain_needs_prompt_review_at_any_rest_pain(alice_api, pat, timing, pain_rest, level):
    response = post(alice_api, intake_body(pat, timing=timing, pain_rest=pain_rest))
    assert response.status_code == 201, response.content
    triage = response.json()["triage"]
    assert triage["level"] == level
    if level == "prompt_review":
        assert [r["code"] for r in triage["reasons"]] == ["rest_or_night_pain"]


def test_urgent_referral_opens_a_critical_escalation_with_evidence(alice_api, pat):
    before = timezone.now()
    response = post(
        alice_api,
        intake_body(pat, symptoms=["calf_pain_swelling", "locking"], pain_rest=3),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["triage"]["level"] == "urgent_referral"

    escalation = Escalation.objects.get()
    assert escalation.patient_id == pat.pk
    assert escalation.clinic_id == pat.clinic_id
    assert escalation.code == "intake_urgent_referral"
    assert escalation.severity == "critical"
    assert escalation.status == "open"
    assert before + timedelta(minutes=14) < escalation.acknowledge_by
    assert escalation.acknowledge_by <= timezone.now() + timedelta(minutes=15)
    evidence = EscalationEvidence.objects.get()
    assert evidence.assessment_id == body["id"]
    assert evidence.severity == "critical"
    assert evidence.values == {
        "triage": "urgent_referral",
        "reasons": ["emergency_symptom"],
        "emergency_symptoms": ["calf_pain_swelling"],
        "trauma_unable_to_bear_weight": False,
        "pain_rest": 3,
        "pain_worst_running": 5,
    }
    assert evidence.rationale == (
        f"Intake {body['id']}: urgent referral: "
        "emergency symptom calf_pain_swelling (possible deep-vein thrombosis)"
    )


def test_a_second_urgent_intake_adds_to_the_open_escalation(alice_api, pat):
    post(alice_api, intake_body(pat, trauma_unable_to_bear_weight=True))
    second = post(alice_api, intake_body(pat, symptoms=["numbness_tingling"])).json()
    escalation = Escalation.objects.get()
    assert escalation.occurrences == 2
    assert list(escalation.evidence.values_list("assessment_id", flat=True)) == [
        second["id"] - 1,
        second["id"],
    ]


def test_clinic_thresholds_are_used_and_the_stored_result_does_not_change(alice_api, pat, clinic_a):
    clinic_a.thresholds = {"low_cadence_spm": 170}
    clinic_a.save(update_fields=["thresholds"])
    created = post(alice_api, intake_body(pat, cadence_spm=165)).json()
    assert [f["code"] for f in created["factors"]] == ["low_cadence"]

    clinic_a.thresholds = {}
    clinic_a.save(update_fields=["thresholds"])
    again = alice_api.get(f"{URL}{created['id']}/").json()
    assert again["factors"] == created["factors"]


def test_create_is_audited(alice_api, alice, pat):
    body = post(alice_api, intake_body(pat)).json()
    event = AuditEvent.objects.get(action="create")
    assert (event.actor_id, event.patient_id, event.object_type, event.object_id) == (
        alice.pk,
        pat.pk,
        "assessment",
        str(body["id"]),
    )


# --- Reading -------------------------------------------------------------------------------


def test_list_newest_assessed_first_and_filters(alice_api, alice, pat, quinn):
    now = timezone.now()
    old = make_intake(pat, alice, assessed_at=now - timedelta(days=30))
    new = make_intake(pat, alice, assessed_at=now - timedelta(days=1), symptoms=["locking"])
    other = make_intake(quinn, alice, assessed_at=now - timedelta(days=10))

    ids = [a["id"] for a in alice_api.get(URL).json()["results"]]
    assert ids == [new.pk, other.pk, old.pk]
    ids = [a["id"] for a in alice_api.get(URL, {"patient": pat.pk}).json()["results"]]
    assert ids == [new.pk, old.pk]
    ids = [a["id"] for a in alice_api.get(URL, {"triage": "prompt_review"}).json()["results"]]
    assert ids == [new.pk]
    assert_error(alice_api.get(URL, {"triage": "bogus"}), 400, attr="triage")


def test_retrieve_and_list_are_audited(alice_api, alice, pat):
    intake = make_intake(pat, alice)
    assert alice_api.get(f"{URL}{intake.pk}/").status_code == 200
    alice_api.get(URL)
    events = AuditEvent.objects.filter(object_type="assessment").order_by("id")
    assert [(e.action, e.patient_id, e.object_id) for e in events] == [
        ("retrieve", pat.pk, str(intake.pk)),
        ("list", pat.pk, str(intake.pk)),
    ]


def test_colleague_sees_the_clinics_intakes(as_staff, bob, alice, pat):
    intake = make_intake(pat, alice)
    assert as_staff(bob).get(f"{URL}{intake.pk}/").status_code == 200


@pytest.mark.parametrize("rows", [2, 10])
def test_list_query_count_does_not_grow_with_rows(
    alice_api, alice, pat, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_intake(pat, alice)
    # knox token (2), clinic, page, audit insert: the same for 2 rows and for 10
    with django_assert_num_queries(5):
        response = alice_api.get(URL)
    assert len(response.json()["results"]) == rows


# --- Tenancy and authentication ------------------------------------------------------------


def test_anonymous_gets_401(api, alice, pat):
    intake = make_intake(pat, alice)
    assert_error(api.get(URL), 401)
    assert_error(api.get(f"{URL}{intake.pk}/"), 401)
    assert_error(post(api, intake_body(pat)), 401)
    assert Assessment.objects.count() == 1


def test_patient_token_gets_401_on_staff_endpoints(pat_api, alice, pat):
    intake = make_intake(pat, alice)
    assert_error(pat_api.get(URL), 401)
    assert_error(pat_api.get(f"{URL}{intake.pk}/"), 401)
    assert_error(post(pat_api, intake_body(pat)), 401)
    assert Assessment.objects.count() == 1


def test_another_clinic_sees_nothing(carol_api, alice, pat):
    intake = make_intake(pat, alice, symptoms=["cannot_bear_weight"])
    assert_error(carol_api.get(f"{URL}{intake.pk}/"), 404, "not_found")
    assert carol_api.get(URL).json()["results"] == []
    assert carol_api.get(URL, {"patient": pat.pk}).json()["results"] == []
    assert not AuditEvent.objects.filter(clinic=intake.clinic_id).exclude(action="create").exists()


def test_another_clinics_patient_is_refused_like_a_missing_one(carol_api, pat):
    foreign = assert_error(post(carol_api, intake_body(pat)), 400, "does_not_exist", "patient")
    missing = assert_error(post(carol_api, intake_body(999_999)), 400, "does_not_exist", "patient")
    assert foreign["errors"][0]["detail"].replace(str(pat.pk), "N") == missing["errors"][0][
        "detail"
    ].replace("999999", "N")
    assert not Assessment.objects.exists()
    assert not Escalation.objects.exists()


def test_carol_records_for_her_own_patient(carol_api, pat_b):
    response = post(carol_api, intake_body(pat_b))
    assert response.status_code == 201
    assert Assessment.objects.get().clinic_id == pat_b.clinic_id


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_rest", -1),
        ("pain_rest", 11),
        ("pain_rest", 6.5),
        ("pain_rest", "7"),
        ("pain_rest", True),
        ("pain_rest", None),
        ("pain_worst_running", 11),
        ("pain_worst_running", "10"),
        ("location", "front"),
        ("location", ""),
        ("timing", "sometimes"),
        ("aggravators", ["downhill", "uphill"]),
        ("aggravators", "downhill"),
        ("recent_changes", ["more_miles"]),
        ("findings", ["weak_glutes"]),
        ("symptoms", ["headache"]),
        ("symptoms", ["locking", 7]),
        ("symptoms", [None]),
        ("symptoms", None),
        ("trauma_unable_to_bear_weight", "maybe"),
        ("weekly_km_now", -1),
        ("weekly_km_now", 300.1),
        ("weekly_km_now", "20"),
        ("weekly_km_4_weeks_ago", 301),
        ("cadence_spm", 99),
        ("cadence_spm", 241),
        ("cadence_spm", 170.5),
        ("shoe_km", 5001),
        ("shoe_km", -0.5),
        ("years_running", 81),
        ("years_running", False),
        ("overstriding", "yes"),
        ("overstriding", 1),
        ("trauma_unable_to_bear_weight", "false"),
        ("trauma_unable_to_bear_weight", 0),
        ("assessed_at", "2999-01-01T00:00:00Z"),
        ("assessed_at", "yesterday"),
        ("patient", "abc"),
        ("patient", None),
    ],
)
def test_bad_values_get_400_on_the_field_and_nothing_is_stored(alice_api, pat, field, value):
    assert_field_error(post(alice_api, intake_body(pat, **{field: value})), field)
    assert not Assessment.objects.exists()
    assert not Escalation.objects.exists()


@pytest.mark.parametrize(
    "field",
    [
        "patient",
        "location",
        "timing",
        "pain_rest",
        "pain_worst_running",
        "symptoms",
        "trauma_unable_to_bear_weight",
    ],
)
def test_missing_required_field_gets_400(alice_api, pat, field):
    body = intake_body(pat)
    del body[field]
    assert_error(post(alice_api, body), 400, "required", field)
    assert not Assessment.objects.exists()


def test_boundaries_of_the_sane_ranges_are_accepted(alice_api, pat):
    low = intake_body(
        pat, pain_rest=0, weekly_km_now=0, cadence_spm=100, shoe_km=0, years_running=0
    )
    high = intake_body(
        pat,
        pain_rest=10,
        pain_worst_running=10,
        weekly_km_now=300,
        weekly_km_4_weeks_ago=300,
        cadence_spm=240,
        shoe_km=5000,
        years_running=80,
    )
    assert post(alice_api, low).status_code == 201
    assert post(alice_api, high).status_code == 201
    # A whole number sent as 7.0 is still the whole number 7.
    assert post(alice_api, intake_body(pat, pain_rest=7.0)).json()["pain_rest"] == 7


def test_wrong_content_type_gets_415(alice_api, pat):
    response = alice_api.post(URL, json.dumps(intake_body(pat)), content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")
    assert not Assessment.objects.exists()


def test_malformed_json_gets_400(alice_api):
    response = alice_api.post(URL, '{"patient": ', content_type="application/json")
    assert_error(response, 400, "parse_error")
    assert not Assessment.objects.exists()


def test_one_megabyte_body_gets_413(alice_api, pat):
    body = intake_body(pat, aggravators=["downhill"] * 150_000)
    raw = json.dumps(body)
    assert len(raw) > 1_000_000
    response = alice_api.post(URL, raw, content_type="application/json")
    assert_error(response, 413, "request_too_large")
    assert not Assessment.objects.exists()


def test_unknown_fields_are_ignored_not_stored(alice_api, pat):
    response = post(alice_api, intake_body(pat, clinic=12345, triage={"level": "routine"}))
    assert response.status_code == 201
    row = Assessment.objects.get()
    assert row.clinic_id == pat.clinic_id


def test_intake_for_a_patient_of_another_therapist_in_the_clinic(as_staff, bob, pat):
    """Any clinician of the clinic may assess the clinic's patients."""
    response = post(as_staff(bob), intake_body(pat))
    assert response.status_code == 201
    assert response.json()["created_by"] == bob.pk


def test_intake_and_escalation_are_stored_together_or_not_at_all(alice, pat, monkeypatch):
    from assessments import services

    def broken(**kwargs):
        raise RuntimeError("escalation store down")

    monkeypatch.setattr(services, "escalation_raise", broken)
    with pytest.raises(RuntimeError):
        make_intake(pat, alice, symptoms=["hot_swollen_knee_fever"])
    assert not Assessment.objects.exists()
    # A routine intake never touches escalations, so it is stored.
    make_intake(pat, alice)
    assert Assessment.objects.count() == 1
