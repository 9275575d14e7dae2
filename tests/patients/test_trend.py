"""GET /api/v1/patients/{id}/trend/: the daily series, escalations marked, ranges, audit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.models import AuditEvent
from tests.conftest import assert_error
from tests.patients.test_caseload import check_in, local, raise_escalation, today
from tests.programs.conftest import prescribe

pytestmark = pytest.mark.django_db


def url(patient, query=""):
    return f"/api/v1/patients/{patient.pk}/trend/{query}"


def test_daily_series_with_escalations_marked(alice_api, alice, pat):
    program = prescribe(
        pat,
        alice,
        "clamshell",
        dose={"days_per_week": 7},
        start_date=today() - timedelta(days=40),
    )
    item = program.items.get().pk
    check_in(pat, local(3, 8), pain_rest=2, pain_morning=3, exercises_completed=[item])
    check_in(
        pat,
        local(3, 19),
        pain_rest=1,
        ran=True,
        run_minutes=20,
        pain_during_run=4,
        pain_after_run=2,
    )
    check_in(
        pat, local(2), pain_rest=2, ran=True, run_minutes=15, pain_during_run=1, pain_after_run=1
    )
    escalation = raise_escalation(pat, "high", "pain_severe")
    first, last = today() - timedelta(days=4), today() - timedelta(days=1)

    response = alice_api.get(url(pat, f"?from={first}&to={last}"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["patient"], body["timezone"]) == (pat.pk, "Europe/Berlin")
    assert (body["from"], body["to"]) == (first.isoformat(), last.isoformat())
    days = {d["date"]: d for d in body["days"]}
    assert list(days) == [(first + timedelta(days=i)).isoformat() for i in range(4)]
    day3 = days[(today() - timedelta(days=3)).isoformat()]
    assert day3 == {
        "date": day3["date"],
        "peak_pain": 4,  # the run's pain, the highest of the day
        "morning_pain": 3,
        "run_minutes": 20,
        "adherence": round(1 / 7, 2),  # done once in the 7 days ending that day
    }
    day4 = days[first.isoformat()]
    assert (day4["peak_pain"], day4["morning_pain"], day4["run_minutes"]) == (None, None, None)
    assert day4["adherence"] == 0.0
    assert days[(today() - timedelta(days=2)).isoformat()]["run_minutes"] == 15
    assert body["escalations"] == []  # opened today, outside the range

    body = alice_api.get(url(pat)).json()
    assert len(body["days"]) == 28 and body["to"] == today().isoformat()
    assert body["days"][-1]["adherence"] is None  # today waits for today's check-in
    assert body["escalations"] == [
        {
            "id": escalation.pk,
            "code": "pain_severe",
            "severity": "high",
            "status": "open",
            "opened_at": body["escalations"][0]["opened_at"],
            "date": today().isoformat(),
        }
    ]


def test_no_program_gives_null_adherence(alice_api, pat):
    check_in(pat, timezone.now(), pain_rest=3)
    body = alice_api.get(url(pat, "?from=" + str(today()))).json()
    assert body["days"] == [
        {
            "date": today().isoformat(),
            "peak_pain": 3,
            "morning_pain": None,
            "run_minutes": None,
            "adherence": None,
        }
    ]


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("?from=2026-02-30", "from"),
        ("?to=yesterday", "to"),
        ("?from=2026-03-10&to=2026-03-01", "from"),
        ("?from=2025-01-01&to=2026-01-02", "to"),
    ],
)
def test_bad_ranges_get_400(alice_api, pat, query, attr):
    assert_error(alice_api.get(url(pat, query)), 400, attr=attr)


def test_a_full_year_is_allowed_and_costs_the_same_queries(
    alice_api, pat, django_assert_num_queries
):
    for days_ago in range(0, 12, 3):
        check_in(pat, timezone.now() - timedelta(days=days_ago))
    # token + user, knox's sweep, the clinic, the patient, the audit event, then check-ins,
    # program versions and escalations
    for days in (7, 366):
        first = today() - timedelta(days=days - 1)
        with django_assert_num_queries(8):
            response = alice_api.get(url(pat, f"?from={first}&to={today()}"))
        assert len(response.json()["days"]) == days


def test_reading_a_trend_is_audited(alice_api, alice, pat):
    alice_api.get(url(pat))
    event = AuditEvent.objects.get(object_type="patient_trend")
    assert (event.actor, event.patient_id, event.action) == (alice, pat.pk, "trend")
