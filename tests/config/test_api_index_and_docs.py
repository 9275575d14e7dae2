"""The API's front door: `/api/v1/` is a JSON index, every unknown path under `/api/` a JSON
404 (DEBUG on or off), and the docs pages load nothing from another host."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_the_api_root_is_a_json_index(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["staff"]["caseload"] == "http://testserver/api/v1/caseload/"
    assert body["partner_app"]["check_ins"] == "http://testserver/api/v1/app/check-ins/"


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing/", "/api/v2/", "/api/docs/nope", "/api/v1/caseload"]
)
def test_every_404_under_api_is_json_in_the_error_shape(api, settings, debug, path):
    settings.DEBUG = debug
    body = assert_error(api.get(path), 404, "not_found")
    assert body["type"] == "client_error"


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_404_under_api_is_json_for_every_method(method):
    """Found by schemathesis: a POST to an id the router does not read (`0.5`) met Django's
    CSRF check and got its HTML 403."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/escalations/0.5/acknowledge/")
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_their_assets_from_this_server(api, path):
    response = api.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert all(s.startswith("/") for s in sources), sources
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
