"""GET, POST /api/v1/exercises/ and GET, PATCH /api/v1/exercises/{id}/."""

import pytest

from programs.models import Exercise
from tests.conftest import assert_error
from tests.programs.api_helpers import (
    assert_refuses_a_1mb_body,
    assert_refuses_wrong_content_type,
    queries_of,
)
from tests.programs.conftest import ExerciseFactory, shipped

pytestmark = pytest.mark.django_db

URL = "/api/v1/exercises/"
ALL = URL + "?page_size=200"
NEW = {
    "code": "wall_slide",
    "name": "Wall slide",
    "region": "thigh",
    "kind": "strength",
    "focus": ["quadriceps_strength", "general"],
    "instructions": "Back to the wall, slide down a little and up again.",
    "default_sets": 2,
    "default_reps": 12,
    "default_hold_seconds": 0,
    "default_load": "body weight",
    "default_days_per_week": 4,
}


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


# --- Who may call it ---------------------------------------------------------------------------


def test_anonymous_gets_401(api):
    assert_error(api.get(URL), 401)
    assert_error(api.post(URL, NEW), 401)


def test_a_patient_token_gets_401_on_staff_endpoints(pat_api, a_exercise):
    assert_error(pat_api.get(URL), 401)
    assert_error(pat_api.get(f"{URL}{a_exercise.pk}/"), 401)
    assert_error(pat_api.post(URL, NEW), 401)


# --- Reading: the shipped library and the clinic's own, never another clinic's --------------


def test_staff_see_the_shipped_library_and_their_clinics_own(alice_api, a_exercise, b_exercise):
    seen = codes(alice_api.get(ALL))
    assert "clamshell" in seen and "a_own" in seen
    assert "b_own" not in seen
    assert len(seen) == Exercise.objects.filter(clinic__isnull=True).count() + 1


def test_another_clinic_sees_none_of_clinic_as_exercises(carol_api, a_exercise, b_exercise):
    seen = codes(carol_api.get(ALL))
    assert "a_own" not in seen and "b_own" in seen and "clamshell" in seen
    assert_error(carol_api.get(f"{URL}{a_exercise.pk}/"), 404, "not_found")
    response = carol_api.patch(f"{URL}{a_exercise.pk}/", {"name": "Mine now"})
    assert_error(response, 404, "not_found")
    a_exercise.refresh_from_db()
    assert a_exercise.name == "A's own lunge"


def test_retrieve_a_shipped_exercise(alice_api):
    clamshell = shipped("clamshell")
    body = alice_api.get(f"{URL}{clamshell.pk}/").json()
    assert body["code"] == "clamshell" and body["shipped"] is True
    assert body["focus"] == ["hip_strength"] and body["kind"] == "strength"
    assert body["default_sets"] == 3 and body["instructions"]


def test_missing_exercise_is_404(alice_api):
    assert_error(alice_api.get(f"{URL}999999/"), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "expected", "not_expected"),
    [
        ("focus=calf_strength", {"calf_raise", "single_leg_calf_raise"}, {"clamshell"}),
        ("focus=calf_strength&focus=hip_strength", {"calf_raise", "clamshell"}, {"wall_sit"}),
        ("kind=balance", {"single_leg_balance"}, {"clamshell"}),
        ("region=ankle_foot", {"knee_to_wall"}, {"clamshell"}),
        ("shipped=false", {"a_own"}, {"clamshell"}),
        ("shipped=true", {"clamshell"}, {"a_own"}),
        ("focus=quadriceps_strength", {"a_own", "wall_sit"}, {"clamshell"}),
    ],
)
def test_filters(alice_api, a_exercise, query, expected, not_expected):
    seen = codes(alice_api.get(f"{ALL}&{query}"))
    assert expected <= seen and not (not_expected & seen)


@pytest.mark.parametrize(
    "query", ["focus=knees", "kind=cardio", "region=elbow", "focus=mobility&focus=x"]
)
def test_unknown_filter_codes_are_400(alice_api, query):
    assert_error(alice_api.get(f"{URL}?{query}"), 400)


