"""The check-in flow across apps: judged by recorded_at, exercises of the active program,
the ladder paused by a critical or high escalation, the staff view of check-ins."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from patients.models import CheckIn, Escalation
from programs.models import PatientLadder
from tests.assessments.conftest import make_intake
from tests.conftest import assert_error
from tests.programs.conftest import prescribe

pytestmark = pytest.mark.django_db

URL = "/api/v1/app/check-ins/"


def post(client, **data):
    data.setdefault("recorded_at", timezone.now().isoformat())
    if hasattr(data["recorded_at"], "isoformat"):
        data["recorded_at"] = data["recorded_at"].isoformat()
    return client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def test_an_offline_check_in_is_judged_against_its_own_past(pat, alice, pat_api):
    make_intake(pat, alice, pain_worst_running=3)
    now = timezone.now()
    later = post(pat_api, recorded_at=now, pain_rest=6).json()
    assert later["advice"]["rules"] == ["pain_rising"]  # 6 vs intake 3: +3
    # Sent from the phone later, but recorded an hour earlier, with low pain.
    earlier = post(pat_api, recorded_at=now - timedelta(hours=1), pain_rest=2).json()
    assert earlier["advice"] == {**earlier["advice"], "level": "continue", "rules": []}
    escalation = Escalation.objects.get(code="pain_rising")
    assert escalation.occurrences == 1  # the later check-in was not judged again
    assert CheckIn.objects.get(pk=later["id"]).advice_rules == ["pain_rising"]


def test_an_intake_at_the_same_instant_as_the_check_in_is_its_baseline(pat, alice, pat_api):
    moment = (timezone.now() - timedelta(hours=1)).replace(microsecond=0)
    make_intake(pat, alice, pain_worst_running=3, assessed_at=moment)
    data = post(pat_api, recorded_at=moment, pain_rest=6).json()
    assert data["advice"]["rules"] == ["pain_rising"]  # 6 vs the intake's 3, at the same instant
    evidence = Escalation.objects.get(code="pain_rising").evidence.get()
    assert evidence.values["baseline_source"] == "intake"
    assert evidence.values["baseline"] == 3
    # A microsecond earlier there was no intake yet: no baseline, nothing rises.
    earlier = post(pat_api, recorded_at=moment - timedelta(microseconds=1), pain_rest=6).json()
    assert earlier["advice"]["rules"] == []


def test_a_check_in_at_the_same_instant_is_not_part_of_the_past(pat, alice, pat_api):
    make_intake(pat, alice, pain_worst_running=6)
    moment = timezone.now() - timedelta(hours=1)
    for hours in (50, 30):
        post(pat_api, recorded_at=moment - timedelta(hours=hours), pain_rest=2)
    # Recorded at the same instant as the next one: were it "before" it, the 7 days before
    # would hold 3 check-ins, a median of 2, and 6 would be +4 (pain_rising).
    post(pat_api, recorded_at=moment, pain_rest=2)
    data = post(pat_api, recorded_at=moment, pain_rest=6).json()
    assert data["advice"]["rules"] == []  # 2 check-ins before it: the intake's 6 is the baseline
    # One microsecond later the three are its past: median 2, +4.
    later = post(pat_api, recorded_at=moment + timedelta(microseconds=1), pain_rest=6).json()
    assert "pain_rising" in later["advice"]["rules"]


def test_baseline_from_recent_check_ins_beats_the_intake(pat, alice, pat_api):
    make_intake(pat, alice, pain_worst_running=8)
    now = timezone.now()
    for hours in (60, 40, 20):
        post(pat_api, recorded_at=now - timedelta(hours=hours), pain_rest=2)
    data = post(pat_api, recorded_at=now, pain_rest=5).json()
    assert "pain_rising" in data["advice"]["rules"]  # 5 vs median 2, not vs intake 8
    evidence = Escalation.objects.get(code="pain_rising").evidence.get()
    assert evidence.check_in_id == data["id"]
    assert "baseline" in evidence.rationale


def test_two_rules_at_once_and_the_highest_advice_wins(pat_api):
    data = post(pat_api, pain_rest=7, symptoms=["giving_way", "hot_swollen_knee_fever"]).json()
    assert data["advice"]["level"] == "seek_urgent_care"
    assert set(data["advice"]["rules"]) == {
        "red_flag_emergency",
        "red_flag_mechanical",
        "pain_severe",
    }
    severities = dict(Escalation.objects.values_list("code", "severity"))
    assert severities == {
        "red_flag_emergency": "critical",
        "red_flag_mechanical": "high",
        "pain_severe": "high",
    }


def test_exercises_must_come_from_the_patients_active_program(pat, quinn, alice, bob, pat_api):
    mine = prescribe(pat, alice, "clamshell", "wall_sit")
    theirs = prescribe(quinn, bob, "clamshell")
    my_ids = sorted(item.pk for item in mine.items.all())
    other = theirs.items.get().pk
    response = post(pat_api, pain_rest=1, exercises_completed=[my_ids[0], other])
    body = assert_error(response, 400, attr="exercises_completed")
    assert str(other) in body["errors"][0]["detail"]
    assert not CheckIn.objects.exists()
    ok = post(pat_api, pain_rest=1, exercises_completed=my_ids)
    assert ok.status_code == 201, ok.content
    assert ok.json()["exercises_completed"] == my_ids


def test_a_high_escalation_pauses_the_ladder_until_resolved(pat, alice, pat_api, alice_api):
    from programs.models import RunLadder
    from programs.services import ladder_start

    ladder_start(
        patient=pat, by=alice, ladder=RunLadder.objects.get(code="default", clinic__isnull=True)
    )
    post(pat_api, pain_rest=8)  # pain_severe: high
    ladder = PatientLadder.objects.get(patient=pat)
    assert ladder.paused and ladder.pause_reason == "escalation"
    resume = f"/api/v1/patients/{pat.pk}/ladder/resume/"
    assert_error(alice_api.post(resume, {}, format="json"), 409)
    escalation = Escalation.objects.get(code="pain_severe")
    alice_api.post(f"/api/v1/escalations/{escalation.pk}/resolve/", {"note": "Reviewed"})
    assert alice_api.post(resume, {}, format="json").status_code == 200
    ladder.refresh_from_db()
    assert not ladder.paused


def test_a_moderate_escalation_does_not_pause_the_ladder(pat, alice, pat_api):
    from programs.models import RunLadder
    from programs.services import ladder_start

    ladder_start(
        patient=pat, by=alice, ladder=RunLadder.objects.get(code="default", clinic__isnull=True)
    )
    post(pat_api, pain_rest=2, symptoms=["limping"])  # stride_change: moderate
    assert Escalation.objects.get().severity == "moderate"
    assert not PatientLadder.objects.get(patient=pat).paused


def test_staff_read_a_patients_check_ins_and_it_is_audited(pat, pat_api, alice_api, alice):
    from clinic.models import AuditEvent

    post(pat_api, pain_rest=3)
    results = alice_api.get(f"/api/v1/patients/{pat.pk}/check-ins/").json()["results"]
    assert [r["pain_rest"] for r in results] == [3]
    event = AuditEvent.objects.get(object_type="check_in")
    assert (event.actor, event.patient_id, event.action) == (alice, pat.pk, "list")


@pytest.mark.parametrize("rows", [2, 8])
def test_staff_check_in_list_query_count(pat, pat_api, alice_api, django_assert_num_queries, rows):
    for i in range(rows):
        post(pat_api, pain_rest=i % 4, recorded_at=timezone.now() - timedelta(hours=i))
    # token, knox sweep, clinic, the patient, the page, the audit INSERT
    with django_assert_num_queries(6):
        response = alice_api.get(f"/api/v1/patients/{pat.pk}/check-ins/")
    assert len(response.json()["results"]) == rows
