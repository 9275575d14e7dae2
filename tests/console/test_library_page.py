"""The exercise library in the console: search by name or muscle group, filter by region and
muscle, each exercise's instructions and dose; the clinic's own exercises stay its own."""

import pytest

from tests.console.conftest import session_client
from tests.programs.conftest import ExerciseFactory

pytestmark = pytest.mark.django_db

URL = "/console/library/"


def names(response) -> set[str]:
    return {exercise.name for exercise in response.context["exercises"]}


def test_hamstring_finds_the_hamstring_exercises(alice_console):
    found = names(alice_console.get(URL, {"q": "hamstring"}))
    assert {
        "Sliding leg curl",
        "Single-leg Romanian deadlift",
        "Bridge walk-out",
        "Glute bridge",
        "Single-leg bridge",
    } <= found
    assert not found & {"Wall sit", "Double-leg calf raise", "Clamshell"}


def test_search_by_name_region_and_muscle(alice_console):
    assert names(alice_console.get(URL, {"q": "clam"})) == {"Clamshell"}
    calves = names(alice_console.get(URL, {"muscle": "calves", "region": "lower_leg"}))
    assert calves == {
        "Double-leg calf raise",
        "Single-leg calf raise",
        "Bent-knee calf raise",
        "Wall calf stretch",
    }
    assert names(alice_console.get(URL, {"q": "hip abductors"})) >= {"Clamshell", "Hip hitch"}
    nothing = alice_console.get(URL, {"q": "elbow"})
    assert b"No exercise matches." in nothing.content


def test_each_exercise_shows_its_instructions_dose_and_muscles(alice_console):
    html = alice_console.get(URL, {"q": "wall sit"}).content.decode()
    assert "Lean your back against a wall" in html
    assert "3 sets of a 30 s hold, body weight, 4 days a week" in html
    assert '<span class="tag muscle">Quadriceps</span>' in html


def test_a_clinics_own_exercise_is_not_shown_to_another_clinic(alice_console, carol, clinic_a):
    ExerciseFactory(clinic=clinic_a, name="Nordic curl", muscles=["hamstrings"])
    assert "Nordic curl" in names(alice_console.get(URL, {"q": "hamstring"}))
    assert "Nordic curl" not in names(session_client(carol).get(URL, {"q": "hamstring"}))


def test_anonymous_visitors_get_the_sign_in_page(visitor):
    response = visitor.get(URL)
    assert response.status_code == 302 and response["Location"] == f"/console/sign-in/?next={URL}"


def test_library_queries_do_not_grow(alice, clinic_a, django_assert_max_num_queries):
    client = session_client(alice)
    client.get(URL)
    ExerciseFactory.create_batch(20, clinic=clinic_a)
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert len(response.context["exercises"]) == 50
