"""Background tasks of the core app (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from egov.core.outbox import deliver_pending
from egov.core.services.audit import take_audit_checkpoint

# A kick delivers at most this many batches, so one task cannot run for ever;
# the periodic task picks up whatever is left.
MAX_BATCHES_PER_RUN = 100


def deliver_until_caught_up() -> int:
    """Run delivery batches until no subscriber has a full batch waiting; events delivered."""
    delivered = 0
    for _ in range(MAX_BATCHES_PER_RUN):
        report = deliver_pending()
        delivered += report.delivered
        if not report.more:
            break
    return delivered


@db_task()
def deliver_outbox_events() -> int:
    """Deliver pending outbox events now (enqueued after each publishing commit)."""
    return deliver_until_caught_up()


@db_periodic_task(crontab(minute="*"))
def deliver_outbox_events_every_minute() -> int:
    """Safety net: deliver pending and due retried events once a minute."""
    return deliver_until_caught_up()


@db_periodic_task(crontab(minute="*/5"))
def checkpoint_audit_chain_every_five_minutes() -> int | None:
    """Anchor the audit chain's head (ADR 0036): entries are truncatable unnoticed only
    until the next checkpoint, so at most five minutes' worth. Skips an unchanged head."""
    checkpoint = take_audit_checkpoint()
    return checkpoint.sequence if checkpoint is not None else None
