"""A pytest plugin for `make mutation` only (`[tool.mutmut]` in pyproject.toml loads it).

mutmut 3.8 names each test by `item._nodeid`, which pytest 9 no longer sets: give every
collected test its node id under that name too."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "_nodeid" not in vars(item):
            item._nodeid = item.nodeid  # type: ignore[attr-defined]
