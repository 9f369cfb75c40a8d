"""On PostgreSQL: pg_dump of an exported snapshot, drill into a scratch database, restore.

Runs only when the suite runs on PostgreSQL (``EGOV_TEST_POSTGRES``).
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from egov.backup import database
from egov.backup.models import Drill
from egov.backup.services import (
    BackupError,
    configured_repositories,
    restore_snapshot,
    run_drill,
    take_snapshot,
)
from egov.core.models import User
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic

pytestmark = [
    needs_restic,
    pytest.mark.skipif(
        not os.environ.get("EGOV_TEST_POSTGRES"), reason="PostgreSQL only (EGOV_TEST_POSTGRES)"
    ),
    pytest.mark.usefixtures("emptied_audit_chain_afterwards"),
]
DRILL_DATABASE = "test_egov_backup_drill"
RESTORE_DATABASE = "test_egov_backup_restore"


@pytest.fixture
def postgres_snapshot(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    settings.EGOV_BACKUP_DRILL_DATABASE = DRILL_DATABASE
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    User.objects.create(username="zhang_in_snapshot")
    take_snapshot(actor="test")


@pytest.mark.usefixtures("postgres_snapshot")
def test_drill_restores_into_a_scratch_database_and_serves_it(time_machine) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 3, 30))
    drill = run_drill(actor="test", repository=configured_repositories()[0])
    assert drill.problems == []
    assert drill.succeeded
    assert drill.tables_checked > 10
    assert drill.rto_seconds > 0
    assert Drill.objects.get().snapshot_taken_at == shanghai(2026, 11, 26, 2, 30)
    with psycopg.connect(
        **{k: v for k, v in connection.get_connection_params().items() if k != "context"},
    ) as check:
        names = [row[0] for row in check.execute("SELECT datname FROM pg_database")]
    assert DRILL_DATABASE not in names  # dropped after the drill


@pytest.mark.usefixtures("postgres_snapshot")
def test_restore_refuses_a_database_with_tables_and_fills_an_empty_one(tmp_path: Path) -> None:
    repository = configured_repositories()[0]
    with pytest.raises(BackupError, match="not empty"):
        restore_snapshot(actor="test", repository=repository, target=tmp_path / "media-target")
    database.recreate_pg_database(connection.settings_dict, RESTORE_DATABASE)
    try:
        restore_snapshot(
            actor="test",
            repository=repository,
            target=tmp_path / "media-target",
            database_name=RESTORE_DATABASE,
        )
        restored = database.pg_database_summaries(connection.settings_dict, RESTORE_DATABASE)
        assert restored["core_user"].rows == User.objects.count()
    finally:
        database.drop_pg_database(connection.settings_dict, RESTORE_DATABASE)
