"""GET, POST /api/v1/run-ladders/: the default ladder and clinic-defined ones."""

import pytest

from programs.models import RunLadder
from tests.conftest import assert_error
from tests.programs.api_helpers import (
    assert_refuses_a_1mb_body,
    assert_refuses_wrong_content_type,
    queries_of,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/run-ladders/"
GENTLE = {
    "name": "Gentle ladder",
    "description": "For runners coming back from surgery.",
    "levels": [
        {"run_minutes": 1, "walk_minutes": 3, "repeats": 5},
        {"run_minutes": 2, "walk_minutes": 2, "repeats": 5},
        {"run_minutes": 20},
    ],
}


@pytest.fixture
def a_ladder(alice_api):
    response = alice_api.post(URL, GENTLE)
    assert response.status_code == 201, response.content
    return RunLadder.objects.get(pk=response.json()["id"])


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_anonymous_and_patient_tokens_get_401(api, pat_api):
    for client in (api, pat_api):
        assert_error(client.get(URL), 401)
        assert_error(client.post(URL, GENTLE), 401)


def test_the_default_ladder_is_listed_for_every_clinic(alice_api, carol_api):
    for client in (alice_api, carol_api):
        (ladder,) = client.get(URL).json()["results"]
        assert ladder["code"] == "default" and ladder["shipped"] is True
        levels = ladder["levels"]
        assert [lv["running_minutes"] for lv in levels] == [6, 10, 15, 20, 24, 24, 20, 30]
        assert levels[0]["description"] == (
            "Run 1 min, walk 2 min; do this 6 times (6 minutes of running)."
        )
        assert levels[7]["description"] == "Run 30 minutes without stopping."


def test_a_clinic_defines_its_own_ladder(alice_api, clinic_a, alice, a_ladder):
    assert a_ladder.clinic == clinic_a and a_ladder.created_by == alice
    levels = list(a_ladder.levels.values_list("number", "run_minutes", "walk_minutes", "repeats"))
    assert levels == [(1, 1, 3, 5), (2, 2, 2, 5), (3, 20, 0, 1)]
    assert set(names(alice_api.get(URL))) == {"Walk-run ladder", "Gentle ladder"}


def test_a_clinic_ladder_is_invisible_to_other_clinics(carol_api, a_ladder):
    assert names(carol_api.get(URL)) == ["Walk-run ladder"]
    assert_error(carol_api.get(f"{URL}{a_ladder.pk}/"), 404, "not_found")


@pytest.mark.parametrize(
    ("levels", "code", "attr"),
    [
        ([], "min_length", "levels"),
        ([{"run_minutes": 1}] * 21, "max_length", "levels"),
        ([{"walk_minutes": 1}], "required", "levels.0.run_minutes"),
        ([{"run_minutes": "7"}], "not_an_integer", "levels.0.run_minutes"),
        ([{"run_minutes": 6.5}], "not_an_integer", "levels.0.run_minutes"),
        ([{"run_minutes": 0}], "min_value", "levels.0.run_minutes"),
        ([{"run_minutes": -1}], "min_value", "levels.0.run_minutes"),
        ([{"run_minutes": 121}], "max_value", "levels.0.run_minutes"),
        ([{"run_minutes": 1, "walk_minutes": -1}], "min_value", "levels.0.walk_minutes"),
        ([{"run_minutes": 1, "repeats": 0}], "min_value", "levels.0.repeats"),
        ("many", "not_a_list", "levels"),
    ],
)
def test_bad_levels_are_400_and_store_nothing(alice_api, levels, code, attr):
    assert_error(alice_api.post(URL, {**GENTLE, "levels": levels}), 400, code, attr=attr)
    assert not RunLadder.objects.filter(clinic__isnull=False).exists()


def test_missing_name_is_400(alice_api):
    assert_error(alice_api.post(URL, {"levels": GENTLE["levels"]}), 400, "required", attr="name")


def test_wrong_content_type_and_oversized_body(alice_api):
    assert_refuses_wrong_content_type(alice_api, URL, GENTLE)
    assert_refuses_a_1mb_body(alice_api, URL)
    assert not RunLadder.objects.filter(clinic__isnull=False).exists()


def test_ladders_cannot_be_changed(alice_api, a_ladder):
    assert_error(alice_api.patch(f"{URL}{a_ladder.pk}/", {"name": "x"}), 405)
    assert_error(alice_api.delete(f"{URL}{a_ladder.pk}/"), 405)


def test_list_query_count_does_not_grow_with_rows(alice_api, django_assert_num_queries):
    for _ in range(2):
        alice_api.post(URL, GENTLE)
    few = queries_of(lambda: alice_api.get(URL))
    for _ in range(8):
        alice_api.post(URL, GENTLE)
    many = queries_of(lambda: alice_api.get(URL))
    assert few == many
    with django_assert_num_queries(few):
        alice_api.get(URL)
