"""The demo's backups: the loader queues one snapshot and drill for the worker; once."""

from __future__ import annotations

from typing import Any

import pytest

from egov.backup.demo import (
    DEMO_BACKUP_PASSWORD,
    load_demo_backup,
    take_demo_backup,
)
from egov.backup.models import Drill, Snapshot
from egov.core import demo as core_demo
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic


def test_the_demo_gets_a_demo_only_backup_password_and_the_loader() -> None:
    assert core_demo._app_loaders["backup.snapshot_and_drill"] is load_demo_backup
    setting = core_demo._demo_settings["EGOV_BACKUP_PASSWORD"]
    assert setting.value == DEMO_BACKUP_PASSWORD
    environ = {"EGOV_BACKUP_PASSWORD": "the operator's own"}
    assert setting not in core_demo.apply_demo_settings(environ)
    assert environ["EGOV_BACKUP_PASSWORD"] == "the operator's own"


@needs_restic
@pytest.mark.django_db
def test_the_loader_queues_the_demo_backup_once_the_data_is_committed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load_demo_backup()
    assert callbacks == [take_demo_backup]


@needs_restic
@pytest.mark.usefixtures("emptied_audit_chain_afterwards")
def test_the_demo_backup_takes_a_snapshot_and_a_drill_once(
    transactional_db: None, backup_place: BackupPlace, settings: Any, time_machine: Any
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    settings.EGOV_BACKUP_PASSWORD = DEMO_BACKUP_PASSWORD
    time_machine.move_to(shanghai(2026, 11, 26, 17, 14))

    assert take_demo_backup.call_local() == {"snapshots": 1, "drills": 1}

    snapshot = Snapshot.objects.get()
    assert snapshot.taken_at == shanghai(2026, 11, 26, 17, 14)
    assert snapshot.verification_ok is True
    drill = Drill.objects.get()
    assert drill.succeeded
    assert drill.rto_seconds is not None
    assert take_demo_backup.call_local() == {}
    assert (Snapshot.objects.count(), Drill.objects.count()) == (1, 1)


@needs_restic
@pytest.mark.django_db
def test_without_a_password_the_demo_backup_does_nothing(settings: Any) -> None:
    settings.EGOV_BACKUP_PASSWORD = None

    assert take_demo_backup.call_local() == {}

    assert not Snapshot.objects.exists()
