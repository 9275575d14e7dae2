"""Every patient keeps an active therapist: a deactivation moves the patients in the same
request (`reassign_to`) or is refused; on-call contacts cannot be emptied while a patient has
an inactive therapist; the Django admin refuses the same changes."""

import pytest
from auditlog.models import LogEntry
from knox.models import AuthToken

from clinic.models import StaffUser
from patients.models import Patient, PatientStatus
from patients.services import PatientTherapistError, patient_update
from tests.conftest import assert_error
from tests.factories import PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/staff/"


@pytest.fixture
def alices_patients(pat, alice):
    """pat and two more of alice's patients, one of them discharged."""
    return [
        pat,
        PatientFactory(therapist=alice),
        PatientFactory(therapist=alice, status=PatientStatus.DISCHARGED),
    ]


def therapists(patients):
    return [Patient.objects.get(pk=p.pk).therapist_id for p in patients]


def test_deactivating_a_therapist_with_patients_is_refused_and_nothing_changes(
    ada_api, alice, alice_api, alices_patients
):
    response = ada_api.patch(f"{URL}{alice.pk}/", {"is_active": False})
    body = assert_error(response, 409, code="patients_assigned")
    assert body["errors"][0]["detail"].startswith("3 patients are assigned")
    assert "reassign_to" in body["errors"][0]["detail"]
    alice.refresh_from_db()
    assert alice.is_active
    assert therapists(alices_patients) == [alice.pk] * 3
    assert AuthToken.objects.filter(user=alice).exists()
    assert alice_api.get("/api/v1/patients/").status_code == 200


def test_reassign_to_moves_the_patients_and_deactivates_in_one_request(
    ada, ada_api, alice, bob, quinn, alices_patients
):
    response = ada_api.patch(f"{URL}{alice.pk}/", {"is_active": False, "reassign_to": bob.pk})
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert "reassign_to" not in response.json()
    alice.refresh_from_db()
    assert not alice.is_active
    assert therapists([*alices_patients, quinn]) == [bob.pk] * 4
    assert not AuthToken.objects.filter(user=alice).exists()
    entry = LogEntry.objects.get_for_object(alices_patients[0]).latest("timestamp")
    assert entry.actor == ada
    assert "therapist" in entry.changes_dict


def test_an_admin_cannot_deactivate_themselves_even_with_a_reassignment(ada, ada_api, bob):
    mine = PatientFactory(therapist=ada)
    response = ada_api.patch(f"{URL}{ada.pk}/", {"is_active": False, "reassign_to": bob.pk})
    assert_error(response, 409)
    assert therapists([mine]) == [ada.pk]


def test_reassign_to_also_moves_the_patients_of_someone_already_inactive(
    ada_api, alice, bob, alices_patients, clinic_a
):
    StaffUser.objects.filter(pk=alice.pk).update(is_active=False)
    response = ada_api.patch(f"{URL}{alice.pk}/", {"is_active": False, "reassign_to": bob.pk})
    assert response.status_code == 200, response.content
    assert therapists(alices_patients) == [bob.pk] * 3


def test_deactivating_someone_without_patients_needs_no_reassignment(ada_api, bob):
    assert ada_api.patch(f"{URL}{bob.pk}/", {"is_active": False}).status_code == 200


@pytest.mark.parametrize(
    ("target", "extra"),
    [
        ("carol", {"is_active": False}),  # another clinic's
        ("inactive", {"is_active": False}),
        ("alice", {"is_active": False}),  # the one deactivated
        ("bob", {}),  # without the deactivation
        ("bob", {"is_active": True}),
        ("missing", {"is_active": False}),
        ("string", {"is_active": False}),
    ],
)
def test_a_bad_reassign_to_is_a_400_and_nothing_changes(
    ada_api, alice, bob, carol, clinic_a, alices_patients, target, extra
):
    ids = {
        "carol": carol.pk,
        "inactive": StaffFactory(clinic=clinic_a, is_active=False).pk,
        "alice": alice.pk,
        "bob": bob.pk,
        "missing": 999_999,
        "string": str(bob.pk),
    }
    response = ada_api.patch(f"{URL}{alice.pk}/", {**extra, "reassign_to": ids[target]})
    assert_error(response, 400, attr="reassign_to")
    alice.refresh_from_db()
    assert alice.is_active
    assert therapists(alices_patients) == [alice.pk] * 3


def test_the_service_refuses_an_inactive_therapist_even_past_the_serializer(pat, alice, bob):
    """A deactivation committed between validation and the write is seen under the lock."""
    StaffUser.objects.filter(pk=bob.pk).update(is_active=False)
    with pytest.raises(PatientTherapistError):
        patient_update(patient=pat, data={"therapist": bob})
    assert therapists([pat]) == [alice.pk]


def test_oncall_contacts_cannot_be_emptied_while_a_patient_has_an_inactive_therapist(
    ada_api, alice, pat, clinic_a
):
    StaffUser.objects.filter(pk=alice.pk).update(is_active=False)
    before = list(clinic_a.oncall_emails)
    body = assert_error(
        ada_api.patch("/api/v1/clinic/", {"oncall_emails": []}, format="json"),
        400,
        attr="oncall_emails",
    )
    assert body["errors"][0]["detail"].startswith("1 patient(s) have an inactive therapist")
    clinic_a.refresh_from_db()
    assert clinic_a.oncall_emails == before
    # Once every patient has an active therapist again, the clinic may do without on-call.
    StaffUser.objects.filter(pk=alice.pk).update(is_active=True)
    response = ada_api.patch("/api/v1/clinic/", {"oncall_emails": []}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["oncall_emails"] == []


def test_the_django_admin_refuses_to_deactivate_a_therapist_with_patients(client, ada, alice, pat):
    client.force_login(ada)
    form = {
        "email": alice.email,
        "first_name": alice.first_name,
        "last_name": alice.last_name,
        "role": alice.role,
        "is_staff": "",
        # is_active left out: unticked
    }
    page = client.post(f"/admin/clinic/staffuser/{alice.pk}/change/", form)
    assert page.status_code == 200  # the form again, with the error
    assert "1 patient(s) are assigned" in page.content.decode()
    alice.refresh_from_db()
    assert alice.is_active
