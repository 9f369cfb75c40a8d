"""Alerts about backups (备份告警): e-mail to the province-wide administrators."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from egov.backup import health
from egov.backup.selectors import backup_findings
from egov.core.models import Organisation
from egov.core.selectors.people import holders_of

SUBJECT = "【容灾备份告警】"


def hours(delta: dt.timedelta | None) -> str:
    return "—" if delta is None else f"{delta.total_seconds() / 3600:.1f}"


def describe(finding: health.Finding) -> str:
    """The finding in words, for the e-mail and the page."""
    if finding.code == health.RPO_EXCEEDED:
        if finding.age is None:
            return _("尚无任何备份快照：RPO 目标 %(limit)s 小时无法满足。") % {
                "limit": hours(finding.limit)
            }
        return _("最新备份快照已有 %(age)s 小时，超过 RPO 目标 %(limit)s 小时。") % {
            "age": hours(finding.age),
            "limit": hours(finding.limit),
        }
    if finding.code == health.VERIFIED_TOO_OLD:
        if finding.age is None:
            return _("尚无通过校验或恢复演练的备份。")
        return _("最新通过校验的备份已有 %(age)s 小时，超过上限 %(limit)s 小时。") % {
            "age": hours(finding.age),
            "limit": hours(finding.limit),
        }
    return _("最近一次恢复演练失败。")


def administrator_addresses() -> list[str]:
    """E-mail addresses of the active administrators of a top-level organisation."""
    addresses: set[str] = set()
    for root in Organisation.objects.filter(parent__isnull=True):
        addresses.update(u.email for u in holders_of("administrator", root) if u.email)
    return sorted(addresses)


def send_backup_alerts(*, now: dt.datetime) -> list[health.Finding]:
    """E-mail the administrators the findings, if any; the findings."""
    findings = backup_findings(now)
    recipients = administrator_addresses()
    if findings and recipients:
        text = "\n".join(describe(finding) for finding in findings)
        send_mail(SUBJECT + describe(findings[0])[:60], text, None, recipients)
    return findings
