"""``egov backup restore`` fills an empty target, and refuses a non-empty one unless --force."""

from __future__ import annotations

import contextlib
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.backup.services import take_snapshot
from egov.core.models import AuditEntry, User
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic, sqlite_only

pytestmark = [
    needs_restic,
    sqlite_only,
    pytest.mark.usefixtures("emptied_audit_chain_afterwards"),
]


def usernames(database: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(database)) as restored:
        return {row[0] for row in restored.execute("SELECT username FROM core_user")}


@pytest.fixture
def snapshot(transactional_db: None, backup_place: BackupPlace, settings, time_machine) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    User.objects.create(username="zhang_in_snapshot")
    take_snapshot(actor="test")
    User.objects.create(username="li_after_snapshot")


@pytest.mark.usefixtures("snapshot")
def test_restore_into_an_empty_target(tmp_path: Path) -> None:
    target = tmp_path / "restored-var"
    out = StringIO()
    call_command("backup", "restore", "--target", str(target), stdout=out)
    assert "zhang_in_snapshot" in usernames(target / "egov.sqlite3")
    assert "li_after_snapshot" not in usernames(target / "egov.sqlite3")
    assert (target / "media" / "approvals" / "申请材料.pdf").read_bytes().startswith(b"%PDF")
    assert "2026-11-26 02:30:00 CST" in out.getvalue()
    assert AuditEntry.objects.filter(action="backup.restore").count() == 1


@pytest.mark.usefixtures("snapshot")
def test_non_empty_target_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "live-var"
    target.mkdir()
    (target / "egov.sqlite3").write_bytes(b"the live database")
    with pytest.raises(CommandError, match="not empty: pass --force") as refused:
        call_command("backup", "restore", "--target", str(target), stdout=StringIO())
    assert refused.value.returncode == 1
    assert [p.name for p in target.iterdir()] == ["egov.sqlite3"]
    assert (target / "egov.sqlite3").read_bytes() == b"the live database"
    assert not AuditEntry.objects.filter(action="backup.restore").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".egov-restore-")]


@pytest.mark.usefixtures("snapshot")
def test_force_overwrites_database_wal_and_media(tmp_path: Path) -> None:
    target = tmp_path / "live-var"
    (target / "media").mkdir(parents=True)
    (target / "egov.sqlite3").write_bytes(b"the damaged database")
    (target / "egov.sqlite3-wal").write_bytes(b"a stale write-ahead log")
    (target / "media" / "stray.txt").write_text("not in the snapshot")
    call_command("backup", "restore", "--target", str(target), "--force", stdout=StringIO())
    assert "zhang_in_snapshot" in usernames(target / "egov.sqlite3")
    assert not (target / "egov.sqlite3-wal").exists()
    assert sorted(p.name for p in (target / "media").rglob("*") if p.is_file()) == [
        "logo.png",
        "申请材料.pdf",
    ]
    assert "--force" in AuditEntry.objects.get(action="backup.restore").summary
