"""POST /api/v1/app/check-ins/: validation, idempotency, advice, what is stored."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from patients.models import CheckIn, Escalation, IdempotencyKey
from tests.conftest import assert_error, patient_client

URL = "/api/v1/app/check-ins/"


def body(**overrides):
    data = {"recorded_at": (timezone.now() - timedelta(minutes=1)).isoformat(), "pain_rest": 2}
    data.update(overrides)
    return data


def post(client, data, key=None):
    return client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()))


@pytest.mark.django_db
def test_a_quiet_check_in_is_stored_with_continue_advice(pat, pat_api):
    response = post(pat_api, body(pain_morning=1, note="easy day"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["pain_rest"] == 2 and data["peak_pain"] == 2 and data["note"] == "easy day"
    assert data["advice"]["level"] == "continue"
    assert data["advice"]["rules"] == []
    assert data["advice"]["message"].endswith(pat.clinic.contact_line)
    stored = CheckIn.objects.get()
    assert (stored.patient, stored.clinic) == (pat, pat.clinic)


@pytest.mark.django_db
def test_a_red_flag_opens_a_critical_escalation_and_advises_urgent_care(pat, pat_api):
    data = post(pat_api, body(symptoms=["calf_pain_swelling"])).json()
    assert data["advice"]["level"] == "seek_urgent_care"
    assert "red_flag_emergency" in data["advice"]["rules"]
    message = data["advice"]["message"]
    # It does not leave the patient waiting for the clinic when it may be an emergency.
    assert "call your local emergency number now" in message
    assert "chest pain or breathlessness with a swollen calf" in message
    assert "no substitute for emergency care, above all out of hours" in message
    assert message.endswith(pat.clinic.contact_line)
    escalation = Escalation.objects.get(code="red_flag_emergency")
    assert escalation.severity == "critical" and escalation.status == "open"
    assert escalation.evidence.get().check_in_id == data["id"]


@pytest.mark.django_db
def test_replay_returns_the_original_and_stores_nothing_twice(pat_api):
    fixed = body(pain_rest=3)
    first = post(pat_api, fixed, key="key-1")
    again = post(pat_api, fixed, key="key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_422(pat_api):
    fixed = body(pain_rest=3)
    assert post(pat_api, fixed, key="key-2").status_code == 201
    assert_error(
        post(pat_api, {**fixed, "pain_rest": 4}, key="key-2"), 422, "idempotency_key_reused"
    )
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_patient(pat_api, quinn_api):
    fixed = body()
    assert post(pat_api, fixed, key="shared").status_code == 201
    assert post(quinn_api, fixed, key="shared").status_code == 201
    assert CheckIn.objects.count() == 2


@pytest.mark.django_db
def test_same_key_while_in_flight_is_409(pat, pat_api, settings):
    settings.STRIDE_IDEMPOTENCY_WAIT_SECONDS = 0.2
    fixed = body()
    from patients.services.check_ins import request_fingerprint

    IdempotencyKey.objects.create(
        patient=pat, key="busy", status="in_flight", request_hash=request_fingerprint(fixed)
    )
    assert_error(post(pat_api, fixed, key="busy"), 409, "idempotency_key_in_flight")
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_an_abandoned_claim_is_taken_over(pat, pat_api, settings):
    from patients.services.check_ins import request_fingerprint

    fixed = body()
    IdempotencyKey.objects.create(
        patient=pat,
        key="orphan",
        status="in_flight",
        request_hash=request_fingerprint(fixed),
        claimed_at=timezone.now() - timedelta(minutes=5),
    )
    assert post(pat_api, fixed, key="orphan").status_code == 201
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "", "x" * 256, "tab\there", "é"])
def test_idempotency_key_is_required_and_sane(pat_api, key):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = pat_api.post(URL, body(), format="json", **headers)
    assert_error(response, 400, attr="Idempotency-Key")
    assert not CheckIn.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_threads_same_key_store_one_row_and_all_get_the_same_answer(pat):
    fixed = body(pain_rest=4, symptoms=["swelling"])
    token_client = patient_client(pat)
    header = token_client._credentials["HTTP_AUTHORIZATION"]
    results: list = []
    barrier = threading.Barrier(20)

    def submit():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        barrier.wait()
        try:
            response = client.post(URL, fixed, format="json", HTTP_IDEMPOTENCY_KEY="burst")
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 20
    assert {status for status, _ in results} == {201}
    assert len({str(body) for _, body in results}) == 1
    assert CheckIn.objects.count() == 1
    assert Escalation.objects.get(code="red_flag_mechanical").occurrences == 1


BAD = [
    ({"pain_rest": -1}, "pain_rest"),
    ({"pain_rest": 11}, "pain_rest"),
    ({"pain_rest": 6.5}, "pain_rest"),
    ({"pain_rest": "7"}, "pain_rest"),
    ({"pain_rest": True}, "pain_rest"),
    ({"pain_rest": None}, "pain_rest"),
    ({"pain_morning": 12}, "pain_morning"),
    ({"symptoms": ["sore_toe"]}, "symptoms.0"),
    ({"symptoms": "swelling"}, "symptoms"),
    ({"recorded_at": "2026-11-24T19:05:00"}, "recorded_at"),
    ({"recorded_at": "yesterday"}, "recorded_at"),
    ({"ran": "yes"}, "ran"),
    ({"ran": True, "pain_after_run": 2}, "pain_during_run"),
    ({"ran": True, "pain_during_run": 2}, "pain_after_run"),
    ({"ran": False, "pain_during_run": 2}, "pain_during_run"),
    ({"ran": True, "pain_during_run": 2, "pain_after_run": 2, "run_km": "5"}, "run_km"),
    ({"ran": True, "pain_during_run": 2, "pain_after_run": 2, "run_minutes": 0}, "run_minutes"),
    ({"exercises_completed": ["a"]}, "exercises_completed.0"),
    ({"note": "n" * 2001}, "note"),
    ({"pain_restt": 3}, "pain_restt"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "attr"), BAD, ids=[str(c) for c, _ in BAD])
def test_bad_input_is_400_and_nothing_is_stored(pat_api, change, attr):
    assert_error(post(pat_api, body(**change)), 400, attr=attr)
    assert not CheckIn.objects.exists()
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delta", "ok"),
    [
        (timedelta(minutes=4), True),
        (timedelta(minutes=6), False),
        (-timedelta(days=13, hours=23), True),
        (-timedelta(days=15), False),
    ],
)
def test_recorded_at_window(pat_api, delta, ok):
    response = post(pat_api, body(recorded_at=(timezone.now() + delta).isoformat()))
    if ok:
        assert response.status_code == 201, response.content
    else:
        assert_error(response, 400, attr="recorded_at")


@pytest.mark.django_db
def test_missing_pain_rest_is_400(pat_api):
    assert_error(
        post(pat_api, {"recorded_at": timezone.now().isoformat()}),
        400,
        "required",
        attr="pain_rest",
    )


@pytest.mark.django_db
def test_a_huge_body_and_a_wrong_content_type_store_nothing(pat_api):
    huge = '{"pain_rest": 2, "note": "' + "x" * (1024 * 1024) + '"}'
    response = pat_api.post(URL, huge, content_type="application/json", HTTP_IDEMPOTENCY_KEY="big")
    assert_error(response, 413)
    response = pat_api.post(
        URL,
        "pain_rest=2",
        content_type="application/x-www-form-urlencoded",
        HTTP_IDEMPOTENCY_KEY="form",
    )
    assert_error(response, 415)
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_discharged_patient_gets_401_saying_why(pat, pat_api, alice_api):
    # Discharge revokes the app's tokens (a check-in racing the discharge still gets 409).
    alice_api.post(f"/api/v1/patients/{pat.pk}/discharge/")
    assert_error(post(pat_api, body()), 401, "patient_discharged")
    assert not CheckIn.objects.exists()
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_patient_lists_only_their_own_check_ins(pat_api, quinn_api):
    post(pat_api, body(pain_rest=1))
    post(quinn_api, body(pain_rest=5))
    results = pat_api.get(URL).json()["results"]
    assert [r["pain_rest"] for r in results] == [1]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 8])
def test_app_list_query_count(pat, pat_api, django_assert_num_queries, rows):
    for i in range(rows):
        post(pat_api, body(pain_rest=i % 10))
    with django_assert_num_queries(2):  # token + patient + clinic, the page
        assert len(pat_api.get(URL).json()["results"]) == rows


@pytest.mark.django_db
def test_keys_are_kept_at_least_seven_days(pat_api):
    from patients.services.check_ins import idempotency_keys_purge

    fixed = body()
    assert post(pat_api, fixed, key="old").status_code == 201
    assert idempotency_keys_purge(now=timezone.now() + timedelta(days=7, hours=23)) == 0
    assert post(pat_api, fixed, key="old")["Idempotent-Replayed"] == "true"
    assert idempotency_keys_purge(now=timezone.now() + timedelta(days=8, minutes=1)) == 1
