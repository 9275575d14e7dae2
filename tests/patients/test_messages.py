"""Messages between a patient (the partner app) and their care team (staff API)."""

import logging

import pytest

from clinic.models import AuditEvent, Notification
from clinic.notifications import notification_deliver, webhook_secret_generate
from patients.models import IdempotencyKey, Message, PatientSummary
from patients.services.records import patient_discharge
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

APP = "/api/v1/app/messages/"


def staff_url(patient):
    return f"/api/v1/patients/{patient.pk}/messages/"


def caseload_entry(client, patient):
    results = client.get("/api/v1/caseload/").json()["results"]
    return next(e for e in results if e["id"] == patient.pk)


def send(client, text="My knee is a bit stiff after the long run.", key="k-1"):
    return client.post(APP, {"text": text}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_patient_sends_a_message_and_a_replay_stores_nothing_twice(pat, pat_api):
    first = send(pat_api)
    assert first.status_code == 201, first.content
    assert first.json()["sender"] == "patient" and first.json()["read_at"] is None
    again = send(pat_api)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Message.objects.filter(patient=pat).count() == 1
    assert PatientSummary.objects.get(pk=pat.pk).unread_messages == 1


def test_same_key_with_another_body_is_422_and_stores_nothing(pat, pat_api):
    assert send(pat_api).status_code == 201
    assert_error(send(pat_api, text="Something else"), 422, code="idempotency_key_reused")
    assert Message.objects.filter(patient=pat).count() == 1


def test_a_key_used_for_a_check_in_is_not_a_message(pat, pat_api):
    from django.utils import timezone

    check_in = pat_api.post(
        "/api/v1/app/check-ins/",
        {"recorded_at": timezone.now().isoformat(), "pain_rest": 1},
        format="json",
        HTTP_IDEMPOTENCY_KEY="shared",
    )
    assert check_in.status_code == 201, check_in.content
    assert_error(send(pat_api, key="shared"), 422, code="idempotency_key_reused")
    assert not Message.objects.exists()


def test_the_key_is_required(pat_api):
    response = pat_api.post(APP, {"text": "hello"}, format="json")
    assert_error(response, 400, attr="Idempotency-Key")
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("text", "ok"),
    [("x", True), ("x" * 2000, True), ("x" * 2001, False), ("", False), ("   ", False)],
)
def test_text_is_1_to_2000_characters(pat, pat_api, text, ok):
    response = send(pat_api, text=text, key=f"len-{len(text)}")
    if ok:
        assert response.status_code == 201
        assert len(response.json()["text"]) == len(text)
    else:
        assert_error(response, 400, attr="text")
        assert not Message.objects.exists()
        assert not IdempotencyKey.objects.exists()


def test_unknown_fields_are_refused(pat_api):
    response = pat_api.post(
        APP, {"text": "hi", "urgent": True}, format="json", HTTP_IDEMPOTENCY_KEY="u"
    )
    assert_error(response, 400, attr="urgent")


def test_the_app_lists_only_its_own_thread_newest_first(pat, quinn, pat_api, quinn_api, alice_api):
    send(pat_api, text="first", key="a")
    send(quinn_api, text="quinn's", key="a")
    alice_api.post(staff_url(pat), {"text": "answer"}, format="json")
    body = pat_api.get(APP).json()
    assert [m["text"] for m in body["results"]] == ["answer", "first"]
    assert body["results"][0]["sender"] == "staff"


def test_a_discharged_patient_token_is_refused(pat, alice, pat_api):
    patient_discharge(patient=pat, by=alice)
    assert_error(send(pat_api), 401)


def test_staff_read_is_audited_and_mark_read_clears_the_caseload_count(
    pat, alice, pat_api, alice_api
):
    send(pat_api, text="one", key="1")
    send(pat_api, text="two", key="2")
    entry = next(
        e for e in alice_api.get("/api/v1/caseload/").json()["results"] if e["id"] == pat.pk
    )
    assert entry["unread_messages"] == 2

    listed = alice_api.get(staff_url(pat))
    assert listed.status_code == 200
    ids = {str(m["id"]) for m in listed.json()["results"]}
    events = AuditEvent.objects.filter(actor=alice, action="list", object_type="message")
    assert {e.object_id for e in events} == ids
    assert all(e.patient_id == pat.pk for e in events)

    marked = alice_api.post(f"{staff_url(pat)}read/")
    assert marked.status_code == 200 and marked.json() == {"marked": 2}
    assert not Message.objects.filter(patient=pat, read_at__isnull=True).exists()
    entry = next(
        e for e in alice_api.get("/api/v1/caseload/").json()["results"] if e["id"] == pat.pk
    )
    assert entry["unread_messages"] == 0
    send(pat_api, text="three", key="3")
    assert PatientSummary.objects.get(pk=pat.pk).unread_messages == 1


