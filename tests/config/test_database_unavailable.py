"""The database unreachable: a live server (gunicorn) pointed at a closed port answers every
request 503 in the one error shape with `Retry-After`, sign-in included, never a 500."""

import http.client
import json

import pytest
from django.conf import settings

from tests.processes import Server, free_port


@pytest.fixture
def server_without_database():
    server = Server(
        settings.CELERY_BROKER_URL,
        env={"DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/stride_nowhere"},
    ).start()
    yield server
    server.stop()


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    return response, raw


def assert_unavailable(response, raw):
    assert response.status == 503, raw
    assert int(response.getheader("Retry-After")) > 0
    body = json.loads(raw)
    assert body["type"] == "server_error"
    assert [e["code"] for e in body["errors"]] == ["service_unavailable"]


@pytest.mark.django_db
def test_every_request_answers_503_with_retry_after_while_the_database_is_unreachable(
    server_without_database,
):
    server = server_without_database
    # Sign-in (axes and the user lookup reach the database inside the API view).
    assert_unavailable(
        *request(
            server,
            "POST",
            "/api/v1/auth/login/",
            {"email": "alice@a.test", "password": "not-the-password"},
        )
    )
    # A staff token is looked up in the database, as is a patient token.
    assert_unavailable(
        *request(
            server, "GET", "/api/v1/patients/", headers={"Authorization": "Bearer " + "a" * 64}
        )
    )
    assert_unavailable(
        *request(
            server,
            "POST",
            "/api/v1/app/check-ins/",
            {"pain_rest": 2, "symptoms": []},
            {"Authorization": "Bearer stp_abcdefghijklmnop", "Idempotency-Key": "k1"},
        )
    )
    # Outside the API views: the admin reads its session from the database.
    assert_unavailable(
        *request(server, "GET", "/admin/", headers={"Cookie": "sessionid=" + "a" * 32})
    )
    assert "Traceback" not in server.output()


@pytest.mark.django_db
def test_the_schema_documents_the_503_and_its_retry_after(api_schema):
    schema = api_schema
    for path, method in [("/api/v1/auth/login/", "post"), ("/api/v1/app/check-ins/", "post")]:
        answer = schema["paths"][path][method]["responses"]["503"]
        assert answer["headers"]["Retry-After"]["required"] is True
        ref = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert set(schema["components"]["schemas"][ref]["properties"]) == {"type", "errors"}
    health = schema["paths"]["/health/"]["get"]["responses"]["503"]
    assert "Retry-After" not in health.get("headers", {})
