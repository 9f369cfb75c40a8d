"""``egov backup status`` states the replica's newest point and the replication lag."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from egov.backup.tests.readiness_support import replica_positions, with_replica
from egov.core.testing import shanghai

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(bool(os.environ.get("EGOV_TEST_POSTGRES")), reason="replica is SQLite's"),
]
NOW = shanghai(2026, 11, 26, 9, 0)


def test_status_states_the_lag_of_a_replica_behind(
    settings: Any, time_machine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    time_machine.move_to(NOW, tick=False)
    with_replica(settings)
    replica_positions(monkeypatch, NOW - dt.timedelta(seconds=95), NOW - dt.timedelta(seconds=3))
    out = StringIO()

    call_command("backup", "status", stdout=out)

    assert "newest point 95 s old" in out.getvalue()
    assert "replication lag: 95 s" in out.getvalue()


def test_status_says_when_the_replica_holds_nothing(
    settings: Any, time_machine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    time_machine.move_to(NOW, tick=False)
    with_replica(settings)
    replica_positions(monkeypatch, None, NOW)
    out = StringIO()

    call_command("backup", "status", stdout=out)

    assert "replication lag: no replicated point" in out.getvalue()
