"""Every clinical threshold has a lower and an upper bound: PATCHes outside them are a 400
naming the threshold with nothing stored, values stored outside them are clamped when read,
and at either bound a red flag still gets its urgent advice and its escalation."""

import uuid
from dataclasses import fields
from pathlib import Path

import pytest
from django.utils import timezone

from clinic.models import Clinic
from clinical.thresholds import BOUNDS, DEFAULTS, ClinicalThresholds, stored_overrides
from patients.models import Escalation
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

CHECK_INS = "/api/v1/app/check-ins/"
CLINIC = "/api/v1/clinic/"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "clinical-rules.md"


def red_flag(client):
    return client.post(
        CHECK_INS,
        {
            "recorded_at": timezone.now().isoformat(),
            "pain_rest": 3,
            "symptoms": ["cannot_bear_weight"],
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def assert_urgent(response):
    assert response.status_code == 201, response.content
    assert response.json()["advice"]["level"] == "seek_urgent_care"
    escalation = Escalation.objects.get(code="red_flag_emergency")
    assert (escalation.status, escalation.severity) == ("open", "critical")


def test_every_threshold_has_bounds_around_its_default():
    assert set(BOUNDS) == {f.name for f in fields(ClinicalThresholds)}
    for bound in BOUNDS.values():
        assert bound.lower <= getattr(DEFAULTS, bound.name) <= bound.upper, bound
        assert bound.lower < bound.upper, bound
        assert bound.unit and bound.governs, bound


def test_the_docs_table_lists_every_threshold_with_its_bounds():
    rows = {
        cells[0].strip("` "): [c.strip() for c in cells[1:4]]
        for line in DOCS.read_text().splitlines()
        if line.startswith("| `")
        for cells in [line.strip("|").split("|")]
    }
    for bound in BOUNDS.values():
        assert rows.get(bound.name) == [
            str(bound.default),
            str(bound.lower),
            str(bound.upper),
        ], bound.name


@pytest.mark.parametrize("end", ["lower", "upper"])
def test_a_red_flag_gets_urgent_advice_with_every_threshold_at_a_bound(
    ada_api, pat_api, clinic_a, end
):
    values = {name: getattr(bound, end) for name, bound in BOUNDS.items()}
    response = ada_api.patch(CLINIC, {"thresholds": values}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["thresholds"] == {
        name: getattr(bound, end) for name, bound in BOUNDS.items()
    }
    assert_urgent(red_flag(pat_api))


def _outside(name: str) -> list[float]:
    bound = BOUNDS[name]
    step = 1 if bound.whole else 0.01
    return [bound.lower - step, bound.upper + step]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("baseline_window_days", 1_000_000_000),
        ("ack_critical_minutes", 10**30),
        ("run_spike_factor", 1e308),
        *[(name, value) for name in sorted(BOUNDS) for value in _outside(name)],
    ],
)
def test_a_threshold_outside_its_bounds_is_a_400_naming_it(ada_api, clinic_a, name, value):
    clinic_a.thresholds = {"pain_severe": 6}
    clinic_a.save(update_fields=["thresholds"])
    body = {"thresholds": {"pain_mcid": 3, name: value}, "name": "Renamed"}
    response = ada_api.patch(CLINIC, body, format="json")
    errors = assert_error(response, 400, attr=f"thresholds.{name}")["errors"]
    assert name in errors[0]["detail"]
    assert "outside" in errors[0]["detail"]
    clinic_a.refresh_from_db()
    assert clinic_a.thresholds == {"pain_severe": 6}
    assert clinic_a.name == "Clinic A"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"settle_min_hours": 12, "settle_max_hours": 12}, None),
        ({"disengaged_days": 14, "disengaged_high_days": 7}, "disengaged_days"),
        ({"pain_safe_max": 3, "pain_acceptable_max": 3}, None),
        ({"ack_high_minutes": 1440, "ack_moderate_minutes": 720}, "ack_high_minutes"),
        ({"ack_critical_minutes": 60, "ack_high_minutes": 30}, "ack_critical_minutes"),
    ],
)
def test_thresholds_that_must_keep_their_order(ada_api, clinic_a, values, named):
    response = ada_api.patch(CLINIC, {"thresholds": values}, format="json")
    if named is None:
        assert response.status_code == 200, response.content
    else:
        assert_error(response, 400, attr=f"thresholds.{named}")
        clinic_a.refresh_from_db()
        assert clinic_a.thresholds == {}


def test_values_stored_out_of_bounds_are_clamped_and_a_red_flag_still_answers(
    ada_api, pat_api, clinic_a
):
    """As the review found it: a window of a billion days made every check-in a 500."""
    Clinic.objects.filter(pk=clinic_a.pk).update(
        thresholds={
            "baseline_window_days": 1_000_000_000,
            "settle_max_hours": 10**12,
            "run_spike_window_days": -5,
            "ack_critical_minutes": 10**15,
            "pain_severe": "7",
            "retired_name": 3,
        }
    )
    assert_urgent(red_flag(pat_api))
    effective = ada_api.get(CLINIC).json()["thresholds"]
    assert effective["baseline_window_days"] == BOUNDS["baseline_window_days"].upper
    assert effective["settle_max_hours"] == BOUNDS["settle_max_hours"].upper
    assert effective["run_spike_window_days"] == BOUNDS["run_spike_window_days"].lower
    assert effective["ack_critical_minutes"] == BOUNDS["ack_critical_minutes"].upper
    assert effective["pain_severe"] == DEFAULTS.pain_severe


def test_stored_overrides_never_raise():
    assert stored_overrides(None) == {}
    assert stored_overrides([1]) == {}
    assert stored_overrides(
        {"run_spike_factor": float("nan"), "load_spike_factor": float("inf"), "pain_mcid": True}
    ) == {"load_spike_factor": BOUNDS["load_spike_factor"].upper}
    assert stored_overrides({"pain_severe": 7.9}) == {"pain_severe": 7}
