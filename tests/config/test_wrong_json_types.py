"""Every input field of every operation, sent each JSON type it does not take: a 400 in the one
error shape, with the one code of the type the field takes, the field named, and nothing stored.

The fields come from the OpenAPI schema (generated here with drf-spectacular), so a new
operation or field is walked without touching this file; an operation with a request body has a
valid body below (the walk starts from it and replaces one field at a time), and the valid body
itself is accepted at the end.
"""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import QuestionnaireResponse
from monitoring.services import episode_start
from patients.services import EvidenceInput, escalation_raise
from programs.models import Exercise, RunLadder
from programs.services import ladder_start
from tests.assessments.conftest import intake_body
from tests.conftest import assert_error, patient_client, staff_client

pytestmark = pytest.mark.django_db

# The code for each JSON type a field takes, whatever the serializer.
TYPE_CODES = {
    "string": "not_a_string",
    "integer": "not_an_integer",
    "number": "not_a_number",
    "boolean": "not_a_boolean",
    "object": "not_an_object",
    "array": "not_a_list",
}
# One value of each JSON type; a "number" for an integer field is a fraction.
WRONG = {
    "string": "7",
    "number": 7,
    "boolean": True,
    "object": {"a": 1},
    "array": ["a"],
    "null": None,
}


def wrong_values(accepted: str, nullable: bool) -> list[tuple[str, Any]]:
    values = []
    for kind, value in WRONG.items():
        if kind == accepted or (kind == "null" and nullable):
            continue
        if kind == "number" and accepted == "number":
            continue
        if kind == "number" and accepted == "integer":
            value = 2.5
        values.append((kind, value))
    return values


@pytest.fixture
def schema(api_schema) -> dict[str, Any]:
    return api_schema


