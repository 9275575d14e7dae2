"""Fixtures of the patients app's tests."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture
def back_to_latest():
    """For a migration test: whatever happens in the test, leave the database at the latest
    migration."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def walk_pages(client: Any, url: str) -> list[dict[str, Any]]:
    """Every page of a cursor-paged list from `url` on, following `next`."""
    pages: list[dict[str, Any]] = []
    while url:
        pages.append(client.get(url).json())
        url = pages[-1]["next"]
    return pages
