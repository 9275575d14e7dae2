"""Messages from the app are rate limited per patient (STRIDE_THROTTLE_MESSAGE): an app stuck in
a loop cannot bury the care team's inbox, and a retry of a stored message is always answered."""

import pytest

from patients.models import Message, PatientSummary
from patients.throttles import MessageSubmitThrottle
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

APP = "/api/v1/app/messages/"


@pytest.fixture(autouse=True)
def three_an_hour(monkeypatch):
    monkeypatch.setattr(
        MessageSubmitThrottle,
        "THROTTLE_RATES",
        {**MessageSubmitThrottle.THROTTLE_RATES, "message": "3/hour"},
    )


def send(client, key, text="Is the swelling normal after a long run?"):
    return client.post(APP, {"text": text}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_default_is_thirty_an_hour():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["message"] == "30/hour"


def test_the_fourth_new_message_in_an_hour_is_429_and_not_stored(pat, pat_api):
    for i in range(3):
        assert send(pat_api, f"k{i}", text=f"Question {i}").status_code == 201
    response = send(pat_api, "k-new", text="Question 4")
    assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 3600
    stored = sorted(Message.objects.filter(patient=pat).values_list("text", flat=True))
    assert stored == ["Question 0", "Question 1", "Question 2"]
    assert not Message.objects.filter(text="Question 4").exists()
    assert PatientSummary.objects.get(pk=pat.pk).unread_messages == 3


def test_a_retry_of_a_stored_message_over_the_limit_is_answered(pat, pat_api):
    first = send(pat_api, "lost-response")
    for i in range(2):
        send(pat_api, f"k{i}", text=f"Question {i}")
    assert_error(send(pat_api, "k-new", text="Another"), 429)
    again = send(pat_api, "lost-response")
    assert again.status_code == 201, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Message.objects.filter(patient=pat).count() == 3


def test_the_limit_is_per_patient_and_reading_is_not_limited(pat_api, quinn_api):
    for i in range(3):
        send(pat_api, f"k{i}", text=f"Question {i}")
    assert_error(send(pat_api, "k-new"), 429)
    assert send(quinn_api, "k0").status_code == 201
    for _ in range(5):
        assert pat_api.get(APP).status_code == 200


def test_check_ins_have_their_own_count(pat_api):
    from django.utils import timezone

    for i in range(3):
        send(pat_api, f"k{i}", text=f"Question {i}")
    response = pat_api.post(
        "/api/v1/app/check-ins/",
        {"recorded_at": timezone.now().isoformat(), "pain_rest": 2},
        format="json",
        HTTP_IDEMPOTENCY_KEY="check-in-1",
    )
    assert response.status_code == 201, response.content


def test_the_schema_lists_the_429(api_schema):
    operation = api_schema["paths"][APP]["post"]
    assert "429" in operation["responses"]
    assert "429" not in api_schema["paths"][APP]["get"]["responses"]