def operations(schema: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        operation["operationId"]: (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def json_type(schema: dict[str, Any], node: dict[str, Any]) -> str:
    """The one JSON type a property takes (its own, or that of every alternative it lists)."""
    node = resolve(schema, node)
    if "type" in node:
        return str(node["type"])
    if "enum" in node:
        (kind,) = {type(value).__name__ for value in node["enum"] if value is not None}
        return {"str": "string", "int": "integer"}[kind]
    kinds = {
        json_type(schema, option)
        for key in ("oneOf", "anyOf", "allOf")
        for option in node.get(key, [])
        if resolve(schema, option).get("enum") != [None]
    }
    assert len(kinds) == 1, node
    return kinds.pop()


def published_codes(schema: dict[str, Any], operation: dict[str, Any], status: str) -> set[str]:
    """The codes the schema lists for this operation's response (every alternative of it)."""
    content = operation["responses"][status]["content"]["application/json"]["schema"]
    found: set[str] = set()
    pending = [content]
    while pending:
        node = resolve(schema, pending.pop())
        pending += node.get("oneOf", [])
        items = node.get("properties", {}).get("errors", {}).get("items")
        if items is not None:
            found |= set(resolve(schema, resolve(schema, items)["properties"]["code"])["enum"])
    return found


def input_fields(
    schema: dict[str, Any], node: dict[str, Any], body: dict[str, Any], prefix: tuple[Any, ...]
) -> list[tuple[tuple[Any, ...], str, bool]]:
    """(path in the body, JSON type, nullable) of every field a client may send, nested ones
    (objects in lists, list items, object values) included."""
    found = []
    for name, prop in resolve(schema, node).get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        path = (*prefix, name)
        kind = json_type(schema, prop)
        found.append((path, kind, bool(prop.get("nullable"))))
        target = resolve(schema, prop)
        if kind == "array" and "items" in target:
            items = resolve(schema, target["items"])
            if "properties" in items:
                first = body[name][0]
                found += input_fields(schema, items, first, (*path, 0))
            else:
                found.append(((*path, 0), json_type(schema, items), False))
        elif kind == "object" and isinstance(target.get("additionalProperties"), dict):
            values = target["additionalProperties"]
            if values and name in body:
                key = next(iter(body[name]))
                found.append(((*path, key), json_type(schema, values), False))
    return found


def replaced(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of `body` with the value at `path` replaced. A list on the way holds only the
    item the path goes through (its first, or a new one when the valid body's list is empty)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = body if isinstance(body, list) else []
        return [replaced(items[0] if items else {}, rest, value)]
    copy = dict(body)
    copy[head] = replaced(body.get(head), rest, value)
    return copy


# The audit trail records that a staff member opened a patient's record, whatever became of the
# request: it is the one table a refused request may add to.
NOT_THE_REQUESTS_DATA = {"clinic.AuditEvent"}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label not in NOT_THE_REQUESTS_DATA
    }


# -- the objects the operations act on, and a valid body for each -------------------------------


def _now() -> str:
    return timezone.now().isoformat()


def _today() -> str:
    return timezone.localdate().isoformat()


def _dose(exercise: int) -> dict[str, Any]:
    return {
        "exercise": exercise,
        "sets": 3,
        "reps": 10,
        "hold_seconds": 0,
        "load": "bodyweight",
        "days_per_week": 3,
    }


def _exercise() -> dict[str, Any]:
    return {
        "code": f"own-{uuid4().hex[:8]}",
        "name": "Wall sit",
        "region": "thigh",
        "kind": "strength",
        "focus": ["hip_strength"],
        "muscles": ["glutes"],
        "instructions": "Back to the wall, knees at 60 degrees.",
        "default_sets": 3,
        "default_reps": 10,
        "default_hold_seconds": 30,
        "default_load": "bodyweight",
        "default_days_per_week": 3,
        "is_active": True,
    }


def _patient(therapist: int) -> dict[str, Any]:
    return {
        "check_in_days": ["mon", "thu"],
        "check_in_time": "19:00",
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "first_name": "Robin",
        "last_name": "Runner",
        "date_of_birth": "1990-01-01",
        "timezone": "Europe/Berlin",
        "external_id": f"R-{uuid4().hex[:8]}",
        "email": "robin@example.test",
        "phone": "+49 30 123456",
        "therapist": therapist,
    }


class World:
    """The clinic's people and records, made once per operation."""

    def __init__(self, clinic_a: Any, alice: Any, ada: Any, pat: Any) -> None:
        self.alice, self.ada, self.pat = alice, ada, pat
        self.alice_api = staff_client(alice)
        self.ada_api = staff_client(ada)
        self.pat_api = patient_client(pat)
        self.anonymous = APIClient()
        self.shipped_exercise = Exercise.objects.filter(clinic__isnull=True).first()
        self.ladder = RunLadder.objects.filter(clinic__isnull=True).first()
        assert self.shipped_exercise is not None and self.ladder is not None

    def own_exercise(self) -> Exercise:
        response = self.alice_api.post("/api/v1/exercises/", _exercise(), format="json")
        assert response.status_code == 201, response.content
        return Exercise.objects.get(pk=response.json()["id"])

    def escalation(self) -> Any:
        with transaction.atomic():
            return escalation_raise(
                patient=self.pat,
                code="pain_severe",
                evidence=EvidenceInput(severity="high", rationale="peak pain 8", values={}),
            ).escalation

    def enrollment_code(self) -> str:
        url = f"/api/v1/patients/{self.pat.pk}/enrollment-code/"
        return str(self.alice_api.post(url).json()["code"])

    def on_ladder(self) -> None:
        ladder_start(patient=self.pat, by=self.alice, ladder=self.ladder, level=2)

    def in_monitoring(self) -> None:
        moment = timezone.now() - timedelta(days=40)
        episode_start(patient=self.pat, by=self.alice, consent_at=moment, setup_at=moment)


def setup(world: World, operation_id: str) -> tuple[APIClient, dict[str, Any], dict[str, Any]]:
    """The client, path parameters and a valid body of an operation."""
    w, pat = world, world.pat
    patient = {"patient_pk": pat.pk, "patient_id": pat.pk, "id": pat.pk}
    dose = _dose(w.shipped_exercise.pk)
    if operation_id == "app_check_ins_create":
        body = {
            "recorded_at": _now(),
            "pain_rest": 2,
            "pain_morning": 2,
            "ran": True,
            "run_minutes": 20,
            "run_km": 3.5,
            "pain_during_run": 2,
            "pain_after_run": 2,
            "pain_worsened_during_run": False,
            "symptoms": [],
            "exercises_completed": [],
            "note": "Easy run.",
        }
        return w.pat_api, {}, body
    if operation_id == "app_enroll":
        return w.anonymous, {}, {"code": w.enrollment_code(), "device_name": "Robin's phone"}
    if operation_id == "app_me_update":
        body = _patient(w.alice.pk)
        return w.pat_api, {}, {k: body[k] for k in ("check_in_days", "check_in_time", "timezone")}
    if operation_id in ("app_messages_create", "patients_messages_create"):
        client = w.pat_api if operation_id.startswith("app_") else w.alice_api
        return client, patient, {"text": "How far may I run this week?"}
    if operation_id == "app_questionnaires_create":
        return w.pat_api, {}, {"instrument": "lefs", "answers": {"1": 3}, "recorded_at": _now()}
    if operation_id == "questionnaires_create":
        body = {"instrument": "nprs", "answers": {"pain": 4}, "recorded_at": _now()}
        return w.alice_api, patient, body
    if operation_id == "assessments_create":
        return w.alice_api, {}, {**intake_body(pat), "assessed_at": _now()}
    if operation_id == "auth_login":
        return w.anonymous, {}, {"email": "alice@a.test", "password": "correct-horse-battery"}
    if operation_id == "clinic_update":
        body = {
            "name": "Clinic A",
            "timezone": "Europe/Berlin",
            "contact_line": "Call 030 123456.",
            "oncall_emails": ["oncall@a.test"],
            "reminder_email_enabled": False,
            "thresholds": {"pain_severe": 7},
            "webhook_url": "",
            "partner_webhook_url": "",
            "rotate_webhook_secret": False,
            "rotate_partner_webhook_secret": False,
        }
        return w.ada_api, {}, body
    if operation_id == "escalations_resolve":
        return w.alice_api, {"id": w.escalation().pk}, {"note": "Called; resting two days."}
    if operation_id == "exercises_create":
        return w.alice_api, {}, _exercise()
    if operation_id == "exercises_update":
        return w.alice_api, {"id": w.own_exercise().pk}, _exercise()
    if operation_id == "patients_create":
        return w.alice_api, {}, _patient(w.alice.pk)
    if operation_id == "patients_update":
        return w.alice_api, patient, _patient(w.alice.pk)
    if operation_id == "patient_ladder_start":
        return w.alice_api, patient, {"run_ladder": w.ladder.pk, "level": 1}
    if operation_id == "patient_ladder_set_level":
        w.on_ladder()
        body = {"level": 3, "run_ladder": w.ladder.pk, "note": "Ready for more."}
        return w.alice_api, patient, body
    if operation_id in ("patient_ladder_pause", "patient_ladder_resume"):
        w.on_ladder()
        if operation_id == "patient_ladder_resume":
            w.alice_api.post(f"/api/v1/patients/{pat.pk}/ladder/pause/", {"note": "Rest."})
        return w.alice_api, patient, {"note": "As agreed."}
    if operation_id == "patients_monitoring_episode_start":
        body = {"consent_at": _now(), "setup_at": _now(), "setup_by": w.alice.pk}
        return w.alice_api, patient, body
    if operation_id == "patients_monitoring_time_create":
        w.in_monitoring()
        body = {
            "date": _today(),
            "minutes": 10,
            "activity": "data_review",
            "interactive": False,
            "note": "Reviewed the week.",
            "reason": "",
        }
        return w.alice_api, patient, body
    if operation_id == "patients_monitoring_sign_off":
        w.in_monitoring()
        month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        return w.alice_api, patient, {"month": month}
    if operation_id == "program_templates_create":
        body = {
            "name": "Our PFP start",
            "description": "First weeks.",
            "guidance": "Keep pain under 4.",
            "pattern": "patellofemoral_pain",
            "focus": ["hip_strength"],
            "exercises": [dose],
        }
        return w.alice_api, {}, body
    if operation_id == "programs_create":
        body = {
            "patient": pat.pk,
            "template": None,
            "start_date": _today(),
            "patient_note": "Twice a day.",
            "exercises": [dose],
        }
        return w.alice_api, {}, body
    if operation_id == "run_ladders_create":
        body = {
            "name": "Gentle",
            "description": "Shorter steps.",
            "levels": [{"run_minutes": 2, "walk_minutes": 2, "repeats": 5}],
        }
        return w.alice_api, {}, body
    if operation_id == "staff_create":
        body = {
            "email": "new@a.test",
            "first_name": "Nora",
            "last_name": "New",
            "role": "therapist",
            "credential": "PT",
            "password": "a long and unusual passphrase",
        }
        return w.ada_api, {}, body
    if operation_id == "staff_update":
        body = {
            "first_name": "Alice",
            "last_name": "Able",
            "role": "therapist",
            "credential": "PT",
            "is_active": True,
        }
        return w.ada_api, {"id": w.alice.pk}, body
    raise AssertionError(f"no valid body for {operation_id}: add one here")


OPERATIONS_WITH_A_BODY = [
    "app_check_ins_create",
    "app_enroll",
    "app_me_update",
    "app_messages_create",
    "app_questionnaires_create",
    "assessments_create",
    "auth_login",
    "clinic_update",
    "escalations_resolve",
    "exercises_create",
    "exercises_update",
    "patients_create",
    "patient_ladder_start",
    "patient_ladder_pause",
    "patient_ladder_resume",
    "patient_ladder_set_level",
    "patients_messages_create",
    "patients_monitoring_episode_start",
    "patients_monitoring_sign_off",
    "patients_monitoring_time_create",
    "questionnaires_create",
    "patients_update",
    "program_templates_create",
    "programs_create",
    "run_ladders_create",
    "staff_create",
    "staff_update",
]


def test_every_operation_with_a_body_is_walked(schema):
    with_body = {op for op, (_, _, o) in operations(schema).items() if "requestBody" in o}
    assert with_body == set(OPERATIONS_WITH_A_BODY)


def send(client: APIClient, method: str, url: str, body: Any) -> Any:
    cache.clear()  # rate limits count refused requests too; each request here is judged alone
    headers = {"HTTP_IDEMPOTENCY_KEY": uuid4().hex}
    return getattr(client, method)(url, body, format="json", **headers)


@pytest.mark.parametrize("operation_id", OPERATIONS_WITH_A_BODY)
def test_a_field_given_another_json_type_is_refused_with_its_type_code(
    schema, clinic_a, alice, ada, pat, operation_id
):
    path, method, operation = operations(schema)[operation_id]
    world = World(clinic_a, alice, ada, pat)
    client, parameters, body = setup(world, operation_id)
    url = path.format(**parameters)
    content = operation["requestBody"]["content"]["application/json"]["schema"]
    fields = input_fields(schema, content, body, ())
    assert fields, operation_id

    published = published_codes(schema, operation, "400")
    before = row_counts()
    checked = 0
    for field, accepted, nullable in fields:
        attr = ".".join(map(str, field))
        for kind, value in wrong_values(accepted, nullable):
            response = send(client, method, url, replaced(body, field, value))
            error = assert_error(response, 400, attr=attr)
            codes = [(e["code"], e["attr"]) for e in error["errors"]]
            expected = "null" if kind == "null" else TYPE_CODES[accepted]
            assert codes == [(expected, attr)], (operation_id, attr, kind, error)
            assert expected in published, (operation_id, expected, sorted(published))
            checked += 1
    after = row_counts()
    assert after == before, {k: (before[k], n) for k, n in after.items() if before[k] != n}
    assert checked >= len(fields) * 4

    response = send(client, method, url, body)
    assert response.status_code < 300, (operation_id, response.content)


def test_a_body_that_is_not_an_object_is_refused_as_a_whole(alice_api):
    for value in ([], "x", 7):
        response = alice_api.post("/api/v1/patients/", value, format="json")
        assert_error(response, 400, "not_an_object")


def test_questionnaire_answers_are_checked_one_by_one(alice_api, pat):
    url = f"/api/v1/patients/{pat.pk}/questionnaires/"
    body = {"instrument": "nprs", "answers": {"pain": "4"}}
    assert_error(alice_api.post(url, body, format="json"), 400, "not_an_integer", "answers.pain")
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize(
    ("operation_id", "status", "code"),
    [
        ("patients_create", "400", "required"),
        ("patients_create", "400", "max_length"),
        ("patients_create", "400", "invalid_timezone"),
        ("patients_list", "400", "invalid"),
        ("escalations_acknowledge", "409", "invalid_transition"),
        ("staff_update", "409", "patients_assigned"),
        ("app_check_ins_create", "400", "invalid"),
        ("questionnaires_create", "400", "invalid_item"),
        ("app_enroll", "400", "invalid"),
        ("patients_trend", "400", "out_of_range"),
        ("patients_monitoring_time_create", "400", "required"),
    ],
)
def test_an_error_an_operation_answers_is_listed_in_its_schema(
    schema, clinic_a, alice, ada, pat, operation_id, status, code
):
    world = World(clinic_a, alice, ada, pat)
    if operation_id == "patients_create":
        body = {
            "required": {},
            "max_length": {**_patient(alice.pk), "first_name": "x" * 101},
            "invalid_timezone": {**_patient(alice.pk), "timezone": "Mars/Olympus"},
        }[code]
        response = world.alice_api.post("/api/v1/patients/", body, format="json")
    elif operation_id == "patients_list":
        response = world.alice_api.get("/api/v1/patients/?mine=yes")
    elif operation_id == "escalations_acknowledge":
        escalation = world.escalation()
        url = f"/api/v1/escalations/{escalation.pk}/"
        world.alice_api.post(url + "resolve/", {"note": "Done."}, format="json")
        response = world.alice_api.post(url + "acknowledge/")
    elif operation_id == "staff_update":
        body = {"is_active": False}
        response = world.ada_api.patch(f"/api/v1/staff/{alice.pk}/", body, format="json")
    elif operation_id == "app_check_ins_create":
        response = world.pat_api.post("/api/v1/app/check-ins/", {"pain_rest": 1}, format="json")
    elif operation_id == "patients_trend":
        response = world.alice_api.get(f"/api/v1/patients/{pat.pk}/trend/?from=9999-12-31")
    elif operation_id == "patients_monitoring_time_create":
        # A new entry without its minutes: the serializer's own check, not a field's flag.
        body = {"date": timezone.now().date().isoformat(), "activity": "call"}
        url = f"/api/v1/patients/{pat.pk}/monitoring/time/"
        response = world.alice_api.post(url, body, format="json")
    elif operation_id == "app_enroll":
        body = {"code": "AAAA-AAAA", "device_name": "phone"}
        response = world.anonymous.post("/api/v1/app/enroll/", body, format="json")
    else:
        url = f"/api/v1/patients/{pat.pk}/questionnaires/"
        body = {"instrument": "lefs", "answers": {"99": 3}}
        response = world.alice_api.post(url, body, format="json")
    assert_error(response, int(status), code)
    (_, _, operation) = operations(schema)[operation_id]
    assert code in published_codes(schema, operation, status)
