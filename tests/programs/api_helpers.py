"""Checks every write endpoint of the programs app shares: content type, body size, queries."""

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import assert_error

ONE_MEGABYTE = 1024 * 1024


def assert_refuses_wrong_content_type(client: Any, url: str, body: dict[str, Any]) -> None:
    response = client.post(url, data=json.dumps(body), content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def assert_refuses_a_1mb_body(client: Any, url: str, method: str = "post") -> None:
    body = json.dumps({"name": "x" * ONE_MEGABYTE})
    response = getattr(client, method)(url, data=body, content_type="application/json")
    assert_error(response, 413, "request_too_large")


def queries_of(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)