def test_list_query_count_does_not_grow_with_rows(alice_api, clinic_a, django_assert_num_queries):
    ExerciseFactory.create_batch(2, clinic=clinic_a)
    few = queries_of(lambda: alice_api.get(ALL))
    for exercise in ExerciseFactory.create_batch(10, clinic=clinic_a):
        exercise.focus_links.create(focus="mobility")
    many = queries_of(lambda: alice_api.get(ALL))
    assert few == many
    with django_assert_num_queries(few):
        alice_api.get(ALL)
    assert few <= 5


# --- Creating and changing the clinic's own ------------------------------------------------


def test_create_a_clinic_exercise(alice_api, alice, clinic_a):
    response = alice_api.post(URL, NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["shipped"] is False and body["focus"] == ["general", "quadriceps_strength"]
    row = Exercise.objects.get(pk=body["id"])
    assert row.clinic == clinic_a and row.created_by == alice and row.default_days_per_week == 4


def test_doses_default_when_left_out(alice_api):
    body = {k: NEW[k] for k in ("name", "region", "kind", "instructions")}
    response = alice_api.post(URL, body)
    assert response.status_code == 201, response.content
    row = Exercise.objects.get(pk=response.json()["id"])
    assert (row.default_sets, row.default_reps, row.default_hold_seconds) == (3, 10, 0)
    assert row.code == "" and row.focus_links.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("default_sets", "7", "not_an_integer"),
        ("default_sets", 6.5, "not_an_integer"),
        ("default_sets", True, "not_an_integer"),
        ("default_sets", -1, "min_value"),
        ("default_sets", 0, "min_value"),
        ("default_sets", 11, "max_value"),
        ("default_reps", 101, "max_value"),
        ("default_hold_seconds", -1, "min_value"),
        ("default_hold_seconds", 601, "max_value"),
        ("default_days_per_week", 0, "min_value"),
        ("default_days_per_week", 8, "max_value"),
        ("default_load", "x" * 51, "max_length"),
        ("kind", "cardio", "invalid_choice"),
        ("region", "elbow", "invalid_choice"),
        ("focus", ["knees"], "invalid_choice"),
        ("focus", ["mobility", "mobility"], "invalid"),
        ("code", "has spaces", "invalid"),
        ("code", "clamshell", "invalid"),
        ("name", "", "blank"),
    ],
)
def test_bad_input_is_400_and_stores_nothing(alice_api, field, value, code):
    before = Exercise.objects.count()
    response = alice_api.post(URL, {**NEW, field: value})
    body = assert_error(response, 400, code)
    assert body["type"] == "validation_error"
    assert any(e["attr"] and e["attr"].startswith(field) for e in body["errors"])
    assert Exercise.objects.count() == before


@pytest.mark.parametrize("missing", ["name", "region", "kind", "instructions"])
def test_missing_fields_are_400(alice_api, missing):
    body = {k: v for k, v in NEW.items() if k != missing}
    assert_error(alice_api.post(URL, body), 400, "required", attr=missing)
    assert not Exercise.objects.filter(code="wall_slide").exists()


def test_a_code_is_unique_in_the_clinic(alice_api, a_exercise):
    assert_error(alice_api.post(URL, {**NEW, "code": "a_own"}), 400, attr="code")


def test_a_code_of_another_clinic_is_free(carol_api, a_exercise):
    assert carol_api.post(URL, {**NEW, "code": "a_own"}).status_code == 201


def test_wrong_content_type_and_oversized_body(alice_api, a_exercise):
    before = Exercise.objects.count()
    assert_refuses_wrong_content_type(alice_api, URL, NEW)
    assert_refuses_a_1mb_body(alice_api, URL)
    assert_refuses_a_1mb_body(alice_api, f"{URL}{a_exercise.pk}/", method="patch")
    assert Exercise.objects.count() == before


