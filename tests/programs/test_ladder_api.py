"""A patient's run ladder: GET, POST /api/v1/patients/{id}/ladder/ and its set-level, pause and
resume actions."""

import pytest
from django.utils import timezone

from clinic.models import AuditEvent
from patients.models import Escalation, EscalationStatus, PatientStatus
from programs.models import LadderEvent, PatientLadder, RunLadder
from tests.conftest import assert_error
from tests.programs.api_helpers import assert_refuses_a_1mb_body, assert_refuses_wrong_content_type

pytestmark = pytest.mark.django_db


def url(patient, action=""):
    return f"/api/v1/patients/{patient.pk}/ladder/" + (f"{action}/" if action else "")


ACTIONS = [("", {}), ("set-level", {"level": 2, "note": "x"}), ("pause", {}), ("resume", {})]


def escalate(patient, severity="high", status=EscalationStatus.OPEN):
    return Escalation.objects.create(
        clinic=patient.clinic,
        patient=patient,
        code="red_flag_mechanical",
        severity=severity,
        status=status,
        acknowledge_by=timezone.now(),
    )


# --- Who may call it ---------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_anonymous_and_patient_tokens_get_401(api, pat_api, pat, pat_ladder, action, body):
    for client in (api, pat_api):
        assert_error(client.post(url(pat, action), body), 401)
    assert_error(api.get(url(pat)), 401)
    assert_error(pat_api.get(url(pat)), 401)


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_another_clinic_gets_404_and_changes_nothing(carol_api, pat, pat_ladder, action, body):
    assert_error(carol_api.post(url(pat, action), body), 404, "not_found")
    assert_error(carol_api.get(url(pat)), 404, "not_found")
    pat_ladder.refresh_from_db()
    assert (pat_ladder.level, pat_ladder.paused) == (1, False)
    assert LadderEvent.objects.filter(patient=pat).count() == 1


def test_another_clinic_cannot_start_a_ladder_for_clinic_as_patient(carol_api, pat):
    assert_error(carol_api.post(url(pat), {}), 404, "not_found")
    assert not PatientLadder.objects.exists()


def test_no_ladder_yet_is_404_like_any_missing_thing(alice_api, pat):
    assert_error(alice_api.get(url(pat)), 404, "not_found")
    assert_error(alice_api.post(url(pat, "set-level"), {"level": 2, "note": "x"}), 404, "not_found")


# --- Starting --------------------------------------------------------------------------------


def test_start_on_the_default_ladder(alice_api, alice, pat, default_ladder):
    response = alice_api.post(url(pat), {})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["patient"] == pat.pk and body["level"] == 1 and body["levels_total"] == 8
    assert body["run_ladder"] == {"id": default_ladder.pk, "name": "Walk-run ladder"}
    assert body["session"]["running_minutes"] == 6 and body["completions_to_progress"] == 2
    assert body["paused"] is False and body["awaiting_morning_after"] is None
    assert [e["kind"] for e in body["recent_events"]] == ["start"]
    assert PatientLadder.objects.get(patient=pat).clinic_id == pat.clinic_id


def test_start_on_the_clinics_own_ladder_at_a_level(alice_api, pat):
    ladder = alice_api.post(
        "/api/v1/run-ladders/",
        {"name": "Short", "levels": [{"run_minutes": 2, "walk_minutes": 2, "repeats": 4}] * 3},
    ).json()
    response = alice_api.post(url(pat), {"run_ladder": ladder["id"], "level": 3})
    assert response.status_code == 201, response.content
    assert response.json()["level"] == 3 and response.json()["levels_total"] == 3


def test_a_second_start_is_409(alice_api, pat, pat_ladder):
    assert_error(alice_api.post(url(pat), {"level": 4}), 409, "conflict")
    pat_ladder.refresh_from_db()
    assert pat_ladder.level == 1


def test_a_discharged_patient_cannot_start(alice_api, pat):
    pat.status = PatientStatus.DISCHARGED
    pat.save(update_fields=["status"])
    assert_error(alice_api.post(url(pat), {}), 409, "conflict")


def test_another_clinics_ladder_is_refused(alice_api, carol_api, pat):
    ladder = carol_api.post("/api/v1/run-ladders/", {"name": "B", "levels": [{"run_minutes": 5}]})
    response = alice_api.post(url(pat), {"run_ladder": ladder.json()["id"]})
    assert_error(response, 400, "does_not_exist", attr="run_ladder")
    assert not PatientLadder.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"level": 9}, "invalid"),
        ({"level": 0}, "min_value"),
        ({"level": "2"}, "not_an_integer"),
        ({"level": 1.5}, "not_an_integer"),
        ({"level": -1}, "min_value"),
        ({"run_ladder": "default"}, "not_an_integer"),
    ],
)
def test_bad_start_is_400_and_stores_nothing(alice_api, pat, body, code):
    assert_error(alice_api.post(url(pat), body), 400, code)
    assert not PatientLadder.objects.exists()


def test_wrong_content_type_and_oversized_body(alice_api, pat, pat_ladder):
    for action in ("", "set-level", "pause", "resume"):
        assert_refuses_wrong_content_type(alice_api, url(pat, action), {"level": 3})
        assert_refuses_a_1mb_body(alice_api, url(pat, action))
    pat_ladder.refresh_from_db()
    assert (pat_ladder.level, pat_ladder.paused) == (1, False)


# --- The therapist's changes -------------------------------------------------------------------


