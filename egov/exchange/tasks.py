"""Background tasks of the exchange (huey): drain the outbound queue, time-stamp the log."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.exchange.outbound import deliver_outbound
from egov.exchange.timestamping import purge_expired, stamp_pending


@db_periodic_task(crontab(minute="*"))
def deliver_outbound_messages_every_minute() -> int:
    """Post due messages to their peers, in order per peer; how many were delivered."""
    return deliver_outbound()


@db_periodic_task(crontab(minute="*"))
def timestamp_message_log_every_minute() -> tuple[int, int]:
    """Time-stamp the new log entries in one batch, then purge expired ones: (stamped, purged)."""
    return stamp_pending(), purge_expired()
