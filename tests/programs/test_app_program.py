"""GET /api/v1/app/program/: today's exercises and run session for the partner app."""

import datetime as dt
import uuid

import pytest

from patients.models import PatientStatus
from patients.services.check_ins import check_in_submit
from programs import services
from tests.conftest import assert_error
from tests.factories import PatientFactory
from tests.programs.api_helpers import queries_of
from tests.programs.conftest import prescribe, shipped

pytestmark = pytest.mark.django_db

URL = "/api/v1/app/program/"
MANY = (
    "clamshell",
    "wall_sit",
    "step_up",
    "calf_raise",
    "knee_to_wall",
    "calf_stretch",
    "glute_bridge",
)
UTC = dt.UTC


def at(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def fixed_now(monkeypatch):
    """Freeze the view's clock: `fixed_now(moment)`."""

    def freeze(moment):
        monkeypatch.setattr("programs.api.app.now", lambda: moment)

    return freeze


def test_anonymous_and_staff_tokens_get_401(api, alice_api):
    assert_error(api.get(URL), 401)
    assert_error(alice_api.get(URL), 401)


def test_no_program_and_no_ladder(pat_api):
    body = pat_api.get(URL).json()
    assert body["program"] is None and body["exercises"] == []
    assert body["run"] == {
        "run_day": False,
        "status": "not_started",
        "session": None,
        "reasons": [
            {"code": "ladder_not_started", "detail": "Your therapist has not started running yet."}
        ],
    }
    assert "decision support" in body["disclaimer"]


def test_a_patient_sees_only_their_own_program(pat_api, quinn_api, pat, quinn, alice, bob):
    mine = prescribe(pat, alice, "clamshell", dose={"days_per_week": 7})
    theirs = prescribe(quinn, bob, "calf_stretch", dose={"days_per_week": 7})
    for client, program, code in (
        (pat_api, mine, "clamshell"),
        (quinn_api, theirs, "calf_stretch"),
    ):
        body = client.get(URL).json()
        assert body["program"]["id"] == program.pk
        assert [e["exercise"]["code"] for e in body["exercises"]] == [code]
        assert [e["id"] for e in body["exercises"]] == [i.pk for i in program.items.all()]


@pytest.mark.parametrize(
    ("days_per_week", "due_weekdays"),
    [(7, {0, 1, 2, 3, 4, 5, 6}), (5, {0, 1, 2, 4, 5}), (3, {0, 2, 4}), (2, {0, 3}), (1, {0})],
)
def test_exercises_are_spread_over_the_week(
    pat_api, pat, alice, fixed_now, days_per_week, due_weekdays
):
    services.program_prescribe(
        patient=pat,
        by=alice,
        data={
            "items": [
                {
                    "exercise": shipped("clamshell"),
                    "days_per_week": days_per_week,
                }
            ],
            "start_date": dt.date(2025, 3, 1),
        },
    )
    due = set()
    for offset in range(7):  # Mon 10 March 2025 ... Sun 16 March, noon in Berlin
        fixed_now(at(2025, 3, 10 + offset, 11))
        body = pat_api.get(URL).json()
        assert body["date"] == f"2025-03-{10 + offset}"
        if body["exercises"]:
            (exercise,) = body["exercises"]
            assert (
                exercise["exercise"]["instructions"] and exercise["days_per_week"] == days_per_week
            )
            due.add(offset)
    assert due == due_weekdays


def test_today_is_the_patients_local_date(alice, fixed_now):
    from tests.conftest import patient_client

    auckland = PatientFactory(therapist=alice, timezone="Pacific/Auckland")
    honolulu = PatientFactory(therapist=alice, timezone="Pacific/Honolulu")
    fixed_now(at(2025, 3, 10, 12))  # Tue 01:00 in Auckland, Mon 02:00 in Honolulu
    assert patient_client(auckland).get(URL).json()["date"] == "2025-03-11"
    assert patient_client(honolulu).get(URL).json()["date"] == "2025-03-10"


def test_nothing_before_the_program_starts(pat_api, pat, alice, fixed_now):
    prescribe(pat, alice, "clamshell", start_date=dt.date(2025, 3, 12))
    fixed_now(at(2025, 3, 10, 11))
    body = pat_api.get(URL).json()
    assert body["program"]["start_date"] == "2025-03-12" and body["exercises"] == []


def test_an_old_version_is_not_shown(pat_api, pat, alice):
    prescribe(pat, alice, "clamshell", start_date=dt.date(2025, 1, 6))
    new = prescribe(pat, alice, "knee_to_wall", start_date=dt.date(2025, 1, 6))
    body = pat_api.get(URL).json()
    assert body["program"]["id"] == new.pk and body["program"]["version"] == 2
    assert all(e["exercise"]["code"] == "knee_to_wall" for e in body["exercises"])


def test_run_day_with_the_session(pat_api, pat_ladder, fixed_now):
    fixed_now(at(2025, 3, 10, 11))
    run = pat_api.get(URL).json()["run"]
    assert run["run_day"] is True and run["status"] == "run" and run["reasons"] == []
    assert run["session"] == {
        "level": 1,
        "run_minutes": 1,
        "walk_minutes": 2,
        "repeats": 6,
        "running_minutes": 6,
        "description": "Run 1 min, walk 2 min; do this 6 times (6 minutes of running).",
    }


def report_run(patient, moment, **fields):
    key = str(uuid.uuid4())
    data = {
        "recorded_at": moment,
        "pain_rest": 1,
        "ran": True,
        "run_minutes": fields.pop("run_minutes", 6),
        "pain_during_run": 1,
        "pain_after_run": 1,
        **fields,
    }
    return check_in_submit(patient=patient, data=data, idempotency_key=key, fingerprint=key)


def test_after_a_run_today_is_done_and_tomorrow_a_rest_day_at_level_1(
    pat_api, pat, pat_ladder, fixed_now
):
    report_run(pat, at(2025, 3, 10, 17))  # Monday 18:00 in Berlin
    fixed_now(at(2025, 3, 10, 19))
    run = pat_api.get(URL).json()["run"]
    assert run["status"] == "done" and run["run_day"] is True
    fixed_now(at(2025, 3, 11, 11))
    run = pat_api.get(URL).json()["run"]
    assert run["status"] == "rest" and run["run_day"] is False and run["session"] is None
    assert [r["code"] for r in run["reasons"]] == ["ladder_no_consecutive_days"]
    fixed_now(at(2025, 3, 12, 11))
    assert pat_api.get(URL).json()["run"]["status"] == "run"


def test_a_fifth_run_day_in_7_days_is_a_rest_day(pat_api, pat, pat_ladder, fixed_now, alice):
    services.ladder_set_level(patient=pat, by=alice, level=6, note="Seen in clinic.")
    for day in (10, 11, 12, 13):
        report_run(pat, at(2025, 3, day, 17), run_minutes=24)
    fixed_now(at(2025, 3, 14, 11))
    run = pat_api.get(URL).json()["run"]
    assert run["status"] == "rest" and [r["code"] for r in run["reasons"]] == [
        "ladder_run_days_limit"
    ]
    fixed_now(at(2025, 3, 17, 11))  # the window 11-17 holds three run days
    assert pat_api.get(URL).json()["run"]["status"] == "run"


def test_a_paused_ladder_means_no_run(pat_api, pat, pat_ladder):
    report_run(pat, at(2025, 3, 10, 17), symptoms=["locking"])
    run = pat_api.get(URL).json()["run"]
    assert run["status"] == "paused" and run["run_day"] is False and run["session"] is None


def test_past_the_last_level_the_session_is_the_target(pat_api, pat, pat_ladder):
    pat_ladder.level, pat_ladder.target_minutes = 8, 36
    pat_ladder.save(update_fields=["level", "target_minutes"])
    session = pat_api.get(URL).json()["run"]["session"]
    assert session["running_minutes"] == 36 and session["repeats"] == 1
    assert session["description"] == "Run 36 minutes without stopping."


def test_a_discharged_patient_has_no_plan(pat_api, pat, pat_program, pat_ladder):
    # The app no longer reads anything once discharged (it used to get an empty plan).
    pat.status = PatientStatus.DISCHARGED
    pat.save(update_fields=["status"])
    assert_error(pat_api.get(URL), 401, "patient_discharged")


def test_query_count_does_not_grow_with_exercises_or_runs(
    pat_api, pat, alice, pat_ladder, django_assert_num_queries
):
    prescribe(pat, alice, "clamshell", "wall_sit", dose={"days_per_week": 7})
    report_run(pat, at(2025, 3, 10, 17))
    few = queries_of(lambda: pat_api.get(URL))
    prescribe(
        pat,
        alice,
        *[
            e
            for e in (
                "clamshell",
                "wall_sit",
                "step_up",
                "calf_raise",
                "knee_to_wall",
                "calf_stretch",
                "single_leg_balance",
                "glute_bridge",
                "side_plank",
                "hip_hitch",
            )
        ],
    )
    report_run(pat, at(2025, 3, 12, 17))
    report_run(pat, at(2025, 3, 14, 17))
    many = queries_of(lambda: pat_api.get(URL))
    assert few == many
    with django_assert_num_queries(few):
        pat_api.get(URL)
