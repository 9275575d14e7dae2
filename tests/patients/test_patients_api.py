"""Patients for staff: create, list with filters and search, detail, update, discharge."""

import pytest

from clinic.models import AuditEvent
from patients.models import Patient
from tests.conftest import assert_error
from tests.factories import PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/patients/"
NEW = {
    "first_name": "Alex",
    "last_name": "Moreno",
    "date_of_birth": "1991-03-14",
    "timezone": "Europe/Berlin",
    "external_id": "MRN-1",
}


def test_create_defaults_the_therapist_to_the_caller(alice_api, alice):
    response = alice_api.post(URL, NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["therapist"] == alice.pk
    assert body["status"] == "active"
    assert body["check_in_days"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert body["check_in_time"] == "19:00:00"
    patient = Patient.objects.get(pk=body["id"])
    assert patient.clinic_id == alice.clinic_id
    event = AuditEvent.objects.get(action="create", object_type="patient")
    assert (event.actor_id, event.patient_id) == (alice.pk, patient.pk)


def test_create_for_a_colleague_and_with_a_schedule(alice_api, bob):
    body = {**NEW, "therapist": bob.pk, "check_in_days": ["mon", "thu"], "check_in_time": "07:30"}
    response = alice_api.post(URL, body)
    assert response.status_code == 201, response.content
    assert response.json()["therapist"] == bob.pk
    assert response.json()["check_in_days"] == ["mon", "thu"]
    assert Patient.objects.get().check_in_weekdays == 0b1001


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": 5}, "timezone"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "14/03/1991"}, "date_of_birth"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": None}, "first_name"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"check_in_days": ["someday"]}, "check_in_days.0"),
        ({"check_in_days": []}, "check_in_days"),
        ({"check_in_time": "25:00"}, "check_in_time"),
        ({"external_id": "x" * 65}, "external_id"),
    ],
)
def test_create_refuses_bad_fields(alice_api, change, attr):
    assert_error(alice_api.post(URL, {**NEW, **change}), 400, attr=attr)
    assert not Patient.objects.exists()


@pytest.mark.parametrize("missing", ["first_name", "last_name", "date_of_birth", "timezone"])
def test_create_requires_the_core_fields(alice_api, missing):
    body = {k: v for k, v in NEW.items() if k != missing}
    assert_error(alice_api.post(URL, body), 400, "required", attr=missing)
    assert not Patient.objects.exists()


def test_another_clinics_therapist_cannot_be_assigned(alice_api, carol):
    assert_error(alice_api.post(URL, {**NEW, "therapist": carol.pk}), 400, attr="therapist")
    assert not Patient.objects.exists()


def test_record_number_is_unique_within_the_clinic_only(alice_api, carol_api):
    assert alice_api.post(URL, NEW).status_code == 201
    assert_error(alice_api.post(URL, {**NEW, "first_name": "Other"}), 400, attr="external_id")
    assert carol_api.post(URL, NEW).status_code == 201


def test_list_filters_and_search(alice_api, alice, bob):
    mine = PatientFactory(therapist=alice, last_name="Anders", external_id="R-9")
    PatientFactory(therapist=bob, last_name="Berg")
    PatientFactory(therapist=alice, last_name="Cole", status="discharged")

    def names(query):
        response = alice_api.get(URL + query)
        assert response.status_code == 200, response.content
        return [p["last_name"] for p in response.json()["results"]]

    assert names("") == ["Anders", "Berg", "Cole"]
    assert names("?mine=true") == ["Anders", "Cole"]
    assert names("?status=active") == ["Anders", "Berg"]
    assert names(f"?therapist={bob.pk}") == ["Berg"]
    assert names("?search=R-9") == ["Anders"]
    assert names("?search=ber") == ["Berg"]
    assert_error(alice_api.get(URL + "?status=sleeping"), 400, attr="status")
    assert mine.pk in [p["id"] for p in alice_api.get(URL).json()["results"]]


def test_list_pages_with_a_cursor(alice_api, alice):
    for i in range(5):
        PatientFactory(therapist=alice, last_name=f"P{i}")
    first = alice_api.get(URL + "?page_size=2").json()
    assert [p["last_name"] for p in first["results"]] == ["P0", "P1"]
    second = alice_api.get(first["next"]).json()
    assert [p["last_name"] for p in second["results"]] == ["P2", "P3"]


