"""Time-stamping and keeping the message log (报文日志的时间戳与保存期限).

:func:`stamp_pending` (the worker, every minute) takes the log entries not yet
time-stamped - messages received, and messages sent once the peer's receipt is
held - builds the RFC 9162 batch tree over their digests
(:func:`egov.exchange.logproof.entry_digest`), has the root time-stamped
(``egov.trust.tsa.services.timestamp_root``: ``EGOV_TSA_URL`` or our own TSA)
and stores the batch and each entry's leaf index and proof in one transaction:
when the TSA fails nothing is written but the failure, for administrators.

As X-Road does, a node whose oldest entry not yet stamped is older than
``EGOV_EXCHANGE_TIMESTAMP_MAX_AGE`` seconds (4 h unless told) stops sending
(:func:`sending_blocked`); its queue waits and goes out once stamping works.
:func:`purge_expired` drops entries older than
``EGOV_EXCHANGE_LOG_RETENTION_DAYS`` and batches none of whose entries is left.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from egov.exchange.logproof import entry_digest
from egov.exchange.models import LogBatch, LogStamping, Message, OutboundMessage
from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.tsa.merkle import HashTree
from egov.trust.tsa.services import timestamp_root

MAX_BATCH = 10_000
log = logging.getLogger(__name__)


def unstamped_inbound() -> Any:
    return Message.objects.filter(log_batch__isnull=True)


def unstamped_outbound() -> Any:
    return OutboundMessage.objects.filter(
        log_batch__isnull=True, state=OutboundMessage.State.DELIVERED
    )


def _digests(suite_name: str, entries: list[Any], direction: str) -> list[bytes]:
    return [entry_digest(suite_name, direction, e.envelope, e.receipt) for e in entries]


def _store(batch: LogBatch, entries: list[Any], tree: HashTree, offset: int) -> None:
    for index, entry in enumerate(entries, start=offset):
        entry.log_batch, entry.leaf_index = batch, index
        entry.proof = tree.proof(index).as_dict()


def _state() -> LogStamping:
    state = LogStamping.objects.order_by("pk").first()
    return state or LogStamping.objects.create()


def record_failure(reason: str, now: dt.datetime) -> None:
    """Keep why the last stamping failed, for ``egov exchange status``."""
    state = _state()
    state.last_failure_at, state.last_error = now, reason[:300]
    state.save(update_fields=["last_failure_at", "last_error"])


def _stamp_batch(suite_name: str, now: dt.datetime) -> LogBatch | None:
    """Stamp up to ``MAX_BATCH`` entries in one transaction; None when there are none."""
    with transaction.atomic():
        inbound = list(unstamped_inbound().select_for_update().order_by("pk")[:MAX_BATCH])
        room = MAX_BATCH - len(inbound)
        outbound = list(unstamped_outbound().select_for_update().order_by("pk")[:room])
        if not inbound and not outbound:
            return None
        leaves = _digests(suite_name, inbound, "in") + _digests(suite_name, outbound, "out")
        tree = HashTree(leaves, suite(suite_name).digest)
        token = timestamp_root(tree.root, suite_name=suite_name)  # TrustError: rolls back
        batch = LogBatch.objects.create(
            suite=suite_name, root=tree.root.hex(), token=token, size=tree.size, stamped_at=now
        )
        _store(batch, inbound, tree, 0)
        _store(batch, outbound, tree, len(inbound))
        fields = ["log_batch", "leaf_index", "proof"]
        Message.objects.bulk_update(inbound, fields, batch_size=500)
        OutboundMessage.objects.bulk_update(outbound, fields, batch_size=500)
        state = _state()
        state.last_success_at = now
        state.save(update_fields=["last_success_at"])
    return batch


def stamp_pending(*, now: dt.datetime | None = None, suite_name: str | None = None) -> int:
    """Time-stamp every entry not yet stamped (加盖日志时间戳); how many were stamped.

    A failing TSA leaves the entries unstamped (to be tried next run) and the
    reason in :class:`LogStamping`; it is not raised.
    """
    moment = now or timezone.now()
    name = suite_name or suite().name
    stamped = 0
    try:
        while (batch := _stamp_batch(name, moment)) is not None:
            stamped += batch.size
    except TrustError as exc:
        log.warning("message log not time-stamped: %s", exc.reason)
        record_failure(f"{exc.field}: {exc.reason}", moment)
    return stamped


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(settings.EGOV_EXCHANGE_TIMESTAMP_MAX_AGE))


def oldest_unstamped() -> dt.datetime | None:
    """When the oldest entry not yet stamped was logged (received, or delivered)."""
    times = [
        unstamped_inbound().aggregate(t=Min("received_at"))["t"],
        unstamped_outbound().aggregate(t=Min("delivered_at"))["t"],
    ]
    found = [t for t in times if t is not None]
    return min(found) if found else None


@dataclass(frozen=True)
class StampingStatus:
    """What administrators see (``egov exchange status``): may this node send, and why not."""

    sending_blocked: bool
    oldest_unstamped: dt.datetime | None
    last_success_at: dt.datetime | None
    last_failure_at: dt.datetime | None
    last_error: str
    max_age: dt.timedelta

    @property
    def reason(self) -> str:
        if not self.sending_blocked:
            return ""
        return (
            "sending stopped: log entries unstamped since "
            f"{self.oldest_unstamped:%Y-%m-%d %H:%M:%S}"
            f" (more than {int(self.max_age.total_seconds())} s); last error: "
            f"{self.last_error or 'none recorded (is the worker running?)'}"
        )


def stamping_status(now: dt.datetime | None = None) -> StampingStatus:
    """The node's time-stamping status at ``now`` (X-Road's rule, see the module)."""
    moment = now or timezone.now()
    oldest = oldest_unstamped()
    state = LogStamping.objects.order_by("pk").first() or LogStamping()
    return StampingStatus(
        sending_blocked=oldest is not None and moment - oldest > max_age(),
        oldest_unstamped=oldest,
        last_success_at=state.last_success_at,
        last_failure_at=state.last_failure_at,
        last_error=state.last_error,
        max_age=max_age(),
    )


def sending_blocked(now: dt.datetime | None = None) -> bool:
    """True when the node may not send: it could not time-stamp for too long."""
    return stamping_status(now).sending_blocked


def retention() -> dt.timedelta:
    return dt.timedelta(days=int(settings.EGOV_EXCHANGE_LOG_RETENTION_DAYS))


@transaction.atomic
def purge_expired(now: dt.datetime | None = None) -> int:
    """Drop log entries older than the retention period, then batches left empty.

    Inbound messages by their receipt time, delivered outbound ones by their
    delivery time (pending and failed ones are the queue, not the log, and
    stay). How many entries were dropped.
    """
    cutoff = (now or timezone.now()) - retention()
    dropped, _ = Message.objects.filter(received_at__lt=cutoff).delete()
    sent, _ = OutboundMessage.objects.filter(
        state=OutboundMessage.State.DELIVERED, delivered_at__lt=cutoff
    ).delete()
    used_in = Message.objects.filter(log_batch=OuterRef("pk"))
    used_out = OutboundMessage.objects.filter(log_batch=OuterRef("pk"))
    LogBatch.objects.filter(~Exists(used_in), ~Exists(used_out)).delete()
    return dropped + sent
