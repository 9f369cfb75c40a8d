"""One set-based ``INSERT INTO … SELECT … ON CONFLICT DO NOTHING`` from a Django queryset.

Django has no ``INSERT … SELECT``; the scan needs one so that the rows it
derives (a time-limit finding per newly red case, an alert per recipient)
are written by the database in one statement, never by a Python loop per
case. The SELECT is the queryset's own compiled SQL, so its expressions
(``Concat``, ``Cast``, ``JSONObject``) are spelled right for SQLite and
PostgreSQL alike; conflicts on a unique column (a fingerprint) are skipped,
which makes the insert idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.db import connection, models
from django.utils import timezone


def column_of(model: type[models.Model], name: str) -> str:
    """The database column of ``model``'s field ``name``; refuses a relation without one."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} has no column of its own")
    return field.column


def insert_select(model: type[models.Model], columns: Sequence[str], query: models.QuerySet) -> int:
    """Insert the rows of ``query`` (a ``values_list`` in ``columns`` order); rows inserted.

    ``columns`` are field names of ``model``; ``query`` selects exactly one
    expression per column, in the same order. A row whose unique key already
    exists is skipped. Runs in the caller's transaction.
    """
    names = ", ".join(connection.ops.quote_name(column_of(model, name)) for name in columns)
    select_sql, params = query.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) {select_sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


# Fields whose Python values the database drivers take as they are (str, int, bool).
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


# What insert_rows takes: model instances, or plain objects with one attribute per
# field (its attname: ``organisation_id``), cheaper to build than an instance.
Row = models.Model | SimpleNamespace


def converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How one field's Python value becomes the driver's: as it is, memoised, or prepared.

    Dates and times repeat within a batch (the time of the batch, a case's
    receipt), so their prepared value is kept per distinct value.
    """
    if isinstance(field, PLAIN_FIELDS) or (
        isinstance(field, models.ForeignKey) and isinstance(field.target_field, PLAIN_FIELDS)
    ):
        return lambda value: value  # a key to an integer id is that integer (or None)

    def prepare(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    if isinstance(field, models.DateField):  # DateTimeField too
        return lru_cache(maxsize=4_096)(prepare)
    return prepare


def stamped(field: models.Field[Any, Any]) -> bool:
    """Is this an ``auto_now``/``auto_now_add`` date or time (set on every insert)?"""
    return isinstance(field, models.DateField) and bool(field.auto_now or field.auto_now_add)


def prepared_rows(fields: Sequence[models.Field[Any, Any]], objs: Sequence[Row]) -> list[list[Any]]:
    """Each row's values for ``fields`` as the driver takes them.

    ``auto_now``/``auto_now_add`` fields get one time for the whole call (set on
    each row too, as ``pre_save`` would), so it is prepared once.
    """
    converters = [converter(field) for field in fields]
    now, today = timezone.now(), dt.date.today()  # what DateTimeField/DateField stamp
    stamps = {
        field.attname: now if isinstance(field, models.DateTimeField) else today
        for field in fields
        if stamped(field)
    }
    rows = []
    for obj in objs:
        for name, value in stamps.items():
            setattr(obj, name, value)
        rows.append(
            [
                convert(getattr(obj, field.attname))
                for field, convert in zip(fields, converters, strict=True)
            ]
        )
    return rows


def insert_rows(
    model: type[models.Model], objs: Sequence[Row], *, ignore_conflicts: bool = False
) -> None:
    """INSERT new rows with one ``executemany`` (the auto primary key is not set).

    What ``bulk_create`` writes, at a fraction of its cost per value: plain
    text, number and boolean values go to the driver as they are, the others
    (times, UUIDs, JSON) through their field's ``get_db_prep_save``, and
    ``auto_now_add`` fields are stamped as Django would. ``ignore_conflicts``
    skips rows whose unique key already exists (``ON CONFLICT DO NOTHING``).
    A row is a model instance or an object with an attribute per field
    (``auto_now_add`` ones may be missing). Runs in the caller's transaction.
    """
    if not objs:
        return
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    execute_insert(model, objs, tail)


def upsert_rows(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    unique_field: str,
    update_fields: Sequence[str],
) -> None:
    """INSERT instances, or UPDATE ``update_fields`` of the row with the same ``unique_field``.

    ``bulk_create(update_conflicts=True)`` in one ``executemany`` (``ON
    CONFLICT (key) DO UPDATE SET column = excluded.column``, the same on SQLite
    and PostgreSQL), values prepared as :func:`insert_rows` does; ``auto_now``
    fields in ``update_fields`` get the time of this call. Runs in the caller's
    transaction.
    """
    if not objs:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(
        f"{quote(column_of(model, name))} = excluded.{quote(column_of(model, name))}"
        for name in update_fields
    )
    execute_insert(
        model, objs, f" ON CONFLICT ({quote(column_of(model, unique_field))}) DO UPDATE SET {sets}"
    )


def execute_insert(model: type[models.Model], objs: Sequence[Row], tail: str) -> None:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(meta.db_table)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}){tail}"  # noqa: S608  names are ours
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared_rows(fields, objs))


# psycopg caches the parse of a statement of at most 4,096 characters; a longer one is
# scanned again on every execution (it was most of a multi-row INSERT's cost on PostgreSQL).
CACHED_STATEMENT = 4_000


def rows_per_statement(fixed: str, row: str) -> int:
    """How many ``row`` value lists fit after ``fixed`` in one cached statement."""
    return max(1, (CACHED_STATEMENT - len(fixed)) // (len(row) + 2))


def insert_returning_ids(
    model: type[models.Model], objs: Sequence[Row], *, key: str
) -> dict[Any, int]:
    """INSERT new rows, a chunk a statement; their new ids by the value of unique field ``key``.

    ``INSERT … VALUES (…), (…) RETURNING id, key`` (SQLite and PostgreSQL):
    no second query to read the ids back. Runs in the caller's transaction.
    """
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(field.column)) for field in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = quote(meta.db_table)
    returning = f"{quote(str(meta.pk.column))}, {quote(column_of(model, key))}"
    ids: dict[Any, int] = {}
    rows = prepared_rows(fields, objs)
    fixed = f"INSERT INTO {table} ({names}) VALUES  RETURNING {returning}"  # noqa: S608  names are ours
    size = rows_per_statement(fixed, row_marks)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            marks = ", ".join([row_marks] * len(chunk))
            sql = f"INSERT INTO {table} ({names}) VALUES {marks} RETURNING {returning}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            ids |= {found: pk for pk, found in cursor.fetchall()}
    return ids
