"""Crafted cursors and extreme dates in the query string: a 400 naming the parameter, never a
500. Every cursor-paginated list is tried (the URL names below; a test keeps the list whole).
"""

import base64
import json
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.pagination import BasePagination

from tests.conftest import assert_error, patient_client, staff_client

pytestmark = pytest.mark.django_db


def drf_cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


def caseload_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


# url name -> (who asks, whether the url takes the patient's id)
CURSOR_LISTS = {
    "staff-list": ("ada", False),
    "audit-event-list": ("ada", False),
    "patient-list": ("alice", False),
    "assessment-list": ("alice", False),
    "patient-check-in-list": ("alice", True),
    "patient-questionnaires": ("alice", True),
    "escalation-list": ("alice", False),
    "caseload-list": ("alice", False),
    "exercise-list": ("alice", False),
    "program-template-list": ("alice", False),
    "program-list": ("alice", False),
    "run-ladder-list": ("alice", False),
    "app-check-ins": ("pat", False),
    "app-questionnaires": ("pat", False),
    "app-messages": ("pat", False),
    "patient-message-list": ("alice", True),
    "patient-monitoring-time": ("alice", True),
    "monitoring-statements": ("alice", False),
}
# Cursor lists served by an action of their own name rather than `list`.
ACTION_LISTS = {"monitoring-statements"}

# Ordered by a time: a position that is not one, or one outside what a time can be, is refused.
TIME_ORDERED = set(CURSOR_LISTS) - {
    "patient-list",
    "exercise-list",
    "program-template-list",
    "run-ladder-list",
    "caseload-list",
    "monitoring-statements",
}

# (cursor, the lists that must refuse it: "time" the lists ordered by a time, "caseload" the
# caseload (a cursor of its own), "all" every list; the others may read it as a position and
# answer 200, never a 500).
BAD_CURSORS = [
    pytest.param(drf_cursor("p=garbage&r=0&o=0"), "time", id="position-garbage"),
    pytest.param(drf_cursor("p=0001-01-01T00:00:00-23:59&r=0&o=0"), "none", id="year-1-offset"),
    pytest.param(drf_cursor("p=0001-01-01T00:00:00%2B23:59&r=1&o=0"), "time", id="before-year-1"),
    pytest.param(drf_cursor("p=9999-12-31T23:59:59-23:59&r=0&o=0"), "time", id="after-9999"),
    pytest.param(drf_cursor("p=2026-01-01T00:00:00&r=0&o=0"), "time", id="no-offset"),
    pytest.param(drf_cursor("p=a%00b&r=0&o=0"), "all-but-caseload", id="nul"),
    pytest.param(drf_cursor("r=2x"), "all-but-caseload", id="reverse-garbage"),
    pytest.param(drf_cursor("o=99999999999999999999"), "none", id="offset-huge"),
    pytest.param("not base64 at all!", "all", id="not-base64"),
    pytest.param("w6k=", "all", id="not-ascii"),
    pytest.param(caseload_cursor([0, 0, "0001-01-01T00:00:00-23:59", 1]), "none", id="c-year-1"),
    pytest.param(
        caseload_cursor([0, 0, "0001-01-01T00:00:00+23:59", 1]), "caseload", id="c-year-0"
    ),
    pytest.param(caseload_cursor([0, 0, "garbage", 1]), "caseload", id="c-garbage"),
    pytest.param(
        caseload_cursor([0, 10**20, "2026-01-01T00:00:00+00:00", 1]), "caseload", id="c-huge"
    ),
    pytest.param(
        caseload_cursor([0, 0, "2026-01-01T00:00:00+00:00", -1]), "caseload", id="c-negative"
    ),
    pytest.param(
        caseload_cursor([2, 0, "2026-01-01T00:00:00+00:00", 1]), "caseload", id="c-reverse-2"
    ),
    pytest.param(caseload_cursor({"a": 1}), "caseload", id="c-object"),
]


def _must_refuse(name: str, which: str) -> bool:
    if which == "all":
        return True
    if which == "caseload":
        return name == "caseload-list"
    if which == "all-but-caseload":
        return name != "caseload-list"
    return which == "time" and name in TIME_ORDERED


def _client(name: str, request: Any) -> Any:
    who, _ = CURSOR_LISTS[name]
    persona = request.getfixturevalue(who)
    return patient_client(persona) if who == "pat" else staff_client(persona)


def _url(name: str, request: Any) -> str:
    _, by_patient = CURSOR_LISTS[name]
    if by_patient:
        return reverse(name, kwargs={"patient_pk": request.getfixturevalue("pat").pk})
    return reverse(name)


@pytest.mark.parametrize("name", sorted(CURSOR_LISTS))
@pytest.mark.parametrize(("cursor", "refused_by"), BAD_CURSORS)
def test_a_crafted_cursor_is_a_400_naming_it(request, pat, ada, name, cursor, refused_by):
    response = _client(name, request).get(_url(name, request), {"cursor": cursor})
    if _must_refuse(name, refused_by) or response.status_code != 200:
        body = assert_error(response, 400, attr="cursor")
        assert body["errors"][0]["code"] == "invalid"


@pytest.mark.parametrize("name", sorted(CURSOR_LISTS))
def test_the_cursor_the_list_hands_out_still_works(request, pat, ada, name):
    client = _client(name, request)
    first = client.get(_url(name, request), {"page_size": 1})
    assert first.status_code == 200, first.content
    if first.json()["next"]:
        assert client.get(first.json()["next"]).status_code == 200


def _paginated_list_names() -> set[str]:
    names = set()

    def walk(patterns: list[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                actions = getattr(pattern.callback, "actions", None) or {}
                paginated = isinstance(
                    getattr(view, "pagination_class", None), type
                ) and issubclass(view.pagination_class, BasePagination)
                if paginated and (
                    actions.get("get") == "list" or (not actions and hasattr(view, "get"))
                ):
                    names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_paginated_list_is_tried_above():
    assert _paginated_list_names() | ACTION_LISTS == set(CURSOR_LISTS)


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ({"from": "0001-01-01"}, "from"),
        ({"from": "0001-01-07"}, "from"),
        ({"from": "9999-12-30"}, "from"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "from"),
        ({"to": "0001-01-01"}, "to"),
        ({"to": "9999-12-31"}, "to"),
    ],
)
def test_a_trend_day_out_of_range_is_a_400_naming_it(alice_api, pat, query, attr):
    response = alice_api.get(f"/api/v1/patients/{pat.pk}/trend/", query)
    body = assert_error(response, 400, attr=attr)
    assert body["type"] == "validation_error"


@pytest.mark.parametrize(
    "since",
    ["0001-01-01T00:00:00-23:59", "2026-01-01T00:00:00+23:00", "9999-12-31T23:59:59-10:00"],
)
def test_an_audit_since_out_of_range_is_a_400_naming_it(ada_api, since):
    assert_error(ada_api.get("/api/v1/audit-events/", {"since": since}), 400, attr="since")
