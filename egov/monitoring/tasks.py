"""Background tasks of monitoring (huey): correlate security events every five minutes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.monitoring.services import correlate_security_events


@db_periodic_task(crontab(minute="*/5"))
def correlate_security_events_every_five_minutes() -> int:
    """Open incidents for new patterns in the last hour's events (idempotent); how many."""
    return len(correlate_security_events().opened)
