"""Background tasks of the exchange (huey): drain the outbound queue to peers."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.exchange.outbound import deliver_outbound


@db_periodic_task(crontab(minute="*"))
def deliver_outbound_messages_every_minute() -> int:
    """Post due messages to their peers, in order per peer; how many were delivered."""
    return deliver_outbound()
