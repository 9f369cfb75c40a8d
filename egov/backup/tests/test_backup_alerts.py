"""Administrators are e-mailed when backups are too old, unverified, or a drill failed."""

from __future__ import annotations

from django.core import mail

from egov.backup.alerts import send_backup_alerts
from egov.backup.models import Drill
from egov.backup.tasks import send_daily_backup_alerts
from egov.backup.tests.readiness_support import snapshot_at
from egov.core.testing import shanghai


def with_email(*users) -> None:
    for user in users:
        user.email = f"{user.username}@hlj.gov.cn"
        user.save(update_fields=["email"])


def test_healthy_backups_send_nothing(admin_province, time_machine) -> None:
    with_email(admin_province)
    snapshot_at(shanghai(2026, 11, 26, 2, 30), verified=True)
    Drill.objects.create(started_at=shanghai(2026, 11, 26, 3, 30), repository="r", succeeded=True)
    assert send_backup_alerts(now=shanghai(2026, 11, 26, 9, 0)) == []
    assert mail.outbox == []


def test_stale_backup_alerts_the_province_administrators_only(
    admin_province, admin_harbin, clerk_harbin_daoli, time_machine
) -> None:
    with_email(admin_province, admin_harbin, clerk_harbin_daoli)
    snapshot_at(shanghai(2026, 11, 24, 2, 30), verified=True)
    time_machine.move_to(shanghai(2026, 11, 26, 9, 0))

    assert send_daily_backup_alerts.call_local() == 2  # too old, and so is its verification

    [message] = mail.outbox
    assert message.to == ["admin_province@hlj.gov.cn"]
    assert "容灾备份告警" in message.subject
    assert "54.5 小时" in message.body
    assert "RPO 目标 24.0 小时" in message.body
    assert "超过上限 48.0 小时" in message.body


def test_failed_drill_alerts_even_with_fresh_snapshots(admin_province, time_machine) -> None:
    with_email(admin_province)
    snapshot_at(shanghai(2026, 11, 26, 2, 30), verified=True)
    Drill.objects.create(
        started_at=shanghai(2026, 11, 26, 3, 30),
        repository="r",
        succeeded=False,
        problems=["table core_user: checksum differs"],
    )
    findings = send_backup_alerts(now=shanghai(2026, 11, 26, 9, 0))
    assert [finding.code for finding in findings] == ["drill_failed"]
    assert "恢复演练失败" in mail.outbox[0].body


def test_unverified_snapshots_alert(admin_province) -> None:
    with_email(admin_province)
    snapshot_at(shanghai(2026, 11, 26, 2, 30), verified=None)
    findings = send_backup_alerts(now=shanghai(2026, 11, 26, 9, 0))
    assert [finding.code for finding in findings] == ["verified_too_old"]
    assert "尚无通过校验或恢复演练的备份" in mail.outbox[0].body
