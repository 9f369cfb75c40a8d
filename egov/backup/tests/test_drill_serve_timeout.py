"""A drill whose restored instance does not serve ``/`` in time fails, with no RTO."""

from __future__ import annotations

import pytest

from egov.backup.models import Snapshot
from egov.backup.services import configured_repositories, run_drill, take_snapshot
from egov.core.testing import shanghai

from .conftest import BackupPlace, needs_restic

pytestmark = [needs_restic, pytest.mark.usefixtures("emptied_audit_chain_afterwards")]


def test_instance_not_serving_within_the_limit_fails_the_drill(
    transactional_db: None, backup_place: BackupPlace, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [str(backup_place.same_city)]
    settings.EGOV_BACKUP_DRILL_SERVE_SECONDS = 0.2  # no server starts that fast
    time_machine.move_to(shanghai(2026, 11, 26, 2, 30))
    take_snapshot(actor="test")

    drill = run_drill(actor="test", repository=configured_repositories()[0])

    assert not drill.succeeded
    assert drill.problems == ["restored instance did not serve / within 0.2 s"]
    assert drill.rto_seconds is None
    assert drill.tables_checked > 0  # the data itself matched its manifest
    assert Snapshot.objects.get().verification_ok is None