def test_set_level(alice_api, alice, pat, pat_ladder):
    response = alice_api.post(url(pat, "set-level"), {"level": 4, "note": "Ran well in clinic."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["level"] == 4 and body["completions"] == 0
    assert body["session"]["running_minutes"] == 20
    event = LadderEvent.objects.get(patient=pat, kind="set_level")
    assert (event.level_before, event.level_after, event.levels_up, event.by) == (1, 4, 3, alice)
    assert "Ran well in clinic." in event.reasons[0]["detail"]


def test_set_level_onto_another_ladder(alice_api, pat, pat_ladder):
    ladder = alice_api.post(
        "/api/v1/run-ladders/", {"name": "Two", "levels": [{"run_minutes": 1}, {"run_minutes": 2}]}
    ).json()
    response = alice_api.post(
        url(pat, "set-level"), {"level": 2, "run_ladder": ladder["id"], "note": "x"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["run_ladder"]["id"] == ladder["id"]
    pat_ladder.refresh_from_db()
    assert pat_ladder.ladder_id == ladder["id"] and pat_ladder.level == 2


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "required"),
        ({"level": 9, "note": "x"}, "invalid"),
        ({"level": 0, "note": "x"}, "min_value"),
        ({"level": "3", "note": "x"}, "not_an_integer"),
        ({"level": 2.5, "note": "x"}, "not_an_integer"),
        ({"level": True, "note": "x"}, "not_an_integer"),
        ({"level": 2, "note": "x" * 201}, "max_length"),
        # Changed: a level change needs its reason (it is recorded with who and why).
        ({"level": 2}, "required"),
        ({"level": 2, "note": ""}, "blank"),
    ],
)
def test_bad_set_level_is_400_and_changes_nothing(alice_api, pat, pat_ladder, body, code):
    assert_error(alice_api.post(url(pat, "set-level"), body), 400, code)
    pat_ladder.refresh_from_db()
    assert pat_ladder.level == 1
    assert not LadderEvent.objects.filter(kind="set_level").exists()


def test_a_level_past_a_shorter_ladder_is_400_and_the_ladder_unchanged(
    alice_api, pat, pat_ladder, default_ladder
):
    ladder = alice_api.post("/api/v1/run-ladders/", {"name": "One", "levels": [{"run_minutes": 1}]})
    response = alice_api.post(
        url(pat, "set-level"), {"level": 5, "run_ladder": ladder.json()["id"], "note": "x"}
    )
    assert_error(response, 400, "invalid", attr="level")
    pat_ladder.refresh_from_db()
    assert pat_ladder.ladder == default_ladder and pat_ladder.level == 1


def test_pause_and_resume(alice_api, pat, pat_ladder):
    response = alice_api.post(url(pat, "pause"), {"note": "Wait for the scan."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["paused"] is True and body["pause_reason"] == "therapist"
    assert body["pause_note"] == "Wait for the scan." and body["paused_at"]
    assert_error(alice_api.post(url(pat, "pause"), {}), 409, "conflict")

    response = alice_api.post(url(pat, "resume"), {"note": "Scan clear."})
    assert response.status_code == 200, response.content
    assert response.json()["paused"] is False and response.json()["pause_reason"] == ""
    assert_error(alice_api.post(url(pat, "resume"), {}), 409, "conflict")
    kinds = list(
        LadderEvent.objects.filter(patient=pat).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["start", "pause", "resume"]


def test_set_level_keeps_a_paused_ladder_paused(alice_api, pat, pat_ladder):
    alice_api.post(url(pat, "pause"), {})
    body = alice_api.post(url(pat, "set-level"), {"level": 2, "note": "x"}).json()
    assert body["paused"] is True and body["level"] == 2


@pytest.mark.parametrize(
    ("severity", "status", "resumes"),
    [
        ("critical", EscalationStatus.OPEN, False),
        ("high", EscalationStatus.OPEN, False),
        ("high", EscalationStatus.ACKNOWLEDGED, False),
        ("high", EscalationStatus.RESOLVED, True),
        ("moderate", EscalationStatus.OPEN, True),
        ("low", EscalationStatus.OPEN, True),
    ],
)
def test_resume_waits_for_critical_and_high_escalations_to_be_resolved(
    alice_api, pat, pat_ladder, severity, status, resumes
):
    alice_api.post(url(pat, "pause"), {})
    escalate(pat, severity, status)
    response = alice_api.post(url(pat, "resume"), {})
    if resumes:
        assert response.status_code == 200 and response.json()["paused"] is False
    else:
        body = assert_error(response, 409, "conflict")
        assert "escalation" in body["errors"][0]["detail"]
        pat_ladder.refresh_from_db()
        assert pat_ladder.paused


def test_reads_and_changes_of_the_ladder_are_audited(alice_api, alice, pat):
    alice_api.post(url(pat), {})
    alice_api.get(url(pat))
    alice_api.post(url(pat, "set-level"), {"level": 2, "note": "x"})
    events = AuditEvent.objects.filter(actor=alice, object_type="run_ladder").order_by("id")
    assert [(e.action, e.patient_id) for e in events] == [
        ("create", pat.pk),
        ("retrieve", pat.pk),
        ("set_level", pat.pk),
    ]


def test_retrieve_query_count_does_not_grow_with_events(
    alice_api, pat, pat_ladder, django_assert_num_queries
):
    from tests.programs.api_helpers import queries_of

    for level in (2, 3):
        alice_api.post(url(pat, "set-level"), {"level": level, "note": "x"})
    few = queries_of(lambda: alice_api.get(url(pat)))
    for level in (4, 5, 6, 7, 8, 1, 2, 3, 4, 5):
        alice_api.post(url(pat, "set-level"), {"level": level, "note": "x"})
    many = queries_of(lambda: alice_api.get(url(pat)))
    assert few == many
    with django_assert_num_queries(few):
        alice_api.get(url(pat))
    assert RunLadder.objects.count() == 1
