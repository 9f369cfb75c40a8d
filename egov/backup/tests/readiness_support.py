"""Shared by the readiness and gauge tests: snapshots, drills, a replica's stated positions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from egov.backup import replication
from egov.backup.models import Drill, Snapshot


def snapshot_at(moment: dt.datetime, *, verified: bool | None = None) -> Snapshot:
    return Snapshot.objects.create(
        repository="/srv/backup/harbin",
        snapshot_id=f"{int(moment.timestamp()):08x}"[-8:],
        taken_at=moment,
        engine="sqlite",
        manifest={},
        tables=1,
        rows=1,
        files=0,
        verification_ok=verified,
        verified_at=moment if verified else None,
    )


def drill_at(moment: dt.datetime, *, succeeded: bool) -> Drill:
    return Drill.objects.create(started_at=moment, repository="r", succeeded=succeeded)


def replica_positions(
    monkeypatch: pytest.MonkeyPatch,
    newest_point: dt.datetime | None,
    last_write: dt.datetime | None,
) -> None:
    """The replica's newest point and the database's last write, as Litestream would say."""
    monkeypatch.setattr(replication, "newest_point", lambda location, timeout=0: newest_point)
    monkeypatch.setattr(replication, "last_write", lambda database: last_write)


def scraped(client: Client) -> dict[str, float]:
    """The unlabelled samples of /metrics, by name."""
    text = client.get("/metrics").content.decode()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if not sample.labels
    }


def with_replica(settings: Any, location: str = "/srv/replica/harbin") -> None:
    settings.EGOV_BACKUP_REPLICA = location
    settings.EGOV_BACKUP_REPLICA_MAX_LAG_SECONDS = 60
