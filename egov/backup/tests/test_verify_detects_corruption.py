"""A snapshot corrupted on disk is detected by ``egov backup verify`` (restic check --read-data)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.backup.models import Snapshot
from egov.backup.services import configured_repositories, take_snapshot, verify_repository
from egov.core.models import AuditEntry
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic

pytestmark = [needs_restic, pytest.mark.usefixtures("emptied_audit_chain_afterwards")]


def flip_a_byte_in_the_largest_pack(repository: Path) -> Path:
    pack = max(
        (repository / "data").rglob("*"), key=lambda p: p.stat().st_size if p.is_file() else 0
    )
    pack.chmod(0o600)
    data = bytearray(pack.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pack.write_bytes(bytes(data))
    return pack


def test_sound_repository_verifies_and_marks_its_snapshots(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    take_snapshot(actor="test")
    time_machine.move_to(shanghai(2026, 11, 26, 4, 0))
    assert verify_repository(actor="test", repository=configured_repositories()[0]) == ""
    row = Snapshot.objects.get()
    assert row.verification_ok is True
    assert row.verified_at == shanghai(2026, 11, 26, 4, 0)


def test_corrupted_pack_fails_verification(
    transactional_db: None, backup_place: BackupPlace, time_machine
) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    take_snapshot(actor="test")
    flip_a_byte_in_the_largest_pack(backup_place.remote)

    out = StringIO()
    with pytest.raises(CommandError, match="verification failed") as failed:
        call_command("backup", "verify", stdout=out)
    assert failed.value.returncode == 1
    assert f"{backup_place.same_city}: sound" in out.getvalue()
    assert f"{backup_place.remote}: BROKEN" in out.getvalue()
    verdicts = dict(Snapshot.objects.values_list("repository", "verification_ok"))
    assert verdicts == {str(backup_place.same_city): True, str(backup_place.remote): False}
    entry = AuditEntry.objects.filter(action="backup.verify", object_id=str(backup_place.remote))
    assert "restic check failed" in entry.get().summary
