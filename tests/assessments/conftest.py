"""Helpers for the assessment tests: a routine intake body, and stored rows built fast."""

from datetime import datetime
from typing import Any

import pytest

from assessments import services
from assessments.models import Assessment, QuestionnaireResponse
from clinic.models import StaffUser
from patients.models import Patient


def intake_body(patient_or_id: Patient | int, /, **overrides: Any) -> dict[str, Any]:
    """A complete intake that triages `routine`; override any field (`patient` too)."""
    body: dict[str, Any] = {
        "patient": patient_or_id if isinstance(patient_or_id, int) else patient_or_id.pk,
        "location": "anterior",
        "timing": "after_run_only",
        "aggravators": ["stairs"],
        "pain_rest": 1,
        "pain_worst_running": 5,
        "weekly_km_now": 30,
        "weekly_km_4_weeks_ago": 28,
        "recent_changes": [],
        "years_running": 3,
        "cadence_spm": 170,
        "overstriding": False,
        "shoe_km": 300,
        "asymmetry": False,
        "findings": [],
        "symptoms": [],
        "trauma_unable_to_bear_weight": False,
    }
    body.update(overrides)
    return body


def make_intake(patient: Patient, by: StaffUser, **overrides: Any) -> Assessment:
    data = intake_body(patient, **overrides)
    data.pop("patient")
    return services.assessment_create(patient=patient, by=by, data=data)


def make_response(
    patient: Patient,
    instrument: str,
    answers: dict[str, int],
    *,
    by: StaffUser | None = None,
    recorded_at: datetime | None = None,
) -> QuestionnaireResponse:
    data: dict[str, Any] = {"instrument": instrument, "answers": answers}
    if recorded_at is not None:
        data["recorded_at"] = recorded_at
    return services.questionnaire_record(patient=patient, data=data, by=by)


@pytest.fixture
def pat_b(carol: StaffUser) -> Patient:
    """A patient of clinic B (carol's)."""
    from tests.factories import PatientFactory

    return PatientFactory(therapist=carol, first_name="Bea", last_name="Elsewhere")
