"""The worker's backup tasks do nothing (and say why) until a backup password is set."""

from __future__ import annotations

import logging

import pytest

from egov.backup import tasks
from egov.backup.models import Drill, Snapshot


@pytest.mark.parametrize(
    "task",
    [
        tasks.take_nightly_snapshot,
        tasks.run_nightly_restore_drill,
        tasks.verify_repositories_weekly,
    ],
)
def test_unconfigured_backups_are_skipped_with_a_warning(
    db: None, settings, caplog: pytest.LogCaptureFixture, task
) -> None:
    settings.EGOV_BACKUP_PASSWORD = ""
    with caplog.at_level(logging.WARNING, logger="egov.backup.tasks"):
        assert task.call_local() == 0
    assert "EGOV_BACKUP_PASSWORD" in caplog.text
    assert not Snapshot.objects.exists()
    assert not Drill.objects.exists()
