"""The database's part of a snapshot (数据库备份): a consistent copy, its manifest, restore.

SQLite: the online backup API copies the live database page by page into a
file, consistent as of one moment while the platform keeps writing; the
manifest is computed from that copy. PostgreSQL: a ``REPEATABLE READ``
transaction exports its snapshot, the manifest is computed in it and
``pg_dump --snapshot`` dumps exactly that state, so manifest and dump agree.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from egov.backup.manifest import TableSummary, table_summary

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "egov.sqlite3", POSTGRESQL: "egov.pgdump"}
PG_TIMEOUT = 6 * 3600
FETCH = 2000


class DatabaseBackupError(RuntimeError):
    """A dump or restore failed."""


def engine_of(settings_dict: Mapping[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        return SQLITE
    if "postgresql" in engine:
        return POSTGRESQL
    raise DatabaseBackupError(f"no backup method for the database engine {engine}")


def summaries(cursor: Any, names: list[str]) -> dict[str, TableSummary]:
    """Row count and checksum of each table through a DB-API cursor."""
    found = {}
    for name in names:
        cursor.execute(f'SELECT * FROM "{name}"')  # noqa: S608 - names from the catalogue
        found[name] = table_summary(fetch_all(cursor))
    return found


def fetch_all(cursor: Any) -> Iterator[Any]:
    while rows := cursor.fetchmany(FETCH):
        yield from rows


def sqlite_table_names(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def sqlite_file_summaries(path: Path) -> dict[str, TableSummary]:
    """Tables of a SQLite database file, opened read-only."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        cursor = connection.cursor()
        return summaries(cursor, sqlite_table_names(cursor))


def copy_sqlite(live: sqlite3.Connection, target: Path) -> dict[str, TableSummary]:
    """Copy the live database with SQLite's backup API; the copy's table summaries."""
    with contextlib.closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
    return sqlite_file_summaries(target)


def pg_environment(settings_dict: Mapping[str, Any], name: str | None = None) -> dict[str, str]:
    """libpq's variables for the configured server (the password never on a command line)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": name or settings_dict.get("NAME"),
    }
    return env | {key: str(value) for key, value in values.items() if value}


def pg_connect(settings_dict: Mapping[str, Any], name: str | None = None) -> psycopg.Connection:
    env = pg_environment(settings_dict, name)
    return psycopg.connect(
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        dbname=env.get("PGDATABASE"),
        connect_timeout=20,
    )


def pg_table_names(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [row[0] for row in cursor.fetchall()]


def run_pg_tool(argv: list[str], env: dict[str, str]) -> None:
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program, argument list, no shell
            argv, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise DatabaseBackupError(f"{argv[0]} did not finish in time: killed") from exc
    if completed.returncode != 0:
        raise DatabaseBackupError(f"{argv[0]} failed: {completed.stderr.strip()[-500:]}")


def dump_postgresql(settings_dict: Mapping[str, Any], target: Path) -> dict[str, TableSummary]:
    """``pg_dump`` of the exported snapshot the table summaries were computed in."""
    with pg_connect(settings_dict) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError("pg_export_snapshot() returned no row")
            exported = row[0]
            found = summaries(cursor, pg_table_names(cursor))
            run_pg_tool(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={exported}",
                    f"--file={target}",
                ],
                pg_environment(settings_dict),
            )
        connection.rollback()
    return found


def pg_database_summaries(settings_dict: Mapping[str, Any], name: str) -> dict[str, TableSummary]:
    with pg_connect(settings_dict, name) as connection, connection.cursor() as cursor:
        return summaries(cursor, pg_table_names(cursor))


def pg_has_tables(settings_dict: Mapping[str, Any], name: str) -> bool:
    with pg_connect(settings_dict, name) as connection, connection.cursor() as cursor:
        return bool(pg_table_names(cursor))


def restore_postgresql(
    settings_dict: Mapping[str, Any], name: str, dump: Path, *, clean: bool
) -> None:
    """``pg_restore`` into database ``name`` (dropping what the dump holds when ``clean``)."""
    argv = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={name}"]
    if clean:
        argv += ["--clean", "--if-exists"]
    run_pg_tool([*argv, str(dump)], pg_environment(settings_dict, name))


def recreate_pg_database(settings_dict: Mapping[str, Any], name: str) -> None:
    """Drop and create the scratch database ``name`` (drills only)."""
    with pg_connect(settings_dict, "postgres") as connection:
        connection.autocommit = True
        identifier = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))


def drop_pg_database(settings_dict: Mapping[str, Any], name: str) -> None:
    with pg_connect(settings_dict, "postgres") as connection:
        connection.autocommit = True
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
