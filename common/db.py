"""Database helpers the ORM lacks: a bulk INSERT that skips conflicts and says what it inserted,
a bulk INSERT without models, an UPDATE of many rows with their own values, the INSERT and the
UPDATE of one row written once per process, and a hand-written SELECT converted as the ORM
converts its columns."""

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models import signals
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


def insert_rows(model: type[M], rows: Sequence[dict[str, Any]], *, fields: Sequence[str]) -> None:
    """INSERT `rows` (each a value per name in `fields`) in one statement, without models.

    On PostgreSQL the rows go as one array per column (`INSERT ... SELECT FROM unnest`): for
    the 50 audit events of a caseload page, `bulk_create` spent about 8 ms of Python building
    models and compiling 450 placeholders. Elsewhere (SQLite) it is `bulk_create`.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._base_manager.bulk_create(model(**row) for row in rows)
        return
    columns = _columns(model, tuple(fields))
    params = [
        [f.get_db_prep_save(row[name], connection) for row in rows]
        for name, f in zip(fields, columns, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_rows_sql(model, connection.alias, tuple(fields)), params)


def insert_row(model: type[M], values: dict[str, Any]) -> None:
    """INSERT one row (a value per field name) without a model, the statement written once
    per process for each set of field names. For a row written on every request, where
    building a model and compiling its INSERT cost more than the statement. A model with
    `pre_save` or `post_save` receivers is saved through the ORM instead, so they are sent."""
    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        model._base_manager.create(**values)
        return
    connection = connections[router.db_for_write(model)]
    names, params = _row_params(model, values, connection)
    with connection.cursor() as cursor:
        cursor.execute(_insert_row_sql(model, connection.alias, names), params)


def _row_params(
    model: type[models.Model], values: dict[str, Any], connection: Any
) -> tuple[tuple[str, ...], list[Any]]:
    """The field names of one row's `values`, and the values as the database takes them."""
    names = tuple(values)
    columns = _columns(model, names)
    pairs = zip(columns, values.values(), strict=True)
    params = [f.get_db_prep_save(value, connection) for f, value in pairs]
    return names, params


