"""``/backup/``: province administrators see snapshots, drills with RPO/RTO and findings."""

from __future__ import annotations

from django.test import Client

from egov.backup.models import Drill, Snapshot
from egov.core.testing import shanghai


def record_backups() -> None:
    Snapshot.objects.create(
        repository="/srv/backup/harbin",
        snapshot_id="3e8f3759",
        taken_at=shanghai(2026, 11, 26, 2, 30),
        engine="sqlite",
        manifest={},
        tables=55,
        rows=26652,
        files=2,
        verification_ok=True,
        verified_at=shanghai(2026, 11, 26, 3, 30),
    )
    Drill.objects.create(
        started_at=shanghai(2026, 11, 26, 3, 30),
        repository="/srv/backup/harbin",
        snapshot_id="3e8f3759",
        snapshot_taken_at=shanghai(2026, 11, 26, 2, 30),
        succeeded=False,
        rpo_seconds=3600,
        rto_seconds=26.7,
        problems=["file logo.png: SHA-256 differs"],
    )


def test_province_administrator_sees_drills_and_findings(
    client: Client, admin_province, settings, time_machine
) -> None:
    settings.EGOV_BACKUP_REPOSITORIES = [
        "/srv/backup/harbin",
        "s3:https://key:secret@oss.example/b",
    ]
    record_backups()
    time_machine.move_to(shanghai(2026, 11, 26, 9, 0))
    client.force_login(admin_province)
    page = client.get("/backup/").content.decode()
    assert "26652" in page
    assert "26.7 秒" in page
    assert "file logo.png: SHA-256 differs" in page
    assert "最近一次恢复演练失败" in page
    assert "s3:https://***@oss.example/b" in page
    assert "secret" not in page


def test_others_are_refused(client: Client, admin_harbin, auditor_province) -> None:
    assert client.get("/backup/").status_code == 302  # to the login page
    for user in (admin_harbin, auditor_province):
        client.force_login(user)
        assert client.get("/backup/").status_code == 403


def test_workbench_menu_offers_the_page_to_the_province_administrator(
    client: Client, admin_province
) -> None:
    client.force_login(admin_province)
    assert 'href="/backup/"' in client.get("/workbench/").content.decode()
