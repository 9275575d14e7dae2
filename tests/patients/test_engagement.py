"""The daily engagement rules through the database: once per local day, escalations with
evidence, upgrades, and the hourly beat that hands due patients to workers."""

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis

from assessments.models import Assessment
from clinic.models import Notification
from patients.models import CheckIn, Escalation, Patient
from patients.services import escalation_resolve
from patients.services.engagement import (
    engagement_dispatch_due,
    engagement_evaluate,
    engagement_run_due,
)
from patients.services.reminders import patient_schedule_apply
from tests.assessments.conftest import make_intake
from tests.factories import PatientFactory
from tests.processes import purge
from tests.programs.conftest import prescribe

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def local(day, at=time(0, 30)):
    """An instant on the patient's local date `day` (by default just after midnight)."""
    return datetime.combine(day, at, tzinfo=BERLIN)


def registered(patient, day):
    """The patient was registered on local date `day` at 10:00, schedule computed then."""
    patient.created_at = local(day, time(10, 0))
    patient.engagement_due_at = None
    fields = patient_schedule_apply(patient, now=patient.created_at)
    patient.save(update_fields=["created_at", *fields])
    return patient


def check_in(patient, at, peak=3, exercises=()):
    return CheckIn.objects.create(
        clinic=patient.clinic,
        patient=patient,
        recorded_at=at,
        pain_rest=peak,
        peak_pain=peak,
        exercises_completed=list(exercises),
        advice_level="continue",
        advice_message="Keep to the plan.",
    )


@pytest.fixture
def day0():
    """A local date comfortably after today, so the rows made now lie in the past."""
    return datetime.now(BERLIN).date() + timedelta(days=2)


def test_silence_raises_low_at_3_days_and_upgrades_to_high_at_14_with_evidence(pat, day0):
    registered(pat, day0)
    opened_on = upgraded_on = None
    for k in range(1, 17):
        result = engagement_run_due(now=local(day0 + timedelta(days=k)))
        assert result.evaluated == 1, k  # exactly once per local day
        if ("disengaged", "low") in result.raised:
            opened_on = k
        if ("disengaged", "high") in result.raised:
            upgraded_on = k
    # Registered on day 0: days 1, 2, 3 without a check-in are complete on day 4.
    assert (opened_on, upgraded_on) == (4, 15)
    escalation = Escalation.objects.get(patient=pat, code="disengaged")
    assert (escalation.severity, escalation.status, escalation.occurrences) == ("high", "open", 2)
    evidence = list(escalation.evidence.values_list("severity", "values", "rationale"))
    assert [(s, v["days_without_check_in"]) for s, v, _ in evidence] == [("low", 3), ("high", 14)]
    assert evidence[0][2].startswith("no check-in for 3 days")
    events = sorted(
        Notification.objects.filter(payload__escalation_id=escalation.pk).values_list(
            "event_type", flat=True
        )
    )
    assert events == ["escalation.opened", "escalation.upgraded"]


def test_the_same_local_day_is_evaluated_once_however_often_the_beat_runs(pat, day0):
    registered(pat, day0)
    pat.refresh_from_db()
    assert pat.engagement_due_at == local(day0 + timedelta(days=1), time(0, 0))
    first = engagement_run_due(now=local(day0 + timedelta(days=1)))
    again = engagement_evaluate(patient_ids=[pat.pk], now=local(day0 + timedelta(days=1), time(9)))
    assert (first.evaluated, again.evaluated) == (1, 0)
    assert engagement_run_due(now=local(day0 + timedelta(days=1), time(23))).evaluated == 0
    pat.refresh_from_db()
    assert pat.engagement_evaluated_on == day0 + timedelta(days=1)
    assert pat.engagement_due_at == local(day0 + timedelta(days=2), time(0, 0))


def test_a_check_in_starts_a_new_gap_and_a_resolved_low_is_not_asked_again_daily(pat, alice, day0):
    registered(pat, day0)
    check_in(pat, local(day0 + timedelta(days=1), time(18)))
    raised = {}
    for k in range(2, 16):
        raised[k] = engagement_run_due(now=local(day0 + timedelta(days=k))).raised
        if k == 5:
            escalation = Escalation.objects.get(code="disengaged")
            escalation_resolve(escalation=escalation, by=alice, note="Called: travelling.")
    # Last check-in on day 1: days 2, 3, 4 empty -> low on day 5; then quiet until 14 days.
    assert [k for k, r in raised.items() if r] == [5]
    assert raised[5] == (("disengaged", "low"),)
    high = engagement_run_due(now=local(day0 + timedelta(days=16))).raised
    assert high == (("disengaged", "high"),)
    assert Escalation.objects.filter(code="disengaged", status="open").get().severity == "high"


