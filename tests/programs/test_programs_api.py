"""GET, POST /api/v1/programs/ and GET /api/v1/programs/{id}/: prescriptions with versions."""

import datetime as dt

import pytest
from django.utils import timezone

from clinic.models import AuditEvent
from patients.models import PatientStatus
from programs.models import PatientProgram, ProgramExercise, ProgramTemplate
from programs.selectors import active_program_exercise_ids
from tests.conftest import assert_error
from tests.factories import PatientFactory
from tests.programs.api_helpers import (
    assert_refuses_a_1mb_body,
    assert_refuses_wrong_content_type,
    queries_of,
)
from tests.programs.conftest import prescribe, shipped

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/"


def body_for(patient, *items, **extra):
    return {"patient": patient.pk, "exercises": list(items), **extra}


def item(code, **dose):
    return {"exercise": shipped(code).pk, **dose}


# --- Who may call it ---------------------------------------------------------------------------


def test_anonymous_and_patient_tokens_get_401(api, pat_api, pat, pat_program):
    for client in (api, pat_api):
        assert_error(client.get(URL), 401)
        assert_error(client.get(f"{URL}{pat_program.pk}/"), 401)
        assert_error(client.post(URL, body_for(pat, item("clamshell"))), 401)
    assert PatientProgram.objects.count() == 1


def test_another_clinic_sees_none_of_clinic_as_programs(carol_api, pat_program):
    assert carol_api.get(URL).json()["results"] == []
    assert carol_api.get(f"{URL}?patient={pat_program.patient_id}").json()["results"] == []
    assert_error(carol_api.get(f"{URL}{pat_program.pk}/"), 404, "not_found")


def test_another_clinic_cannot_prescribe_for_clinic_as_patient(carol_api, pat):
    response = carol_api.post(URL, body_for(pat, item("clamshell")))
    assert_error(response, 400, "does_not_exist", attr="patient")
    assert not PatientProgram.objects.exists()


# --- Prescribing ---------------------------------------------------------------------------------


