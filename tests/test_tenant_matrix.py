"""The tenant matrix, for every endpoint of /api/v1/: anonymous, another clinic's staff, a
patient token on staff endpoints, a staff token on partner-app endpoints.

`ENDPOINTS` must name every URL of the API (a test checks it), so a new endpoint cannot
ship without its row here.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # may hold {patient}, {staff}
    body: Any = None
    audience: str = "staff"  # "staff", "app" or "public"
    lists: bool = False  # a list: other clinics get 200 and nothing of clinic A


ENDPOINTS = [
    Endpoint("api-index", "get", "/api/v1/", audience="public"),
    Endpoint("auth-login", "post", "/api/v1/auth/login/", audience="public"),
    Endpoint("auth-logout", "post", "/api/v1/auth/logout/"),
    Endpoint("clinic", "get", "/api/v1/clinic/"),
    Endpoint("staff-list", "get", "/api/v1/staff/", lists=True),
    Endpoint("staff-detail", "get", "/api/v1/staff/{staff}/"),
    Endpoint("staff-detail", "patch", "/api/v1/staff/{staff}/", {"first_name": "X"}),
    Endpoint("audit-event-list", "get", "/api/v1/audit-events/", lists=True),
    Endpoint("patient-list", "get", "/api/v1/patients/", lists=True),
    Endpoint("patient-detail", "get", "/api/v1/patients/{patient}/"),
    Endpoint("patient-detail", "patch", "/api/v1/patients/{patient}/", {"phone": "+1 555 0199"}),
    Endpoint("patient-enrollment-code", "post", "/api/v1/patients/{patient}/enrollment-code/"),
    Endpoint("patient-discharge", "post", "/api/v1/patients/{patient}/discharge/"),
    Endpoint("patient-pause", "post", "/api/v1/patients/{patient}/pause/"),
    Endpoint("patient-resume", "post", "/api/v1/patients/{patient}/resume/"),
    Endpoint("patient-questionnaires", "get", "/api/v1/patients/{patient}/questionnaires/"),
    Endpoint(
        "patient-questionnaires",
        "post",
        "/api/v1/patients/{patient}/questionnaires/",
        {"instrument": "nprs", "answers": {"pain": 3}},
    ),
    Endpoint("patient-check-in-list", "get", "/api/v1/patients/{patient}/check-ins/"),
    Endpoint("patient-message-list", "get", "/api/v1/patients/{patient}/messages/"),
    Endpoint(
        "patient-message-list", "post", "/api/v1/patients/{patient}/messages/", {"text": "Hi"}
    ),
    Endpoint("patient-message-read", "post", "/api/v1/patients/{patient}/messages/read/"),
    Endpoint("patient-trend", "get", "/api/v1/patients/{patient}/trend/"),
    Endpoint("caseload-list", "get", "/api/v1/caseload/", lists=True),
    Endpoint("patient-fhir", "get", "/api/v1/patients/{patient}/fhir/"),
    Endpoint("escalation-list", "get", "/api/v1/escalations/", lists=True),
    Endpoint("escalation-detail", "get", "/api/v1/escalations/{escalation}/"),
    Endpoint("escalation-acknowledge", "post", "/api/v1/escalations/{escalation}/acknowledge/"),
    Endpoint(
        "escalation-resolve", "post", "/api/v1/escalations/{escalation}/resolve/", {"note": "done"}
    ),
    Endpoint("assessment-list", "get", "/api/v1/assessments/", lists=True),
    Endpoint("assessment-detail", "get", "/api/v1/assessments/{assessment}/"),
    Endpoint("exercise-list", "get", "/api/v1/exercises/", lists=True),
    Endpoint(
        "exercise-list",
        "post",
        "/api/v1/exercises/",
        {"name": "X", "region": "hip", "kind": "strength", "instructions": "x"},
    ),
    Endpoint("exercise-detail", "get", "/api/v1/exercises/{exercise}/"),
    Endpoint("exercise-detail", "patch", "/api/v1/exercises/{exercise}/", {"name": "Y"}),
    Endpoint("program-template-list", "get", "/api/v1/program-templates/", lists=True),
    Endpoint("program-template-detail", "get", "/api/v1/program-templates/{template}/"),
    Endpoint("program-list", "get", "/api/v1/programs/", lists=True),
    Endpoint(
        "program-list",
        "post",
        "/api/v1/programs/",
        {"patient": "{patient}", "items": [{"exercise": "{exercise}"}]},
    ),
    Endpoint("program-detail", "get", "/api/v1/programs/{program}/"),
    Endpoint("run-ladder-list", "get", "/api/v1/run-ladders/", lists=True),
    Endpoint("run-ladder-detail", "get", "/api/v1/run-ladders/{run_ladder}/"),
    Endpoint("patient-ladder", "get", "/api/v1/patients/{patient}/ladder/"),
    Endpoint("patient-ladder", "post", "/api/v1/patients/{patient}/ladder/", {"level": 2}),
    Endpoint(
        "patient-ladder-set-level",
        "post",
        "/api/v1/patients/{patient}/ladder/set-level/",
        {"level": 3, "note": "Ran well in clinic."},
    ),
    Endpoint(
        "patient-ladder-pause", "post", "/api/v1/patients/{patient}/ladder/pause/", {"note": "x"}
    ),
    Endpoint("patient-ladder-resume", "post", "/api/v1/patients/{patient}/ladder/resume/"),
    Endpoint("patient-monitoring", "get", "/api/v1/patients/{patient}/monitoring/?month=2026-03"),
    Endpoint(
        "patient-monitoring-episodes",
        "post",
        "/api/v1/patients/{patient}/monitoring/episodes/",
        {"consent_at": "2026-03-02T09:00:00Z", "setup_at": "2026-03-02T09:10:00Z"},
    ),
    Endpoint("patient-monitoring-time", "get", "/api/v1/patients/{patient}/monitoring/time/"),
    Endpoint(
        "patient-monitoring-time",
        "post",
        "/api/v1/patients/{patient}/monitoring/time/",
        {"date": "2026-03-03", "minutes": 20, "activity": "call", "interactive": True},
    ),
    Endpoint(
        "patient-monitoring-sign-off",
        "post",
        "/api/v1/patients/{patient}/monitoring/sign-off/",
        {"month": "2026-03"},
    ),
    Endpoint("monitoring-statements", "get", "/api/v1/monitoring/statements/", lists=True),
    Endpoint(
        "monitoring-statements",
        "get",
        "/api/v1/monitoring/statements/?format=csv",
    ),
    Endpoint("app-enroll", "post", "/api/v1/app/enroll/", audience="public"),
    Endpoint("app-me", "get", "/api/v1/app/me/", audience="app"),
    Endpoint("app-me", "patch", "/api/v1/app/me/", {"check_in_time": "06:00"}, audience="app"),
    Endpoint("app-questionnaires", "get", "/api/v1/app/questionnaires/", audience="app"),
    Endpoint("app-check-ins", "get", "/api/v1/app/check-ins/", audience="app"),
    Endpoint("app-program", "get", "/api/v1/app/program/", audience="app"),
    Endpoint("app-symptoms", "get", "/api/v1/app/symptoms/", audience="app"),
    Endpoint("app-messages", "get", "/api/v1/app/messages/", audience="app"),
    Endpoint("app-messages", "post", "/api/v1/app/messages/", {"text": "Hi"}, audience="app"),
    Endpoint("app-check-ins", "post", "/api/v1/app/check-ins/", {"pain_rest": 1}, audience="app"),
    Endpoint(
        "app-questionnaires",
        "post",
        "/api/v1/app/questionnaires/",
        {"instrument": "lefs", "answers": {"1": 3}},
        audience="app",
    ),
]


def _api_url_names(patterns: list[Any], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            names |= _api_url_names(p.url_patterns, route)
        elif isinstance(p, URLPattern) and route.startswith("api/v1/") and p.name:
            names.add(p.name)
    return names


def test_every_api_endpoint_is_in_the_matrix():
    assert _api_url_names(get_resolver().url_patterns) == {e.name for e in ENDPOINTS}


@pytest.fixture(autouse=True)
def intake(pat: Any, alice: Any) -> Any:
    """Clinic A's patient has an intake, so detail URLs of intakes have a real target."""
    from django.db import transaction

    from assessments.services import assessment_create
    from patients.services import EvidenceInput, escalation_raise
    from tests.assessments.conftest import intake_body

    data = intake_body(pat)
    data.pop("patient")
    from monitoring.services import episode_start
    from tests.monitoring.conftest import at

    # A monitoring episode, so that time entries of clinic A's patient have a target.
    episode_start(
        patient=pat, by=alice, consent_at=at("2026-03-01T09:00"), setup_at=at("2026-03-01T09:00")
    )
    with transaction.atomic():
        escalation_raise(
            patient=pat,
            code="pain_severe",
            evidence=EvidenceInput(severity="high", rationale="peak 8"),
        )
    return assessment_create(patient=pat, by=alice, data=data)


