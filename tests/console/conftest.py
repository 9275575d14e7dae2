"""Console clients for the personas: a visitor session signed in as alice, bob or carol."""

import uuid
from datetime import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from clinic.models import StaffUser
from patients.models import Escalation, Patient
from patients.services import EvidenceInput, escalation_raise
from patients.services.check_ins import check_in_submit

PASSWORD = "correct-horse-battery"  # tests.factories.StaffFactory's


def session_client(user: StaffUser) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def visitor() -> Client:
    """Anonymous: nobody signed in."""
    return Client()


@pytest.fixture
def alice_console(alice: StaffUser) -> Client:
    return session_client(alice)


@pytest.fixture
def carol_console(carol: StaffUser) -> Client:
    return session_client(carol)


def check_in(patient: Patient, when: datetime, **fields: Any) -> Any:
    key = str(uuid.uuid4())
    data = {"recorded_at": when, "pain_rest": 2, **fields}
    return check_in_submit(patient=patient, data=data, idempotency_key=key, fingerprint=key)


def raise_escalation(
    patient: Patient,
    *,
    code: str = "pain_severe",
    severity: str = "high",
    rationale: str = "peak pain 8 at or above the severe 7",
    at: datetime | None = None,
) -> Escalation:
    with transaction.atomic():
        return escalation_raise(
            patient=patient,
            code=code,
            evidence=EvidenceInput(
                severity=severity, rationale=rationale, values={"peak_pain": 8, "pain_severe": 7}
            ),
            now=at,
        ).escalation