def test_prescribe_exercises_with_their_dose(alice_api, alice, pat, clinic_a):
    response = alice_api.post(
        URL,
        body_for(
            pat,
            item("clamshell", sets=2, reps=20, days_per_week=5),
            item("wall_sit", hold_seconds=45, load="a backpack"),
            start_date="2025-03-03",
            patient_note="Before your runs.",
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["is_active"] is True and body["patient"] == pat.pk
    assert body["start_date"] == "2025-03-03" and body["prescribed_by"] == alice.pk
    clamshell, wall_sit = body["exercises"]
    assert (clamshell["sets"], clamshell["reps"], clamshell["hold_seconds"]) == (2, 20, 0)
    assert clamshell["days_per_week"] == 5 and clamshell["load"] == "body weight"
    assert (wall_sit["sets"], wall_sit["reps"], wall_sit["hold_seconds"]) == (3, 1, 45)
    assert wall_sit["load"] == "a backpack" and wall_sit["days_per_week"] == 4
    program = PatientProgram.objects.get(pk=body["id"])
    assert program.clinic == clinic_a
    assert active_program_exercise_ids(patient_id=pat.pk) == {clamshell["id"], wall_sit["id"]}
    assert ProgramExercise.objects.filter(program=program, clinic=clinic_a).count() == 2


def test_prescribe_from_a_template(alice_api, pat):
    template = ProgramTemplate.objects.get(clinic__isnull=True, code="patellar_tendon")
    response = alice_api.post(URL, {"patient": pat.pk, "template": template.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["template"] == template.pk
    assert [e["exercise"]["code"] for e in body["exercises"]] == [
        i.exercise.code for i in template.items.all()
    ]


def test_the_start_date_defaults_to_today_in_the_patients_time_zone(alice_api, alice):
    far_east = PatientFactory(therapist=alice, timezone="Pacific/Kiritimati")
    response = alice_api.post(URL, body_for(far_east, item("clamshell")))
    expected = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=14))).date()
    assert response.json()["start_date"] == expected.isoformat()


def test_a_new_prescription_makes_a_new_version_and_keeps_the_old(alice_api, pat, pat_program):
    old_ids = active_program_exercise_ids(patient_id=pat.pk)
    response = alice_api.post(URL, body_for(pat, item("clamshell", sets=4), item("step_up")))
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["version"] == 2 and new["is_active"]
    pat_program.refresh_from_db()
    assert pat_program.is_active is False and pat_program.ended_at is not None
    assert pat_program.items.count() == 3  # the old prescription is kept as it was
    assert PatientProgram.objects.filter(patient=pat, is_active=True).count() == 1
    assert active_program_exercise_ids(patient_id=pat.pk).isdisjoint(old_ids)
    versions = alice_api.get(f"{URL}?patient={pat.pk}").json()["results"]
    assert [(p["version"], p["is_active"]) for p in versions] == [(2, True), (1, False)]
    active = alice_api.get(f"{URL}?patient={pat.pk}&is_active=true").json()["results"]
    assert [p["version"] for p in active] == [2]


def test_the_same_prescription_again_is_409(alice_api, pat, pat_program):
    items = [
        {"exercise": i.exercise_id, "sets": i.sets, "reps": i.reps} for i in pat_program.items.all()
    ]
    response = alice_api.post(
        URL, body_for(pat, *items, start_date=pat_program.start_date.isoformat())
    )
    assert_error(response, 409, "conflict")
    assert PatientProgram.objects.filter(patient=pat).count() == 1


def test_a_discharged_patient_gets_no_program(alice_api, pat):
    pat.status = PatientStatus.DISCHARGED
    pat.save(update_fields=["status"])
    assert_error(alice_api.post(URL, body_for(pat, item("clamshell"))), 409, "conflict")
    assert not PatientProgram.objects.exists()


def test_a_colleague_may_prescribe_for_the_clinics_patient(as_staff, bob, pat):
    response = as_staff(bob).post(URL, body_for(pat, item("clamshell")))
    assert response.status_code == 201 and response.json()["prescribed_by"] == bob.pk


def test_the_clinics_own_exercise_may_be_prescribed(alice_api, pat, a_exercise):
    response = alice_api.post(URL, body_for(pat, {"exercise": a_exercise.pk}))
    assert response.status_code == 201, response.content


def test_a_retired_exercise_cannot_be_prescribed(alice_api, pat, a_exercise):
    a_exercise.is_active = False
    a_exercise.save(update_fields=["is_active"])
    response = alice_api.post(URL, body_for(pat, {"exercise": a_exercise.pk}))
    assert_error(response, 400, "does_not_exist", attr="exercises.0.exercise")


def test_another_clinics_exercise_is_refused(alice_api, pat, b_exercise):
    response = alice_api.post(URL, body_for(pat, item("clamshell"), {"exercise": b_exercise.pk}))
    assert_error(response, 400, "does_not_exist", attr="exercises.1.exercise")
    assert not PatientProgram.objects.exists()


def test_another_clinics_template_is_refused(alice_api, carol, pat, b_exercise):
    from programs import services

    template = services.template_create(
        clinic=carol.clinic,
        by=carol,
        data={"name": "B", "focus": ["general"], "items": [{"exercise": b_exercise}]},
    )
    response = alice_api.post(URL, {"patient": pat.pk, "template": template.pk})
    assert_error(response, 400, "does_not_exist", attr="template")
    assert not PatientProgram.objects.exists()


@pytest.mark.parametrize(
    ("dose", "code"),
    [
        ({"sets": "7"}, "not_an_integer"),
        ({"sets": 6.5}, "not_an_integer"),
        ({"sets": -1}, "min_value"),
        ({"sets": 0}, "min_value"),
        ({"sets": 11}, "max_value"),
        ({"reps": "12"}, "not_an_integer"),
        ({"reps": 0}, "min_value"),
        ({"reps": 101}, "max_value"),
        ({"hold_seconds": -1}, "min_value"),
        ({"hold_seconds": 601}, "max_value"),
        ({"hold_seconds": 2.5}, "not_an_integer"),
        ({"days_per_week": 0}, "min_value"),
        ({"days_per_week": 8}, "max_value"),
        ({"days_per_week": True}, "not_an_integer"),
        ({"load": "x" * 51}, "max_length"),
    ],
)
def test_bad_doses_are_400_and_store_nothing(alice_api, pat, dose, code):
    response = alice_api.post(URL, body_for(pat, item("clamshell", **dose)))
    field = next(iter(dose))
    assert_error(response, 400, code, attr=f"exercises.0.{field}")
    assert not PatientProgram.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "attr"),
    [
        ({}, "required", "patient"),
        ({"exercises": [{"exercise": 1}]}, "required", "patient"),
        ({"patient": "PAT"}, "invalid", "exercises"),
        ({"patient": "PAT", "exercises": []}, "min_length", "exercises"),
        ({"patient": "PAT", "exercises": [{}]}, "required", "exercises.0.exercise"),
        ({"patient": "PAT", "exercises": [{"exercise": 999999}]}, "does_not_exist", None),
        ({"patient": 999999, "exercises": [{"exercise": "EX"}]}, "does_not_exist", "patient"),
        ({"patient": "PAT", "exercises": "clamshell"}, "not_a_list", "exercises"),
        ({"patient": "PAT", "template": 999999}, "does_not_exist", "template"),
        (
            {"patient": "PAT", "exercises": [{"exercise": "EX"}], "start_date": "soon"},
            "invalid",
            None,
        ),
        (
            {"patient": "PAT", "exercises": [{"exercise": "EX"}, {"exercise": "EX"}]},
            "invalid",
            "exercises",
        ),
    ],
)
def test_bad_bodies_are_400_and_store_nothing(alice_api, pat, body, code, attr):
    clamshell = shipped("clamshell").pk
    body = {k: (pat.pk if v == "PAT" else v) for k, v in body.items()}
    if isinstance(body.get("exercises"), list):
        body["exercises"] = [
            {k: (clamshell if v == "EX" else v) for k, v in e.items()} for e in body["exercises"]
        ]
    assert_error(alice_api.post(URL, body), 400, code, attr=attr)
    assert not PatientProgram.objects.exists()


