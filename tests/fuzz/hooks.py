"""Schemathesis hooks for `make fuzz` (scripts/fuzz.py loads this file).

Values a JSON schema cannot make hostile on its own: crafted cursors (a position that is not a
time, a time PostgreSQL refuses, an offset past any page) and days at the ends of the calendar.
Each operation that takes such a query parameter gets them mixed into its generated queries
(and, for a patient's trend, the seeded patient's id into its path), so the fuzzer keeps trying
them; the API must answer them with a 400 naming the parameter, never a
500 (tests/config/test_crafted_query_values.py pins each).
"""

import base64
import json
import os
from typing import Any

import schemathesis
from hypothesis import strategies as st


def _drf_cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


def _caseload_cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


CRAFTED_QUERY_VALUES: dict[str, list[str]] = {
    "cursor": [
        _drf_cursor("p=garbage&r=0&o=0"),
        _drf_cursor("p=0001-01-01T00:00:00-23:59&r=0&o=0"),
        _drf_cursor("p=0001-01-01T00:00:00+23:59&r=1&o=0"),
        _drf_cursor("p=9999-12-31T23:59:59-23:59&r=0&o=0"),
        _drf_cursor("o=99999999999999999999"),
        _caseload_cursor([0, 0, "0001-01-01T00:00:00-23:59", 1]),
        _caseload_cursor([0, 0, "0001-01-01T00:00:00+23:59", 1]),
        _caseload_cursor([0, 10**20, "2026-01-01T00:00:00+00:00", -1]),
        "not base64 at all!",
    ],
    "from": ["0001-01-01", "0001-01-07", "9999-12-30", "9999-12-31"],
    "to": ["0001-01-01", "9999-12-31"],
    "since": ["0001-01-01T00:00:00-23:59", "9999-12-31T23:59:59-10:00"],
}
# Values that only bite together (a short range at an end of the calendar).
CRAFTED_QUERY_PAIRS: list[dict[str, str]] = [
    {"from": "0001-01-01", "to": "0001-01-07"},
    {"from": "9999-12-30", "to": "9999-12-31"},
]


def _query_names(context: Any) -> set[str]:
    operation = getattr(context, "operation", None)
    if operation is None:
        return set()
    return {parameter.name for parameter in operation.query} & set(CRAFTED_QUERY_VALUES)


@schemathesis.hook
def flatmap_query(context: Any, query: Any) -> Any:
    """Each generated query as it is, or with one of the crafted values in its place."""
    names = sorted(_query_names(context))
    if not names or not isinstance(query, dict):
        return st.just(query)
    crafted = [{**query, name: value} for name in names for value in CRAFTED_QUERY_VALUES[name]]
    crafted += [{**query, **pair} for pair in CRAFTED_QUERY_PAIRS if set(pair) <= set(names)]
    return st.one_of(st.just(query), st.sampled_from(crafted))


@schemathesis.hook
def flatmap_path_parameters(context: Any, path_parameters: Any) -> Any:
    """A patient's operation that takes crafted query values (the trend) also gets the seeded
    patient's id (`STRIDE_FUZZ_PATIENT_ID`), so the values reach the code past the 404."""
    patient = os.environ.get("STRIDE_FUZZ_PATIENT_ID", "")
    operation = getattr(context, "operation", None)
    if (
        not patient.isdigit()
        or operation is None
        or not operation.path.startswith("/api/v1/patients/{id}/")
        or not _query_names(context)
        or not isinstance(path_parameters, dict)
        or "id" not in path_parameters
    ):
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.just({**path_parameters, "id": int(patient)}))
