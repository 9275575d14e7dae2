"""What a partner developer reads in /api/schema/: every operation named, summarised, with an
example body where it takes one, and the error statuses it can really answer."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_schema):
    return api_schema


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


def test_escalation_evidence_documents_when_recorded_when_received_and_late(schema):
    components = schema["components"]["schemas"]
    evidence = components["Evidence"]["properties"]
    assert {"recorded_at", "received_at", "late", "rationale"} <= set(evidence)
    assert evidence["late"]["type"] == "boolean"
    assert "1 hour" in evidence["late"]["description"]
    assert "received" in evidence["received_at"]["description"]
    assert "device" in evidence["recorded_at"]["description"]
    assert "before it arrived" in evidence["rationale"]["description"]
    escalation = components["Escalation"]["properties"]
    assert "upgraded_at" in escalation
    assert "acknowledged" in escalation["upgraded_at"]["description"]
    assert "upgraded_at" in escalation["acknowledge_by"]["description"]


def test_the_symptom_list_for_offline_advice_has_typed_enums(schema):
    (operation,) = [
        o for _, _, o in operations(schema) if o["operationId"] == "app_symptoms_retrieve"
    ]
    content = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert content == {"$ref": "#/components/schemas/AppSymptoms"}
    components = schema["components"]["schemas"]
    symptom = components["SymptomAdvice"]["properties"]
    refs = {name: symptom[name]["allOf"][0]["$ref"].rsplit("/", 1)[1] for name in symptom}
    assert refs == {
        "symptom": "SymptomsEnum",
        "group": "SymptomGroupEnum",
        "advice_level": "AdviceLevelEnum",
    }
    assert components["SymptomGroupEnum"]["enum"] == ["emergency", "mechanical", "load"]
    assert components["AdviceLevelEnum"]["enum"] == [
        "continue",
        "reduce",
        "stop_and_contact",
        "seek_urgent_care",
    ]
    assert len(components["SymptomsEnum"]["enum"]) == 11
    level = components["AdviceText"]["properties"]["level"]
    assert level == {"$ref": "#/components/schemas/AdviceLevelEnum"}


def walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def test_every_nullable_schema_says_its_type(schema):
    # OpenAPI 3.0.3: `nullable` without `type` beside it means nothing (Redocly: an error).
    untyped = [path for path, node in walk(schema) if node.get("nullable") and "type" not in node]
    assert untyped == []
    components = schema["components"]["schemas"]
    assert components["AppProgram"]["properties"]["program"]["type"] == "object"
    assert components["CaseloadEntry"]["properties"]["highest_severity"]["type"] == "string"


def test_the_document_names_its_server_and_licence(schema, settings):
    assert schema["servers"] == [
        {"url": settings.STRIDE_PUBLIC_URL.rstrip("/"), "description": "This Stride installation."}
    ]
    assert schema["info"]["license"]["name"]


def test_page_links_are_always_there_and_their_examples_are_urls(schema):
    pages = {n: c for n, c in schema["components"]["schemas"].items() if n.startswith("Paginated")}
    assert len(pages) >= 10
    for name, page in pages.items():
        assert set(page["required"]) == {"next", "previous", "results"}, name
        for link in ("next", "previous"):
            example = page["properties"][link]["example"]
            assert example.startswith("https://") and '"' not in example, (name, example)


def test_request_fields_with_a_default_are_optional_and_carry_no_default(schema):
    components = schema["components"]["schemas"]
    check_in = components["CheckInInputRequest"]
    assert set(check_in["required"]) == {"recorded_at", "pain_rest"}
    for field in ("ran", "pain_worsened_during_run", "note"):
        assert "default" not in check_in["properties"][field], field
        assert "Optional; default" in check_in["properties"][field]["description"], field
    assert components["EnrollRequest"]["required"] == ["code"]
    assert "default" not in components["EnrollRequest"]["properties"]["device_name"]
    for name, component in components.items():
        if name.endswith("Request"):
            for field, prop in component.get("properties", {}).items():
                assert "default" not in prop or field in component.get("required", []), (
                    name,
                    field,
                )


def test_a_check_in_as_returned_is_read_only_and_typed(schema):
    check_in = schema["components"]["schemas"]["CheckIn"]
    for field, prop in check_in["properties"].items():
        assert prop.get("readOnly") is True, field
    assert check_in["properties"]["symptoms"]["items"] == {
        "$ref": "#/components/schemas/SymptomsEnum"
    }
    assert check_in["properties"]["exercises_completed"]["items"] == {"type": "integer"}


def test_rule_and_reason_codes_are_enums(schema):
    components = schema["components"]["schemas"]
    assert components["Advice"]["properties"]["rules"]["items"] == {
        "$ref": "#/components/schemas/CheckInRuleEnum"
    }
    assert "red_flag_emergency" in components["CheckInRuleEnum"]["enum"]
    code = components["AppReason"]["properties"]["code"]
    assert code["allOf"] == [{"$ref": "#/components/schemas/RunPlanReasonEnum"}]
    assert {"ladder_paused", "ladder_run_days_limit", "discharged"} <= set(
        components["RunPlanReasonEnum"]["enum"]
    )


def test_every_id_in_a_path_is_an_integer(schema):
    """`/patients/{patient_pk}/check-ins/` takes the same integer as
    `/patients/{patient_pk}/ladder/`: a generated client types a patient's id one way."""
    ids = {
        (path, parameter["name"]): parameter["schema"]
        for path, _method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path" and parameter["name"] in ("id", "patient_pk")
    }
    assert ("/api/v1/patients/{patient_pk}/check-ins/", "patient_pk") in ids
    assert ("/api/v1/patients/{patient_pk}/messages/", "patient_pk") in ids
    assert {key: s for key, s in ids.items() if s != {"type": "integer"}} == {}
