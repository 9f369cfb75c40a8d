"""Fixtures of the backup tests: two scratch repositories, a media root, a password."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from egov.backup import restic

needs_restic = pytest.mark.skipif(
    not restic.available(),
    reason="restic is not installed (scripts/setup --test installs it: apt-get install restic)",
)
# Tests that open the restored SQLite file themselves; on PostgreSQL a restore
# fills a database instead, tested by test_backup_postgresql.
sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("EGOV_TEST_POSTGRES")),
    reason="reads the restored SQLite file (PostgreSQL: test_backup_postgresql)",
)


@dataclass(frozen=True)
class BackupPlace:
    """Where a test's backups go: a same-city and a remote repository, media, scratch."""

    same_city: Path
    remote: Path
    media: Path
    scratch: Path


@pytest.fixture
def backup_place(settings: Any, tmp_path: Path) -> BackupPlace:
    """Backups configured into the test's own directory, media holding two small files."""
    place = BackupPlace(
        same_city=tmp_path / "repo-harbin",
        remote=tmp_path / "repo-remote",
        media=tmp_path / "var" / "media",
        scratch=tmp_path / "var" / "backup",
    )
    (place.media / "approvals").mkdir(parents=True)
    (place.media / "approvals" / "申请材料.pdf").write_bytes(b"%PDF-1.4 test attachment\n")
    (place.media / "logo.png").write_bytes(bytes(range(256)))
    settings.EGOV_BACKUP_PASSWORD = "test-backup-password"
    settings.EGOV_BACKUP_REPOSITORIES = [str(place.same_city), str(place.remote)]
    settings.EGOV_BACKUP_SCRATCH_DIR = place.scratch
    settings.MEDIA_ROOT = place.media
    return place