def test_patch_the_clinics_own_exercise(alice_api, a_exercise):
    response = alice_api.patch(
        f"{URL}{a_exercise.pk}/", {"default_reps": 8, "focus": ["balance_control"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["default_reps"] == 8 and response.json()["focus"] == ["balance_control"]
    a_exercise.refresh_from_db()
    assert a_exercise.default_reps == 8 and a_exercise.name == "A's own lunge"


def test_a_colleague_may_retire_it_and_it_stays_listed(as_staff, bob, a_exercise):
    response = as_staff(bob).patch(f"{URL}{a_exercise.pk}/", {"is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert "a_own" in codes(as_staff(bob).get(f"{ALL}&is_active=false"))


def test_patch_keeps_its_own_code(alice_api, a_exercise):
    response = alice_api.patch(f"{URL}{a_exercise.pk}/", {"code": "a_own"})
    assert response.status_code == 200


@pytest.mark.parametrize("body", [{"default_sets": "7"}, {"default_sets": 6.5}, {"kind": "x"}])
def test_bad_patch_is_400_and_changes_nothing(alice_api, a_exercise, body):
    assert_error(alice_api.patch(f"{URL}{a_exercise.pk}/", body), 400)
    a_exercise.refresh_from_db()
    assert a_exercise.default_sets == 3 and a_exercise.kind == "strength"


def test_the_shipped_library_is_read_only(alice_api):
    clamshell = shipped("clamshell")
    response = alice_api.patch(f"{URL}{clamshell.pk}/", {"name": "Our clamshell"})
    assert_error(response, 403, "permission_denied")
    clamshell.refresh_from_db()
    assert clamshell.name == "Clamshell"


def test_put_and_delete_are_not_allowed(alice_api, a_exercise):
    assert_error(alice_api.put(f"{URL}{a_exercise.pk}/", NEW), 405)
    assert_error(alice_api.delete(f"{URL}{a_exercise.pk}/"), 405)
    assert Exercise.objects.filter(pk=a_exercise.pk).exists()


def test_shipped_exercises_carry_the_muscles_they_train(alice_api):
    rows = {row["code"]: row for row in alice_api.get(ALL).json()["results"]}
    assert rows["sliding_leg_curl"]["muscles"] == ["hamstrings", "glutes"]
    assert rows["clamshell"]["muscles"] == ["hip_abductors", "glutes"]
    assert all(row["muscles"] for row in rows.values() if row["shipped"])


@pytest.mark.parametrize(
    ("muscle", "expected", "not_expected"),
    [
        (
            "hamstrings",
            {"sliding_leg_curl", "single_leg_deadlift", "bridge_walkout", "glute_bridge"},
            {"wall_sit", "calf_raise"},
        ),
        ("calves", {"calf_raise", "knee_to_wall"}, {"clamshell"}),
        ("hip_adductors", {"split_squat"}, {"calf_raise"}),
    ],
)
def test_muscle_filter(alice_api, muscle, expected, not_expected):
    seen = codes(alice_api.get(f"{ALL}&muscle={muscle}"))
    assert expected <= seen and not (not_expected & seen)


def test_an_unknown_muscle_is_400(alice_api):
    assert_error(alice_api.get(f"{URL}?muscle=biceps"), 400)


def test_muscle_filter_and_field_are_enums_in_the_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/exercises/"]["get"]
    muscle = next(p for p in operation["parameters"] if p["name"] == "muscle")
    assert set(muscle["schema"]["enum"]) >= {"hamstrings", "glutes", "quadriceps", "calves"}


def test_a_clinic_exercise_takes_muscles_and_refuses_unknown_ones(alice_api):
    body = {**NEW, "code": "nordic", "muscles": ["hamstrings"]}
    created = alice_api.post(URL, body, format="json")
    assert created.status_code == 201 and created.json()["muscles"] == ["hamstrings"]
    bad = alice_api.post(URL, {**NEW, "code": "bad", "muscles": ["biceps"]}, format="json")
    assert_error(bad, 400)
    assert not Exercise.objects.filter(code="bad").exists()
