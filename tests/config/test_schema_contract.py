"""What a partner developer reads in /api/schema/: every operation named, summarised, with an
example body where it takes one, and the error statuses it can really answer."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_has_an_id_a_summary_and_a_tag(schema):
    ids = []
    for path, method, operation in operations(schema):
        assert operation.get("operationId"), (method, path)
        assert operation.get("summary"), (method, path)
        assert operation.get("tags"), (method, path)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    assert len(ids) >= 50


def test_every_body_comes_with_an_example(schema):
    for path, method, operation in operations(schema):
        body = operation.get("requestBody")
        if body is None:
            continue
        examples = [c for c in body["content"].values() if c.get("examples") or c.get("example")]
        assert examples, (method, path)


def test_partner_app_operations_say_what_they_do_and_which_token_they_take(schema):
    app = [(p, m, o) for p, m, o in operations(schema) if p.startswith("/api/v1/app/")]
    assert len(app) >= 8
    for path, method, operation in app:
        if method in ("post", "patch"):
            assert len(operation.get("description", "")) > 40, (method, path)
        expected = [{}] if path == "/api/v1/app/enroll/" else [{"patientToken": []}]
        assert operation["security"] == expected, (method, path)
        assert operation["tags"] == ["partner-app"], (method, path)


@pytest.mark.parametrize(
    ("operation_id", "statuses"),
    [
        ("app_check_ins_create", {"201", "400", "401", "409", "413", "422", "429"}),
        ("app_enroll", {"201", "400", "413", "429"}),
        ("auth_login", {"200", "400", "401", "413", "429"}),
        ("patients_discharge", {"200", "401", "404", "409"}),
        ("escalations_resolve", {"200", "400", "404", "409", "413"}),
        ("staff_update", {"200", "400", "403", "404", "409", "413"}),
        ("patients_fhir_export", {"200", "401", "404"}),
        ("patients_monitoring_episode_start", {"201", "400", "401", "404", "409", "413"}),
        ("patients_monitoring_time_create", {"201", "400", "401", "404", "409", "413"}),
        ("patients_monitoring_sign_off", {"201", "400", "401", "403", "404", "409", "413"}),
        ("patients_monitoring_month", {"200", "400", "401", "404"}),
        ("monitoring_statements", {"200", "400", "401"}),
    ],
)
def test_operations_document_the_statuses_they_answer(schema, operation_id, statuses):
    (operation,) = [o for _, _, o in operations(schema) if o["operationId"] == operation_id]
    assert statuses <= set(operation["responses"])


def test_429_says_when_to_retry_and_get_lists_are_not_throttled(schema):
    (create,) = [o for _, _, o in operations(schema) if o["operationId"] == "app_check_ins_create"]
    assert create["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    (listing,) = [o for _, _, o in operations(schema) if o["operationId"] == "app_check_ins_list"]
    assert "429" not in listing["responses"]
