"""Concurrent appends from separate processes do not fork the audit chain.

Four worker processes, each with the production settings and its own database
connection, append at the same moment; ``egov audit verify`` must then find one
unbroken chain 1..n. On SQLite the database is a WAL file with IMMEDIATE
transactions, as deployed (the test suite's in-memory database cannot show
writers waiting for each other); on PostgreSQL it is the test database.
"""

import importlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from egov.core.models import AuditEntry

trigger_migration = importlib.import_module("egov.core.migrations.0003_audit_append_only_trigger")

WORKERS = 4
APPENDS_PER_WORKER = 15

APPENDER = """
import sys, time, pathlib, django
django.setup()
from django.db import transaction
from egov.core.services.audit import record_audit
worker, base = sys.argv[1], pathlib.Path(sys.argv[2])
(base / f"ready-{worker}").touch()
while not (base / "go").exists():
    time.sleep(0.01)
for n in range(int(sys.argv[3])):
    with transaction.atomic():
        record_audit(actor=f"worker{worker}", action="test.appended", object_id=str(n))
"""

CREATE_TABLE = """
import django
django.setup()
from django.db import connection
from egov.core.models import AuditCheckpoint, AuditEntry
from importlib import import_module
with connection.schema_editor() as editor:
    editor.create_model(AuditEntry)
    editor.create_model(AuditCheckpoint)
import_module("egov.core.migrations.0003_audit_append_only_trigger").install_guard(connection)
"""


@pytest.fixture
def database_url(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A database the worker processes can share; emptied afterwards as a DBA would."""
    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'egov.sqlite3'}"
        run_python(CREATE_TABLE, url, tmp_path)
        yield url
        return
    yield f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    trigger_migration.remove_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    trigger_migration.install_guard(connection)


def worker_env(url: str, var_dir: Path) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "EGOV_DATABASE_URL": url,
        "EGOV_VAR_DIR": str(var_dir),
        "EGOV_SECRET_KEY": "test-only-key-for-worker-processes",
        "EGOV_LOG_LEVEL": "WARNING",
    }


def run_python(code: str, url: str, var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  our own interpreter and code
        [sys.executable, "-c", code, *args],
        env=worker_env(url, var_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def start_workers(url: str, base: Path) -> list[subprocess.Popen]:
    workers = [
        subprocess.Popen(  # noqa: S603  our own interpreter and code
            [sys.executable, "-c", APPENDER, str(n), str(base), str(APPENDS_PER_WORKER)],
            env=worker_env(url, base),
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    deadline = time.monotonic() + 60
    while len(list(base.glob("ready-*"))) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.02)
    (base / "go").touch()
    return workers


def test_concurrent_appends_make_one_unbroken_chain(database_url: str, tmp_path: Path) -> None:
    workers = start_workers(database_url, tmp_path)
    failures = [w.stderr.read() for w in workers if w.wait(timeout=120) != 0]
    assert failures == []
    verified = subprocess.run(
        [sys.executable, "-m", "egov", "audit", "verify"],
        env=worker_env(database_url, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    total = WORKERS * APPENDS_PER_WORKER
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"intact: {total} entries" in verified.stdout
    if connection.vendor == "postgresql":
        assert AuditEntry.objects.count() == total
