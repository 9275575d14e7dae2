"""GET, POST /api/v1/program-templates/ (`?focus=` maps intake focus codes to templates)."""

import pytest

from programs.models import ProgramTemplate
from tests.conftest import assert_error
from tests.programs.api_helpers import (
    assert_refuses_a_1mb_body,
    assert_refuses_wrong_content_type,
    queries_of,
)
from tests.programs.conftest import shipped

pytestmark = pytest.mark.django_db

URL = "/api/v1/program-templates/"


def new_template(*exercise_ids, **extra):
    return {
        "name": "Downhill knees",
        "pattern": "patellofemoral_pain",
        "focus": ["hip_strength"],
        "exercises": [{"exercise": pk, "sets": 2} for pk in exercise_ids],
        **extra,
    }


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] or row["name"] for row in response.json()["results"]]


@pytest.fixture
def a_template(alice, a_exercise):
    from programs import services

    return services.template_create(
        clinic=alice.clinic,
        by=alice,
        data={
            "name": "A's template",
            "focus": ["hip_strength"],
            "items": [{"exercise": a_exercise}, {"exercise": shipped("clamshell")}],
        },
    )


def test_anonymous_and_patient_tokens_get_401(api, pat_api):
    for client in (api, pat_api):
        assert_error(client.get(URL), 401)
        assert_error(client.post(URL, new_template(1)), 401)


def test_the_shipped_templates_with_their_exercises_and_doses(alice_api):
    body = alice_api.get(URL).json()
    by_code = {t["code"]: t for t in body["results"]}
    assert set(by_code) == {
        "general_knee",
        "iliotibial_band",
        "patellar_tendon",
        "patellofemoral_pain",
    }
    pfp = by_code["patellofemoral_pain"]
    assert pfp["shipped"] is True and pfp["pattern"] == "patellofemoral_pain"
    assert pfp["focus"] == ["hip_strength", "mobility", "quadriceps_strength"]
    first = pfp["exercises"][0]
    assert first["order"] == 1 and first["exercise"]["code"] == "clamshell"
    assert (first["sets"], first["reps"], first["days_per_week"]) == (3, 15, 3)


@pytest.mark.parametrize(
    ("focus", "expected"),
    [
        ("hip_strength", {"patellofemoral_pain", "iliotibial_band"}),
        ("quadriceps_strength", {"patellofemoral_pain", "patellar_tendon"}),
        ("calf_strength", {"patellar_tendon", "general_knee"}),
        ("mobility", {"patellofemoral_pain", "iliotibial_band", "general_knee"}),
        ("balance_control", {"iliotibial_band", "general_knee"}),
        ("gait_cadence", {"iliotibial_band", "general_knee"}),
        ("load_management", {"general_knee"}),
        ("footwear_review", {"general_knee"}),
        ("general", {"general_knee"}),
    ],
)
def test_focus_codes_map_to_templates(alice_api, focus, expected):
    assert set(codes(alice_api.get(f"{URL}?focus={focus}"))) == expected


def test_several_focus_codes_give_every_template_serving_any(alice_api):
    seen = codes(alice_api.get(f"{URL}?focus=load_management&focus=hip_strength"))
    assert set(seen) == {"general_knee", "patellofemoral_pain", "iliotibial_band"}
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("query", ["focus=knees", "pattern=runners_knee"])
def test_unknown_codes_are_400(alice_api, query):
    assert_error(alice_api.get(f"{URL}?{query}"), 400, "invalid_choice")


def test_pattern_filter(alice_api):
    assert codes(alice_api.get(f"{URL}?pattern=patellar_tendinopathy")) == ["patellar_tendon"]


def test_a_clinic_template_is_invisible_to_other_clinics(alice_api, carol_api, a_template):
    assert "A's template" in codes(alice_api.get(URL))
    assert "A's template" not in codes(carol_api.get(URL))
    assert_error(carol_api.get(f"{URL}{a_template.pk}/"), 404, "not_found")
    assert alice_api.get(f"{URL}{a_template.pk}/").json()["shipped"] is False