def test_wrong_content_type_and_oversized_body(alice_api, pat):
    assert_refuses_wrong_content_type(alice_api, URL, body_for(pat, item("clamshell")))
    assert_refuses_a_1mb_body(alice_api, URL)
    assert not PatientProgram.objects.exists()


def test_a_patient_filter_that_is_not_a_number_is_400(alice_api, pat_program):
    assert_error(alice_api.get(f"{URL}?patient=abc"), 400, attr="patient")


def test_programs_cannot_be_edited_or_deleted(alice_api, pat_program):
    assert_error(alice_api.patch(f"{URL}{pat_program.pk}/", {"patient_note": "x"}), 405)
    assert_error(alice_api.delete(f"{URL}{pat_program.pk}/"), 405)


# --- Reading, and the audit of it ----------------------------------------------------------------


def test_reads_and_writes_of_programs_are_audited(alice_api, alice, pat, pat_program):
    alice_api.get(f"{URL}{pat_program.pk}/")
    alice_api.get(URL)
    response = alice_api.post(URL, body_for(pat, item("step_up")))
    events = AuditEvent.objects.filter(actor=alice, object_type="program").order_by("id")
    assert [(e.action, e.patient_id) for e in events] == [
        ("retrieve", pat.pk),
        ("list", pat.pk),
        ("create", pat.pk),
    ]
    assert events.last().object_id == str(response.json()["id"])


def test_retrieve_shows_the_exercises_with_ids_for_check_ins(alice_api, pat_program):
    body = alice_api.get(f"{URL}{pat_program.pk}/").json()
    assert [e["exercise"]["code"] for e in body["exercises"]] == [
        "clamshell",
        "wall_sit",
        "single_leg_balance",
    ]
    assert {e["id"] for e in body["exercises"]} == active_program_exercise_ids(
        patient_id=pat_program.patient_id
    )


def test_list_query_count_does_not_grow_with_rows(alice, alice_api, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            patient = PatientFactory(therapist=alice)
            prescribe(patient, alice, "clamshell", "wall_sit", "step_up")

    add(2)
    few = queries_of(lambda: alice_api.get(URL))
    add(8)
    many = queries_of(lambda: alice_api.get(URL))
    assert few == many
    with django_assert_num_queries(few):
        alice_api.get(URL)
