"""Escalations for staff: list and filters, evidence, acknowledge and resolve."""

import pytest
from django.db import transaction

from clinic.models import AuditEvent
from patients.models import Escalation
from patients.services import EvidenceInput, escalation_raise
from tests.conftest import assert_error
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/escalations/"


def raise_(patient, code="pain_severe", severity="high", rationale="peak pain 8 (severe at 7)"):
    with transaction.atomic():
        return escalation_raise(
            patient=patient,
            code=code,
            evidence=EvidenceInput(
                severity=severity, rationale=rationale, values={"peak_pain": 8, "threshold": 7}
            ),
        ).escalation


def test_list_shows_the_representation_with_evidence(alice_api, pat):
    escalation = raise_(pat)
    (row,) = alice_api.get(URL).json()["results"]
    assert row["id"] == escalation.pk
    assert row["patient"] == pat.pk
    assert (row["code"], row["severity"], row["status"], row["occurrences"]) == (
        "pain_severe",
        "high",
        "open",
        1,
    )
    assert row["evidence"][0]["rationale"] == "peak pain 8 (severe at 7)"
    assert row["evidence"][0]["values"] == {"peak_pain": 8, "threshold": 7}
    assert {
        "acknowledge_by",
        "acknowledged_at",
        "acknowledged_by",
        "resolved_at",
        "resolved_by",
        "resolution_note",
        "opened_at",
    } <= set(row)


def test_filters(alice_api, pat, quinn):
    raise_(pat, code="red_flag_emergency", severity="critical")
    raise_(quinn, code="pain_rising", severity="moderate")
    codes = lambda q: sorted(r["code"] for r in alice_api.get(URL + q).json()["results"])  # noqa: E731
    assert codes("?severity=critical") == ["red_flag_emergency"]
    assert codes(f"?patient={quinn.pk}") == ["pain_rising"]
    assert codes("?status=open") == ["pain_rising", "red_flag_emergency"]
    assert codes("?status=resolved") == []
    assert_error(alice_api.get(URL + "?severity=urgent"), 400, attr="severity")


def test_acknowledge_then_resolve_with_a_note(alice_api, alice, pat):
    escalation = raise_(pat)
    response = alice_api.post(f"{URL}{escalation.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_by"] == alice.pk
    assert_error(alice_api.post(f"{URL}{escalation.pk}/acknowledge/"), 409, "invalid_transition")
    assert_error(alice_api.post(f"{URL}{escalation.pk}/resolve/", {}), 400, attr="note")
    assert_error(alice_api.post(f"{URL}{escalation.pk}/resolve/", {"note": "  "}), 400)
    response = alice_api.post(f"{URL}{escalation.pk}/resolve/", {"note": "Called; settled."})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["resolution_note"]) == (
        "resolved",
        "Called; settled.",
    )
    assert_error(alice_api.post(f"{URL}{escalation.pk}/resolve/", {"note": "again"}), 409)
    actions = set(
        AuditEvent.objects.filter(object_type="escalation").values_list("action", flat=True)
    )
    assert {"acknowledge", "resolve"} <= actions


def test_resolving_an_open_escalation_acknowledges_it_on_the_way(bob_api_factory, bob, pat):
    escalation = raise_(pat)
    response = bob_api_factory.post(f"{URL}{escalation.pk}/resolve/", {"note": "Seen in clinic"})
    assert response.status_code == 200
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == bob and escalation.resolved_by == bob


def test_after_resolution_the_same_code_opens_a_new_escalation(alice_api, pat):
    first = raise_(pat)
    alice_api.post(f"{URL}{first.pk}/resolve/", {"note": "ok"})
    second = raise_(pat)
    assert second.pk != first.pk
    assert Escalation.objects.filter(patient=pat).count() == 2


def test_other_clinic_sees_nothing(carol_api, pat):
    escalation = raise_(pat)
    assert carol_api.get(URL).json()["results"] == []
    assert_error(carol_api.get(f"{URL}{escalation.pk}/"), 404)
    assert_error(carol_api.post(f"{URL}{escalation.pk}/acknowledge/"), 404)
    assert_error(carol_api.post(f"{URL}{escalation.pk}/resolve/", {"note": "x"}), 404)
    escalation.refresh_from_db()
    assert escalation.status == "open"


@pytest.mark.parametrize("rows", [2, 10])
def test_list_query_count(alice_api, alice, django_assert_num_queries, rows):
    for _ in range(rows):
        patient = PatientFactory(therapist=alice)
        raise_(patient)
        raise_(patient)  # a second piece of evidence
    # token, knox sweep, clinic, page, evidence (prefetch), audit INSERT
    with django_assert_num_queries(6):
        response = alice_api.get(URL)
    assert len(response.json()["results"]) == rows
    assert all(len(r["evidence"]) == 2 for r in response.json()["results"])


@pytest.fixture
def bob_api_factory(bob, as_staff):
    return as_staff(bob)