def test_paused_and_discharged_patients_are_not_disengaged(pat, quinn, alice_api, day0):
    for patient in (pat, quinn):
        registered(patient, day0)
    Patient.objects.filter(pk=pat.pk).update(status="paused")
    alice_api.post(f"/api/v1/patients/{quinn.pk}/discharge/")
    quinn.refresh_from_db()
    assert quinn.engagement_due_at is None
    for k in range(1, 6):
        assert engagement_run_due(now=local(day0 + timedelta(days=k))).raised == ()
    assert not Escalation.objects.exists()


@pytest.fixture
def treated(pat, alice, day0):
    """Pat: intake with worst running pain 6, a program (two exercises, every day) that started
    21 days before day 22, check-ins with both exercises on 15 of those 21 days (71 %)."""
    registered(pat, day0 - timedelta(days=30))
    intake = make_intake(pat, alice, pain_worst_running=6)
    Assessment.objects.filter(pk=intake.pk).update(assessed_at=local(day0 - timedelta(days=25)))
    program = prescribe(
        pat, alice, "clamshell", "wall_sit", dose={"days_per_week": 7}, start_date=day0
    )
    items = list(program.items.values_list("pk", flat=True))
    for k in range(21):
        check_in(
            pat,
            local(day0 + timedelta(days=k), time(18)),
            peak=5,
            exercises=items if k % 7 < 5 else [],
        )
    return pat


def test_no_improvement_after_21_days_of_exercises_without_2_points_less_pain(treated, day0):
    result = engagement_run_due(now=local(day0 + timedelta(days=21)))
    assert ("no_improvement", "low") in result.raised
    escalation = Escalation.objects.get(patient=treated, code="no_improvement")
    (evidence,) = escalation.evidence.all()
    assert evidence.values["program_days"] == 21
    assert evidence.values["adherence"] == pytest.approx(15 / 21, abs=0.001)
    assert evidence.values["mean_peak_pain_7d"] == 5.0
    assert evidence.values["intake_pain_worst_running"] == 6
    # The next day is not a new finding: at most once in 7 days.
    check_in(treated, local(day0 + timedelta(days=21), time(18)), peak=5)
    assert engagement_run_due(now=local(day0 + timedelta(days=22))).raised == ()


def test_no_improvement_waits_for_21_days(treated, day0):
    assert engagement_run_due(now=local(day0 + timedelta(days=20))).raised == ()


def test_no_improvement_is_quiet_when_pain_is_2_below_the_intake(treated, day0):
    CheckIn.objects.filter(patient=treated).update(peak_pain=4)
    assert engagement_run_due(now=local(day0 + timedelta(days=21))).raised == ()


def test_no_improvement_is_quiet_below_70_percent_adherence(treated, day0):
    dropped = CheckIn.objects.filter(patient=treated).exclude(exercises_completed=[])[:1]
    CheckIn.objects.filter(pk__in=[c.pk for c in dropped]).update(exercises_completed=[])  # 14/21
    assert engagement_run_due(now=local(day0 + timedelta(days=21))).raised == ()


@pytest.mark.parametrize("count", [2, 12])
def test_evaluating_a_chunk_costs_the_same_queries_for_few_and_many(
    alice, day0, count, django_assert_num_queries
):
    patients = [registered(PatientFactory(therapist=alice), day0) for _ in range(count)]
    for patient in patients:
        check_in(patient, local(day0, time(20)))
    # savepoint, lock+read, last check-ins, evidence in gap, programs, bulk update, release
    with django_assert_num_queries(7):
        result = engagement_evaluate(
            patient_ids=[p.pk for p in patients], now=local(day0 + timedelta(days=1))
        )
    assert (result.evaluated, result.raised) == (count, ())


def test_the_hourly_beat_queues_due_patients_in_chunks_and_holds_them_an_hour(
    alice, day0, settings
):
    settings.STRIDE_ENGAGEMENT_CHUNK_SIZE = 2
    purge(settings.CELERY_BROKER_URL)
    for _ in range(3):
        registered(PatientFactory(therapist=alice), day0)
    now = local(day0 + timedelta(days=1))
    assert engagement_dispatch_due(now=now) == 3
    queued = redis.Redis.from_url(settings.CELERY_BROKER_URL).lrange("default", 0, -1)
    assert [json.loads(m)["headers"]["task"] for m in queued] == [
        "patients.tasks.engagement_evaluate_chunk"
    ] * 2
    assert engagement_dispatch_due(now=now + timedelta(minutes=59)) == 0
    assert engagement_dispatch_due(now=now + timedelta(minutes=61)) == 3  # the chunk was lost
    purge(settings.CELERY_BROKER_URL)