def test_list_writes_one_audit_event_per_patient_shown(alice_api, alice):
    patients = [PatientFactory(therapist=alice) for _ in range(3)]
    alice_api.get(URL)
    events = AuditEvent.objects.filter(action="list", actor=alice)
    assert sorted(e.patient_id for e in events) == sorted(p.pk for p in patients)


@pytest.mark.parametrize("rows", [2, 12])
def test_list_query_count_does_not_grow(alice_api, alice, django_assert_num_queries, rows):
    for _ in range(rows):
        PatientFactory(therapist=alice)
    # token + user, knox's sweep of the user's expired tokens, the clinic, the page of
    # patients, one INSERT of all audit events
    with django_assert_num_queries(5):
        response = alice_api.get(URL)
    assert len(response.json()["results"]) == rows


def test_detail_update_and_audit(alice_api, alice, pat):
    response = alice_api.get(f"{URL}{pat.pk}/")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Pat"
    response = alice_api.patch(
        f"{URL}{pat.pk}/", {"phone": "+49 30 1234567", "check_in_days": ["sat"]}
    )
    assert response.status_code == 200, response.content
    pat.refresh_from_db()
    assert pat.phone == "+49 30 1234567"
    assert pat.check_in_days == ["sat"]
    actions = list(AuditEvent.objects.filter(patient_id=pat.pk).values_list("action", flat=True))
    assert sorted(actions) == ["partial_update", "retrieve"]
    # No clinical data in the audit trail, only identifiers.
    assert "1234567" not in str(list(AuditEvent.objects.values()))


def test_patch_refuses_bad_input_and_changes_nothing(alice_api, pat):
    assert_error(
        alice_api.patch(f"{URL}{pat.pk}/", {"timezone": "Nowhere/Land", "first_name": "Changed"}),
        400,
    )
    pat.refresh_from_db()
    assert pat.first_name == "Pat"


def test_discharge_closes_enrollment_and_cannot_repeat(alice_api, pat):
    code = alice_api.post(f"{URL}{pat.pk}/enrollment-code/").json()["code"]
    response = alice_api.post(f"{URL}{pat.pk}/discharge/")
    assert response.status_code == 200
    assert response.json()["status"] == "discharged"
    assert response.json()["discharged_at"]
    assert_error(alice_api.post(f"{URL}{pat.pk}/discharge/"), 409, "conflict")
    assert_error(alice_api.post(f"{URL}{pat.pk}/enrollment-code/"), 409)
    # The code issued before discharge no longer works.
    from rest_framework.test import APIClient

    assert_error(APIClient().post("/api/v1/app/enroll/", {"code": code}), 400, attr="code")


def test_colleague_sees_the_clinics_patients(pat, bob, as_staff):
    assert as_staff(bob).get(f"{URL}{pat.pk}/").status_code == 200


def test_inactive_therapist_cannot_be_assigned(alice_api, clinic_a):
    gone = StaffFactory(clinic=clinic_a, is_active=False)
    assert_error(alice_api.post(URL, {**NEW, "therapist": gone.pk}), 400, attr="therapist")


def test_pause_and_resume_change_the_status_and_refuse_the_wrong_state(alice_api, pat):
    response = alice_api.post(f"{URL}{pat.pk}/pause/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paused"
    assert_error(alice_api.post(f"{URL}{pat.pk}/pause/"), 409, "conflict")
    response = alice_api.post(f"{URL}{pat.pk}/resume/")
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert response.json()["next_reminder_at"]
    assert_error(alice_api.post(f"{URL}{pat.pk}/resume/"), 409, "conflict")
    assert list(
        AuditEvent.objects.filter(object_id=str(pat.pk), action__in=["pause", "resume"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["pause", "pause", "resume", "resume"]


def test_a_discharged_patient_cannot_be_paused_or_resumed(alice_api, pat):
    alice_api.post(f"{URL}{pat.pk}/discharge/")
    assert_error(alice_api.post(f"{URL}{pat.pk}/pause/"), 409, "conflict")
    assert_error(alice_api.post(f"{URL}{pat.pk}/resume/"), 409, "conflict")
    pat.refresh_from_db()
    assert pat.status == "discharged"
