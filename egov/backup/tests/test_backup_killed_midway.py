"""A backup killed midway leaves the earlier snapshots intact and records nothing."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from egov.backup import restic
from egov.backup.models import Snapshot
from egov.backup.services import (
    BackupError,
    configured_repositories,
    restore_snapshot,
    take_snapshot,
)
from egov.core.models import AuditEntry
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic, sqlite_only

pytestmark = [
    needs_restic,
    sqlite_only,
    pytest.mark.usefixtures("emptied_audit_chain_afterwards"),
]

BIG = 48 * 1024 * 1024  # random, so incompressible: several 16 MiB packs before the snapshot


def packs(repository: Path) -> set[Path]:
    return {path for path in (repository / "data").rglob("*") if path.is_file()}


def restic_children() -> list[int]:
    """Our own restic child processes (from /proc: parent is this process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        if name == "restic" and int(fields.split()[1]) == os.getpid():
            found.append(int(entry.name))
    return found


def kill_restic_after_new_pack(repository: Path, before: set[Path], killed: list[int]) -> None:
    """Wait (bounded) until restic has written a new pack, then SIGKILL it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if packs(repository) - before:
            for pid in restic_children():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            return
        time.sleep(0.005)


def test_killed_backup_leaves_earlier_snapshot_restorable(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine, tmp_path: Path
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    repository = configured_repositories()[0]
    time_machine.move_to(shanghai(2026, 11, 25, 2, 30))
    first = take_snapshot(actor="test").recorded[0]
    before = packs(backup_place.same_city)

    (backup_place.media / "big-scan.bin").write_bytes(os.urandom(BIG))
    killed: list[int] = []
    killer = threading.Thread(
        target=kill_restic_after_new_pack, args=(backup_place.same_city, before, killed)
    )
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    killer.start()
    with pytest.raises(BackupError, match="no repository took the snapshot"):
        take_snapshot(actor="test")
    killer.join(timeout=70)

    assert killed, "restic finished before it could be killed: make BIG larger"
    assert packs(backup_place.same_city) - before, "the killed backup had written data"
    assert [s.snapshot_id[:8] for s in restic.snapshots(repository)] == [first.snapshot_id[:8]]
    assert list(Snapshot.objects.values_list("snapshot_id", flat=True)) == [first.snapshot_id]
    assert AuditEntry.objects.filter(action="backup.snapshot").count() == 1
    restic.check(repository, read_data=True)  # stale lock removed, repository sound

    (backup_place.media / "big-scan.bin").unlink()
    restore_snapshot(actor="test", repository=repository, target=tmp_path / "restored")
    assert sorted(p.name for p in (tmp_path / "restored" / "media").rglob("*") if p.is_file()) == [
        "logo.png",
        "申请材料.pdf",
    ]