def _ids(pat: Any, alice: Any) -> dict[str, int]:
    from assessments.models import Assessment
    from patients.models import Escalation
    from programs.models import Exercise, PatientProgram, ProgramTemplate, RunLadder

    def first(queryset: Any) -> int:
        row = queryset.first()
        return row.pk if row else 0

    return {
        "patient": pat.pk,
        "staff": alice.pk,
        "assessment": first(Assessment.objects.filter(patient=pat)),
        "escalation": first(Escalation.objects.filter(patient=pat)),
        "exercise": first(Exercise.objects.filter(clinic=alice.clinic)),
        "template": first(ProgramTemplate.objects.filter(clinic=alice.clinic)),
        "program": first(PatientProgram.objects.filter(patient=pat)),
        "run_ladder": first(RunLadder.objects.filter(clinic=alice.clinic)),
    }


def _call(client: Any, endpoint: Endpoint, pat: Any, alice: Any) -> Any:
    ids = _ids(pat, alice)
    path = endpoint.path.format(**ids)
    body = endpoint.body
    if isinstance(body, dict):
        import json

        body = json.loads(
            json.dumps(body)
            .replace('"{patient}"', str(ids["patient"]))
            .replace('"{exercise}"', str(ids["exercise"]))
        )
    return getattr(client, endpoint.method)(path, body, format="json")