def test_create_a_template(alice_api, clinic_a, a_exercise):
    body = new_template(a_exercise.pk, shipped("wall_sit").pk, guidance="Slow and steady.")
    response = alice_api.post(URL, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [e["exercise"]["id"] for e in data["exercises"]] == [
        a_exercise.pk,
        shipped("wall_sit").pk,
    ]
    wall_sit = data["exercises"][1]
    assert (wall_sit["sets"], wall_sit["reps"], wall_sit["hold_seconds"]) == (2, 1, 30)
    assert ProgramTemplate.objects.get(pk=data["id"]).clinic == clinic_a


def test_another_clinics_exercise_cannot_be_used(alice_api, b_exercise):
    before = ProgramTemplate.objects.count()
    response = alice_api.post(URL, new_template(shipped("clamshell").pk, b_exercise.pk))
    assert_error(response, 400, "does_not_exist", attr="exercises.1.exercise")
    assert ProgramTemplate.objects.count() == before


@pytest.mark.parametrize(
    ("change", "code", "attr"),
    [
        ({"focus": ["knees"]}, "invalid_choice", "focus.0"),
        ({"focus": []}, "min_length", "focus"),
        ({"pattern": "runners_knee"}, "invalid_choice", "pattern"),
        ({"exercises": []}, "min_length", "exercises"),
        ({"exercises": [{"exercise": 999999}]}, "does_not_exist", "exercises.0.exercise"),
        ({"exercises": [{"exercise": "one"}]}, "not_an_integer", "exercises.0.exercise"),
        ({"exercises": [{"sets": 3}]}, "required", "exercises.0.exercise"),
        ({"exercises": [{"exercise": "PK", "sets": "7"}]}, "not_an_integer", "exercises.0.sets"),
        ({"exercises": [{"exercise": "PK", "reps": 6.5}]}, "not_an_integer", "exercises.0.reps"),
        ({"exercises": [{"exercise": "PK", "hold_seconds": -1}]}, "min_value", None),
        ({"exercises": [{"exercise": "PK"}, {"exercise": "PK"}]}, "invalid", "exercises"),
        ({"name": ""}, "blank", "name"),
    ],
)
def test_bad_input_is_400_and_stores_nothing(alice_api, change, code, attr):
    pk = shipped("clamshell").pk
    body = {**new_template(pk), **change}
    for item in body["exercises"]:
        if item.get("exercise") == "PK":
            item["exercise"] = pk
    before = ProgramTemplate.objects.count()
    assert_error(alice_api.post(URL, body), 400, code, attr=attr)
    assert ProgramTemplate.objects.count() == before


def test_missing_fields_are_400(alice_api):
    assert_error(alice_api.post(URL, {}), 400, "required", attr="name")


def test_wrong_content_type_and_oversized_body(alice_api):
    before = ProgramTemplate.objects.count()
    assert_refuses_wrong_content_type(alice_api, URL, new_template(shipped("clamshell").pk))
    assert_refuses_a_1mb_body(alice_api, URL)
    assert ProgramTemplate.objects.count() == before


def test_shipped_templates_cannot_be_changed(alice_api):
    template = ProgramTemplate.objects.get(clinic__isnull=True, code="general_knee")
    assert_error(alice_api.patch(f"{URL}{template.pk}/", {"name": "Ours"}), 405)
    assert_error(alice_api.delete(f"{URL}{template.pk}/"), 405)
    template.refresh_from_db()
    assert template.name == "General knee"


def test_list_query_count_does_not_grow_with_rows(alice, alice_api, django_assert_num_queries):
    from programs import services

    def add(n):
        for i in range(n):
            services.template_create(
                clinic=alice.clinic,
                by=alice,
                data={
                    "name": f"T{i}",
                    "focus": ["mobility", "general"],
                    "items": [
                        {"exercise": shipped("clamshell")},
                        {"exercise": shipped("wall_sit")},
                    ],
                },
            )

    add(2)
    few = queries_of(lambda: alice_api.get(URL))
    add(8)
    many = queries_of(lambda: alice_api.get(URL))
    assert few == many
    with django_assert_num_queries(few):
        alice_api.get(URL)