def test_staff_answer_writes_a_partner_webhook_with_ids_only(pat, clinic_a, alice_api):
    clinic_a.partner_webhook_url = "https://partner.example/hooks"
    clinic_a.partner_webhook_secret = webhook_secret_generate()
    clinic_a.save(update_fields=["partner_webhook_url", "partner_webhook_secret"])
    response = alice_api.post(staff_url(pat), {"text": "Ice it tonight."}, format="json")
    assert response.status_code == 201
    message = Message.objects.get()
    assert message.sender == "staff" and message.staff_id is not None
    (row,) = Notification.objects.filter(event_type="message.created")
    assert row.target == "partner" and row.recipient == clinic_a.partner_webhook_url
    assert row.payload == {
        "event": "message.created",
        "message_id": message.pk,
        "patient_id": pat.pk,
        "clinic_id": clinic_a.pk,
        "created_at": message.created_at.isoformat(),
    }
    assert "Ice" not in str(row.payload)


def test_no_partner_webhook_no_outbox_row(pat, alice_api):
    assert alice_api.post(staff_url(pat), {"text": "Hi"}, format="json").status_code == 201
    assert not Notification.objects.filter(event_type="message.created").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_webhook_reaches_a_real_receiver_signed_without_the_text(
    pat, clinic_a, alice_api, receiver, caplog
):
    clinic_a.partner_webhook_url = receiver.url
    clinic_a.partner_webhook_secret = webhook_secret_generate()
    clinic_a.save(update_fields=["partner_webhook_url", "partner_webhook_secret"])
    secret_text = "Private words about my knee 7f3a"
    with caplog.at_level(logging.DEBUG):
        response = alice_api.post(staff_url(pat), {"text": secret_text}, format="json")
        assert response.status_code == 201
        row = Notification.objects.get(event_type="message.created")
        assert notification_deliver(notification_id=row.pk) == "success"
    (item,) = receiver.received
    body = receiver.verify(clinic_a.partner_webhook_secret, item)
    assert body["type"] == "message.created"
    assert body["data"]["message_id"] == response.json()["id"]
    assert body["data"]["patient_id"] == pat.pk
    assert secret_text not in item.body.decode()
    assert secret_text not in caplog.text


def test_staff_cannot_message_a_discharged_patient(pat, alice, alice_api):
    patient_discharge(patient=pat, by=alice)
    response = alice_api.post(staff_url(pat), {"text": "Hi"}, format="json")
    assert_error(response, 409, code="patient_discharged")
    assert not Message.objects.exists()


def test_staff_text_bound_and_tenancy(pat, alice_api, carol_api, api):
    assert_error(
        alice_api.post(staff_url(pat), {"text": "x" * 2001}, format="json"), 400, attr="text"
    )
    assert_error(carol_api.get(staff_url(pat)), 404)
    assert_error(carol_api.post(staff_url(pat), {"text": "x"}, format="json"), 404)
    assert_error(carol_api.post(f"{staff_url(pat)}read/"), 404)
    assert_error(api.get(staff_url(pat)), 401)
    assert not Message.objects.exists()


@pytest.mark.parametrize("rows", [3, 60])
def test_lists_cost_the_same_queries_whatever_their_length(
    pat, alice, rows, alice_api, pat_api, django_assert_max_num_queries
):
    Message.objects.bulk_create(
        Message(
            clinic_id=pat.clinic_id,
            patient=pat,
            sender="staff" if i % 2 else "patient",
            staff=alice if i % 2 else None,
            text=f"m{i}",
        )
        for i in range(rows)
    )
    with django_assert_max_num_queries(8):
        assert alice_api.get(staff_url(pat)).status_code == 200
    with django_assert_max_num_queries(4):
        assert pat_api.get(APP).status_code == 200


def test_the_schema_says_messages_are_not_for_emergencies(api):
    schema = api.get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/app/messages/"]["post"]
    get = schema["paths"]["/api/v1/app/messages/"]["get"]
    for operation in (post, get):
        assert "not for emergencies" in operation["description"]
        assert "check-in" in operation["description"]


def test_no_message_text_in_the_fhir_export(pat, pat_api, alice_api):
    send(pat_api, text="Secret knee words qxzv")
    alice_api.post(staff_url(pat), {"text": "Answer words wkjy"}, format="json")
    export = alice_api.get(f"/api/v1/patients/{pat.pk}/fhir/")
    assert export.status_code == 200
    assert "qxzv" not in export.content.decode() and "wkjy" not in export.content.decode()


def test_a_key_used_for_a_message_is_not_a_check_in(pat, pat_api):
    from django.utils import timezone

    assert send(pat_api, key="shared").status_code == 201
    check_in = pat_api.post(
        "/api/v1/app/check-ins/",
        {"recorded_at": timezone.now().isoformat(), "pain_rest": 1},
        format="json",
        HTTP_IDEMPOTENCY_KEY="shared",
    )
    assert_error(check_in, 422, code="idempotency_key_reused")
