"""The audit trail of PHI access, the change history, and the clinic's own settings."""

import pytest
from auditlog.models import LogEntry

from clinic.models import AuditEvent
from tests.conftest import assert_error
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

AUDIT = "/api/v1/audit-events/"


def test_every_staff_read_of_a_patient_is_audited_without_the_data(alice_api, alice, pat):
    alice_api.get(
        f"/api/v1/patients/{pat.pk}/", REMOTE_ADDR="10.1.2.3", HTTP_X_REQUEST_ID="req-12345678"
    )
    event = AuditEvent.objects.get()
    assert event.actor == alice
    assert event.action == "retrieve"
    assert event.patient_id == pat.pk
    assert (event.object_type, event.object_id) == ("patient", str(pat.pk))
    assert event.ip_address == "10.1.2.3"
    assert event.request_id == "req-12345678"


def test_admin_reads_the_audit_trail_with_filters(ada_api, alice_api, alice, pat, quinn):
    alice_api.get(f"/api/v1/patients/{pat.pk}/")
    alice_api.get(f"/api/v1/patients/{quinn.pk}/")
    results = ada_api.get(f"{AUDIT}?patient={pat.pk}").json()["results"]
    assert [(r["actor_email"], r["action"], r["patient"]) for r in results] == [
        ("alice@a.test", "retrieve", pat.pk)
    ]
    assert len(ada_api.get(f"{AUDIT}?actor={alice.pk}").json()["results"]) == 2


def test_audit_trail_is_for_admins_of_the_same_clinic(alice_api, carol_api, pat, ada_api):
    ada_api.get(f"/api/v1/patients/{pat.pk}/")
    assert_error(alice_api.get(AUDIT), 403)
    assert carol_api.get(AUDIT).json()["results"] == []


@pytest.mark.parametrize("rows", [2, 10])
def test_audit_list_query_count(ada_api, alice_api, alice, django_assert_num_queries, rows):
    for _ in range(rows):
        alice_api.get(f"/api/v1/patients/{PatientFactory(therapist=alice).pk}/")
    with django_assert_num_queries(4):
        response = ada_api.get(AUDIT)
    assert len(response.json()["results"]) == rows


def test_change_history_names_the_staff_member(alice_api, alice, pat):
    alice_api.patch(f"/api/v1/patients/{pat.pk}/", {"phone": "+1 555 0100"})
    entry = LogEntry.objects.get_for_object(pat).latest("timestamp")
    assert entry.actor == alice
    assert "phone" in entry.changes_dict


def test_clinic_settings_show_effective_thresholds(alice_api, clinic_a):
    body = alice_api.get("/api/v1/clinic/").json()
    assert body["name"] == "Clinic A"
    assert body["thresholds"]["pain_mcid"] == 2
    assert body["thresholds"]["ack_critical_minutes"] == 15
    assert body["threshold_overrides"] == {}


def test_admin_overrides_a_threshold(ada_api, clinic_a):
    response = ada_api.patch(
        "/api/v1/clinic/", {"thresholds": {"pain_severe": 8}, "oncall_emails": ["lead@a.test"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["thresholds"]["pain_severe"] == 8
    clinic_a.refresh_from_db()
    assert clinic_a.clinical_thresholds().pain_severe == 8
    assert clinic_a.oncall_emails == ["lead@a.test"]


@pytest.mark.parametrize(
    "body",
    [
        {"thresholds": {"pain_severity": 8}},
        {"thresholds": {"pain_severe": 7.5}},
        {"thresholds": {"pain_severe": -1}},
        {"thresholds": {"pain_severe": "8"}},
        {"thresholds": [1]},
        {"timezone": "Europe/Nowhere"},
        {"oncall_emails": ["not-an-email"]},
    ],
)
def test_bad_clinic_settings_are_refused(ada_api, clinic_a, body):
    assert_error(ada_api.patch("/api/v1/clinic/", body), 400)
    clinic_a.refresh_from_db()
    assert clinic_a.thresholds == {}
    assert clinic_a.timezone == "Europe/Berlin"


def test_therapist_cannot_change_clinic_settings(alice_api):
    assert_error(alice_api.patch("/api/v1/clinic/", {"name": "Mine"}), 403)
