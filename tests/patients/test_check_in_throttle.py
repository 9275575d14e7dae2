"""Check-ins are rate limited per patient; a retry of a stored check-in is always answered."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from patients.models import CheckIn
from patients.throttles import CheckInSubmitThrottle
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/app/check-ins/"


@pytest.fixture(autouse=True)
def three_a_minute(monkeypatch):
    monkeypatch.setattr(
        CheckInSubmitThrottle,
        "THROTTLE_RATES",
        {**CheckInSubmitThrottle.THROTTLE_RATES, "check_in": "3/min"},
    )


def body(minutes_ago: int, **overrides):
    recorded_at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"recorded_at": recorded_at.isoformat(), "pain_rest": 2, **overrides}


def post(client, data, key):
    return client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.parametrize("cache_backend", ["redis", "file"])
def test_the_fourth_new_check_in_in_a_minute_is_429_with_retry_after(
    pat_api, cache_backend, settings, tmp_path
):
    """On Redis the window counter; without it (`make run`'s file cache) DRF's list of times."""
    if cache_backend == "file":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path),
            }
        }
    for i in range(3):
        assert post(pat_api, body(i + 1), f"k{i}").status_code == 201
    response = post(pat_api, body(10), "k-new")
    assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert CheckIn.objects.count() == 3


def test_a_replay_over_the_limit_is_still_answered_and_writes_nothing(pat_api):
    original = body(1)
    first = post(pat_api, original, "lost-response")
    for i in range(2):
        post(pat_api, body(i + 2), f"k{i}")
    assert_error(post(pat_api, body(9), "k-new"), 429)
    again = post(pat_api, original, "lost-response")
    assert again.status_code == 201, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    # The same stored key with another body: still answered (422), still nothing written.
    assert_error(post(pat_api, body(30, pain_rest=9), "lost-response"), 422)
    assert CheckIn.objects.count() == 3


def test_the_limit_is_per_patient(pat_api, quinn_api):
    for i in range(3):
        post(pat_api, body(i + 1), f"k{i}")
    assert_error(post(pat_api, body(9), str(uuid.uuid4())), 429)
    assert post(quinn_api, body(1), "k0").status_code == 201


def test_reading_check_ins_is_not_limited(pat_api):
    for i in range(3):
        post(pat_api, body(i + 1), f"k{i}")
    for _ in range(5):
        assert pat_api.get(URL).status_code == 200


def test_with_the_cache_down_check_ins_and_sign_in_still_work(pat_api, alice, api, settings):
    """The throttle counters live in Redis; an outage lifts the limits, it fails nothing."""
    from django.core.cache import cache

    from tests.processes import free_port

    assert settings.CACHES["default"]["BACKEND"] == "common.cache.FailOpenRedisCache"
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    assert cache.get("anything", "missed") == "missed"  # the cache is really unreachable
    for i in range(5):
        assert post(pat_api, body(i + 1), f"down-{i}").status_code == 201
    login = {"email": alice.email, "password": "correct-horse-battery"}
    assert api.post("/api/v1/auth/login/", login).status_code == 200


def test_the_counter_opens_a_window_and_closes_it():
    """The limit's counter (common.cache): counts within a window, which expires."""
    import time

    from django.core.cache import cache

    key = f"throttle-test-{uuid.uuid4()}"
    assert [cache.hit(key, 1)[0] for _ in range(3)] == [1, 2, 3]
    assert cache.hit(key, 1)[1] == 1
    time.sleep(1.1)
    assert cache.hit(key, 1) == (1, 1)


def test_a_list_of_times_left_by_a_process_before_the_window_counter_breaks_nothing(pat_api, pat):
    """During a rolling deploy a process still on DRF's list of times writes one at the
    patient's throttle key; the window counter keeps its own key."""
    import time

    from django.core.cache import cache

    cache.set(f"throttle_check_in_{pat.pk}", [time.time()], 60)
    for i in range(3):
        assert post(pat_api, body(i + 1), f"k{i}").status_code == 201
    assert_error(post(pat_api, body(10), "k-new"), 429, "throttled")
    assert cache.get(f"throttle_check_in_{pat.pk}") is not None
