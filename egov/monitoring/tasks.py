"""Background tasks of monitoring (huey): correlate security events, probe the inventory."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.monitoring.services import correlate_security_events, probe_systems


@db_periodic_task(crontab(minute="*/5"))
def correlate_security_events_every_five_minutes() -> int:
    """Open incidents for new patterns in the last hour's events (idempotent); how many."""
    return len(correlate_security_events().opened)


@db_periodic_task(crontab(minute="*"))
def probe_systems_every_minute() -> int:
    """Probe every active system of the inventory; how many answered as expected."""
    return sum(1 for _system, outcome in probe_systems() if outcome.ok)