def _snapshot(pat: Any, alice: Any) -> tuple[Any, ...]:
    pat.refresh_from_db()
    alice.refresh_from_db()
    return (
        pat.phone,
        pat.status,
        pat.check_in_time,
        alice.first_name,
        alice.is_active,
        pat.enrollment_codes.count(),
        pat.monitoring_episodes.count(),
        pat.time_entries.count(),
        pat.month_sign_offs.count(),
    )


PROTECTED = [e for e in ENDPOINTS if e.audience != "public"]
STAFF = [e for e in ENDPOINTS if e.audience == "staff"]
APP = [e for e in ENDPOINTS if e.audience == "app"]


@pytest.mark.parametrize("endpoint", PROTECTED, ids=lambda e: f"{e.method} {e.path}")
def test_anonymous_gets_401(api, endpoint, pat, alice):
    before = _snapshot(pat, alice)
    assert_error(_call(api, endpoint, pat, alice), 401)
    assert _snapshot(pat, alice) == before


@pytest.mark.parametrize("endpoint", STAFF, ids=lambda e: f"{e.method} {e.path}")
def test_patient_token_gets_401_on_staff_endpoints(pat_api, endpoint, pat, alice):
    before = _snapshot(pat, alice)
    assert_error(_call(pat_api, endpoint, pat, alice), 401)
    assert _snapshot(pat, alice) == before


@pytest.mark.parametrize("endpoint", APP, ids=lambda e: f"{e.method} {e.path}")
def test_staff_token_gets_401_on_app_endpoints(alice_api, endpoint, pat, alice):
    assert_error(_call(alice_api, endpoint, pat, alice), 401)


@pytest.mark.parametrize(
    "endpoint", [e for e in STAFF if "{" in e.path], ids=lambda e: f"{e.method} {e.path}"
)
def test_other_clinics_staff_get_404_and_change_nothing(carol_api, endpoint, pat, alice):
    before = _snapshot(pat, alice)
    body = assert_error(_call(carol_api, endpoint, pat, alice), 404)
    assert "Pat" not in str(body) and "alice" not in str(body)
    assert _snapshot(pat, alice) == before


@pytest.mark.parametrize(
    "endpoint", [e for e in STAFF if e.lists], ids=lambda e: f"{e.method} {e.path}"
)
def test_other_clinics_staff_list_nothing_of_clinic_a(carol_api, ada_api, endpoint, pat, alice):
    ada_api.get(f"/api/v1/patients/{pat.pk}/")  # leaves an audit event in clinic A
    response = _call(carol_api, endpoint, pat, alice)
    assert response.status_code == 200
    text = response.content.decode()
    assert "a.test" not in text and "Pending" not in text and "A's" not in text
    ids = [row.get("patient", row.get("id")) for row in response.json()["results"]]
    assert (pat.pk not in ids and alice.pk not in ids) or not ids


def test_a_patient_token_never_reaches_another_patient(pat, quinn, quinn_api):
    body = quinn_api.get("/api/v1/app/me/").json()
    assert body["id"] == quinn.pk
    quinn_api.patch("/api/v1/app/me/", {"check_in_time": "05:00"})
    pat.refresh_from_db()
    assert str(pat.check_in_time) == "19:00:00"
