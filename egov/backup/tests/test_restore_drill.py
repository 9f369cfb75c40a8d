"""``egov backup drill``: the newest snapshot restored, checked against its manifest, served."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from egov.backup.models import Drill, Snapshot
from egov.backup.services import configured_repositories, run_drill, take_snapshot
from egov.core.models import AuditEntry
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic

pytestmark = [needs_restic, pytest.mark.usefixtures("emptied_audit_chain_afterwards")]


def test_drill_restores_checks_and_serves_the_newest_snapshot(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    time_machine.move_to(shanghai(2026, 11, 25, 2, 30))
    take_snapshot(actor="test")
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    newest = take_snapshot(actor="test").recorded[0]
    time_machine.move_to(shanghai(2026, 11, 26, 5, 30))

    out = StringIO()
    call_command("backup", "drill", stdout=out)

    drill = Drill.objects.get()
    assert drill.problems == []
    assert drill.succeeded
    assert drill.snapshot_id == newest.snapshot_id[:8]
    assert drill.snapshot_taken_at == shanghai(2026, 11, 26, 2, 30)
    # RPO: the newest restorable point's age when the drill started (3 h, give or take the
    # seconds the test itself takes, since the travelled clock ticks on).
    assert (
        dt.timedelta(hours=3)
        <= dt.timedelta(seconds=drill.rpo_seconds)
        < dt.timedelta(hours=3, minutes=5)
    )
    assert 0 < drill.rto_seconds < settings.EGOV_BACKUP_DRILL_SERVE_SECONDS
    assert drill.tables_checked == len(newest.manifest["tables"])
    assert drill.files_checked == 2
    newest.refresh_from_db()
    assert newest.verification_ok is True
    assert Snapshot.objects.filter(verification_ok=True).count() == 1
    assert "drill succeeded" in out.getvalue()
    assert AuditEntry.objects.get(action="backup.drill").summary == "succeeded"
    assert not list(backup_place.scratch.iterdir())  # the scratch instance is gone


def test_drill_fails_when_restored_data_differs_from_the_recorded_manifest(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    snapshot = take_snapshot(actor="test").recorded[0]
    recorded = snapshot.manifest
    recorded["files"]["logo.png"] = "0" * 64  # what the live system held, per the database
    Snapshot.objects.filter(pk=snapshot.pk).update(manifest=recorded)

    drill = run_drill(actor="test", repository=configured_repositories()[0])

    assert not drill.succeeded
    assert drill.problems[0] == (
        "the manifest in the snapshot differs from the one recorded when taken"
    )
    snapshot.refresh_from_db()
    assert snapshot.verification_ok is None
    assert AuditEntry.objects.get(action="backup.drill").summary.startswith("FAILED")


def test_drill_without_any_snapshot_is_a_recorded_failure(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    time_machine.move_to(shanghai(2026, 11, 26, 3, 30))
    with pytest.raises(CommandError, match="drill failed"):
        call_command("backup", "drill", stdout=StringIO())
    drill = Drill.objects.get()
    assert not drill.succeeded
    assert drill.rpo_seconds is None
    assert drill.problems