@functools.cache
def _columns(model: type[models.Model], names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(_concrete(model._meta.get_field(name)) for name in names)


@functools.cache
def _insert_rows_sql(model: type[models.Model], alias: str, names: tuple[str, ...]) -> str:
    connection = connections[alias]
    columns = _columns(model, names)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    # Table and column names come from the model; every value is a parameter.
    return f"INSERT INTO {table} ({quoted}) SELECT * FROM unnest({arrays})"  # noqa: S608


@functools.cache
def _insert_row_sql(model: type[models.Model], alias: str, names: tuple[str, ...]) -> str:
    connection = connections[alias]
    columns = _columns(model, names)
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join("%s" for _ in columns)
    # Table and column names come from the model; every value is a parameter.
    return f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608


def _concrete(field: Any) -> "models.Field[Any, Any]":
    if not isinstance(field, models.Field) or not field.concrete:
        raise TypeError(f"{field!r} is not a concrete column")
    return field


def update_rows(model: type[M], rows: dict[Any, dict[str, Any]], *, fields: Sequence[str]) -> int:
    """Give each row (by primary key) its own values of `fields`, in one statement on PostgreSQL.

    `bulk_update` builds a CASE per field with a branch per row, which Django takes about a
    millisecond per row to compile; on PostgreSQL this joins the rows to `unnest` arrays
    instead. Elsewhere (SQLite) rows with the same values are updated together.
    """
    if not rows:
        return 0
    if connections[router.db_for_write(model)].vendor == "postgresql":
        return update_rows_unnest(model, rows, fields=fields)
    return update_rows_grouped(model, rows, fields=fields)


def update_rows_unnest(
    model: type[M], rows: dict[Any, dict[str, Any]], *, fields: Sequence[str]
) -> int:
    """PostgreSQL: `UPDATE t SET ... FROM unnest(ids, values...) AS v WHERE t.pk = v.pk`."""
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    columns = [_concrete(opts.get_field(name)) for name in fields]
    connection = connections[router.db_for_write(model)]
    arrays = [list(rows)] + [[values[f.name] for values in rows.values()] for f in columns]
    types = [pk.db_type(connection)] + [f.db_type(connection) for f in columns]
    names = ["pk"] + [f"v{i}" for i in range(len(columns))]
    unnest = ", ".join(f"%s::{t}[]" for t in types)
    assignments = ", ".join(
        f'"{f.column}" = v."{name}"' for f, name in zip(columns, names[1:], strict=True)
    )
    # Table and column names come from the model; every value is a parameter.
    sql = (
        f'UPDATE "{opts.db_table}" SET {assignments} '  # noqa: S608
        f"FROM unnest({unnest}) AS v({', '.join(names)}) "
        f'WHERE "{opts.db_table}"."{pk.column}" = v.pk'
    )
    params = [
        [f.get_db_prep_save(value, connection) for value in values] if i else values
        for i, (f, values) in enumerate(zip([pk, *columns], arrays, strict=True))
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def update_rows_grouped(
    model: type[M], rows: dict[Any, dict[str, Any]], *, fields: Sequence[str]
) -> int:
    """Any database: one UPDATE per distinct set of values."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for key, values in rows.items():
        groups.setdefault(tuple(values[name] for name in fields), []).append(key)
    updated = 0
    for values_key, keys in groups.items():
        updated += model._base_manager.filter(pk__in=keys).update(
            **dict(zip(fields, values_key, strict=True))
        )
    return updated


@functools.cache
def _update_row_sql(model: type[models.Model], alias: str, names: tuple[str, ...]) -> str:
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    quote = connections[alias].ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in _columns(model, names))
    # Table and column names come from the model; every value is a parameter.
    return f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608


def update_row(model: type[M], pk: Any, values: dict[str, Any]) -> int:
    """`model.objects.filter(pk=pk).update(**values)` for plain values (no expressions), with
    the statement written once per process for each set of field names: returns the number of
    rows updated (0 or 1).

    The ORM builds and compiles the UPDATE on every call; for the caseload summary's nine
    columns, rewritten on every check-in, that took longer than the statement itself. Sends
    no signals, as `update()` sends none."""
    connection = connections[router.db_for_write(model)]
    names, params = _row_params(model, values, connection)
    params.append(model._meta.pk.get_db_prep_value(pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(_update_row_sql(model, connection.alias, names), params)
        return int(cursor.rowcount)


@functools.cache
def _converters(
    alias: str, fields: tuple["models.Field[Any, Any] | None", ...]
) -> tuple[tuple[int, tuple[Any, ...], Any], ...]:
    connection = connections[alias]
    found = []
    for index, field in enumerate(fields):
        if field is None:
            continue
        column = field.cached_col
        own: Any = field  # `get_db_converters`, which the type stubs leave out
        functions = (*connection.ops.get_db_converters(column), *own.get_db_converters(connection))
        if functions:
            found.append((index, tuple(functions), column))
    return tuple(found)


def select_rows(
    sql: str,
    params: Sequence[Any],
    fields: Sequence["models.Field[Any, Any] | None"],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> list[list[Any]]:
    """Run a hand-written SELECT; each column that stands for a model field (`fields`, one
    per column, None for a column taken as the driver gives it) is converted as the ORM
    converts it (a JSON column decoded, an SQLite date or datetime parsed and made aware...).

    For the few statements of the check-in path that never change and cost more to build and
    compile with the ORM, on every request, than to run: their SQL is written once per
    process. Values must be adapted by the caller (`connection.ops.adapt_*`) where the
    database needs it."""
    connection = connections[using]
    converters = _converters(using, tuple(fields))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for index, functions, column in converters:
            value = row[index]
            for function in functions:
                value = function(value, column, connection)
            row[index] = value
    return rows
