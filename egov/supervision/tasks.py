"""Background tasks of supervision (huey): the time-limit scan of every open case.

Every 15 minutes, and so at 00:05 right after the local day changes, the
scan judges each open case's light (:func:`egov.supervision.judging.scan.scan`), the
department cards are brought up to date, issuers of overdue notices are
alerted, and pending alerts are sent by e-mail and SMS. Idempotent: a run
that finds nothing new writes nothing. The same job is ``egov supervision scan``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.supervision.judging.scan import scheduled_scan

SCAN_MINUTES = "5,20,35,50"  # every 15 minutes, the first at 00:05 local time


@db_periodic_task(crontab(minute=SCAN_MINUTES))
def scan_open_cases_periodically() -> dict[str, Any]:
    """Judge every open case's light, issue cards, alert and send (时限扫描)."""
    run = scheduled_scan()
    return asdict(run)


@db_periodic_task(crontab(hour="7", minute="40"))
def send_early_warning_alerts_daily() -> int:
    """Early warnings of departments to their supervisors (部门预警), once a day (S4).

    The same job as ``egov supervision warn``; the alerts it writes are sent
    by the next scan's delivery. Returns how many alerts were new.
    """
    from egov.supervision.statistics.warning_alerts import send_early_warning_alerts

    return send_early_warning_alerts(actor="system")
