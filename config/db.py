"""Database helpers the ORM lacks: a bulk INSERT that skips conflicts and says what it inserted."""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import models
from django.db.models.constants import OnConflict

M = TypeVar("M", bound=models.Model)


def insert_skipping_conflicts(
    model: type[M], objs: Sequence[M], *, returning: Sequence[str], batch_size: int = 1000
) -> list[tuple[Any, ...]]:
    """`INSERT ... ON CONFLICT DO NOTHING RETURNING <returning>`: one row per object inserted.

    `bulk_create(ignore_conflicts=True)` inserts the same way but cannot tell which rows it
    inserted; callers that must act only on their own new rows (send a reminder once) need
    that. Works on PostgreSQL and SQLite 3.35+. `returning` should name integer columns.
    """
    if not objs:
        return []
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not isinstance(f, models.AutoField)]
    returning_fields = [opts.get_field(name) for name in returning]
    manager = model._base_manager
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(objs), batch_size):
        batch = list(objs[start : start + batch_size])
        inserted = manager._insert(  # type: ignore[attr-defined]
            batch, fields=fields, returning_fields=returning_fields, on_conflict=OnConflict.IGNORE
        )
        # A one-row INSERT that hit a conflict returns None in place of a row.
        rows.extend(tuple(row) for row in inserted if row is not None)
    return rows
