"""``egov backup now``: one snapshot, same time, in both repositories, with its manifest."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from egov.backup import restic
from egov.backup.models import Snapshot
from egov.backup.services import BackupError, configured_repositories, take_snapshot
from egov.core.models import AuditEntry, User
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic

pytestmark = [needs_restic, pytest.mark.usefixtures("emptied_audit_chain_afterwards")]


def table_rows(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {name}")  # noqa: S608 - fixed table name
        return int(cursor.fetchone()[0])


def test_snapshot_lands_in_both_repositories_with_its_manifest(
    transactional_db: None, backup_place: BackupPlace, time_machine
) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    User.objects.create(username="zhang_before_snapshot")
    out = StringIO()
    call_command("backup", "now", stdout=out)

    rows = list(Snapshot.objects.order_by("repository"))
    locations = [str(backup_place.same_city), str(backup_place.remote)]
    assert [row.repository for row in rows] == locations
    expected_time = shanghai(2026, 11, 26, 2, 30)
    for repository, row in zip(configured_repositories(), rows, strict=True):
        listed = restic.snapshots(repository)
        assert [s.snapshot_id[:8] for s in listed] == [row.snapshot_id[:8]]
        assert listed[0].taken_at == expected_time == row.taken_at
    manifest = rows[0].manifest
    assert manifest == rows[1].manifest
    assert manifest["tables"]["core_user"]["rows"] == table_rows("core_user") >= 1
    assert set(manifest["files"]) == {"approvals/申请材料.pdf", "logo.png"}
    assert rows[0].files == 2
    assert rows[0].tables == len(manifest["tables"])
    audit = AuditEntry.objects.filter(action="backup.snapshot").values_list("object_id", flat=True)
    assert sorted(audit) == sorted(row.snapshot_id for row in rows)
    assert "snapshot" in out.getvalue()
    assert not list(backup_place.scratch.iterdir())  # the staging copy is gone


def test_retention_after_a_snapshot_forgets_what_the_policy_drops(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    settings.EGOV_BACKUP_KEEP_DAILY, settings.EGOV_BACKUP_KEEP_WEEKLY = 2, 0
    settings.EGOV_BACKUP_KEEP_MONTHLY = 0
    for day in (24, 25, 26):
        time_machine.move_to(shanghai(2026, 11, day, 2, 30))
        call_command("backup", "now", stdout=StringIO())
    listed = restic.snapshots(configured_repositories()[0])
    assert [s.taken_at.astimezone(dt.UTC).day for s in listed] == [24, 25]  # 02:30 CST = 18:30 UTC
    forgotten = Snapshot.objects.filter(forgotten_at__isnull=False)
    assert [row.taken_at for row in forgotten] == [shanghai(2026, 11, 24, 2, 30)]


def test_no_password_refuses_and_writes_nothing(
    transactional_db: None, backup_place: BackupPlace, settings
) -> None:
    settings.EGOV_BACKUP_PASSWORD = ""
    with pytest.raises(BackupError, match="EGOV_BACKUP_PASSWORD"):
        take_snapshot(actor="test")
    assert not Snapshot.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="backup.").exists()
    assert not backup_place.same_city.exists()
