"""Helpers for the monitoring tests: episodes, check-ins and responses at given instants."""

from datetime import UTC, datetime
from typing import Any

import pytest

from assessments.models import QuestionnaireResponse
from monitoring.services import episode_start
from patients.models import CheckIn


def at(text: str) -> datetime:
    """An aware instant from ISO text; a naive one is UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_episode(patient: Any, by: Any, setup: str) -> Any:
    return episode_start(patient=patient, by=by, consent_at=at(setup), setup_at=at(setup))


def check_in(patient: Any, recorded: str, received: str | None = None) -> CheckIn:
    return CheckIn.objects.create(
        clinic=patient.clinic,
        patient=patient,
        recorded_at=at(recorded),
        received_at=at(received or recorded),
        pain_rest=1,
        peak_pain=1,
        advice_level="ok",
        advice_message="Keep going. This is guidance, not a diagnosis.",
    )


def questionnaire(patient: Any, recorded: str, *, by: Any = None) -> QuestionnaireResponse:
    return QuestionnaireResponse.objects.create(
        clinic=patient.clinic,
        patient=patient,
        instrument="nprs",
        answers={"pain": 2},
        scores={"pain": 2},
        recorded_at=at(recorded),
        source="staff" if by else "patient",
        recorded_by=by,
    )


@pytest.fixture
def month_of(alice_api: Any) -> Any:
    """GET the patient's month as alice; returns the body."""

    def get(patient: Any, month: str) -> dict[str, Any]:
        response = alice_api.get(f"/api/v1/patients/{patient.pk}/monitoring/?month={month}")
        assert response.status_code == 200, response.content
        return response.json()

    return get
