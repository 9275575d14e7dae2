"""The service's health check, the OpenAPI schema and the error pages outside DRF."""

import pytest
from django.core.management import call_command

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_broker(api):
    response = api.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "notifications": "ok",
    }


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    text = (tmp_path / "s.yml").read_text()
    assert "/api/v1/app/enroll/" in text
    assert "partner-app" in text


def test_schema_and_docs_are_served(api):
    assert api.get("/api/schema/").status_code == 200
    assert api.get("/api/docs/").status_code == 200


def test_unknown_path_is_404_in_the_error_shape(api):
    assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
