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

from collections.abc import Sequence

from django.db import connection, models


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
