"""The outbox subscriber that collects our own approvals' case events (内部采集).

The approvals app publishes every step of a case, and every catalogue
change (``ItemPublished``), through the core outbox. This subscriber feeds
each one to :func:`egov.supervision.collection.ingest.ingest_in_transaction` with source
``internal``, in the delivery's transaction: delivery is at least once, and
a redelivered event is a duplicate by its event id, so it changes nothing.
A refused event (which would be a bug in approvals) is logged, not retried:
retrying cannot make it valid.

The subscriber also takes batches (:func:`collect_batch`, ADR 0049): the
outbox may hand it many consecutive events at once, which are ingested as
one batch, so each touched case is stored, rebuilt and judged once per
batch instead of once per event. A refused event of a batch is logged like
a single one and the rest of its batch is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from egov.supervision.collection.ingest import ingest_in_transaction
from egov.supervision.collection.projection import CASE_EVENT_TYPES
from egov.supervision.collection.projection_store import ITEM_PUBLISHED

SUBSCRIBER = "supervision.collect"
EVENT_TYPES = frozenset(CASE_EVENT_TYPES | {ITEM_PUBLISHED})
ACTOR = "supervision-outbox"
log = logging.getLogger(__name__)


def collect(event: Any) -> None:
    """Ingest one outbox event (a core ``Event``) as an internal case event."""
    collect_batch([event])


def collect_batch(events: Sequence[Any]) -> None:
    """Ingest consecutive outbox events as one batch (the same effect as one at a time)."""
    if not events:
        return
    report = ingest_in_transaction(
        events=[event.payload for event in events],
        source="internal",
        source_system="approvals",
        actor=ACTOR,
    )
    for result in report.results:
        if result.status == "rejected":
            log.warning(
                "supervision refused outbox event %s (%s): %s %s",
                result.event_id,
                events[result.index].event_type,
                result.field,
                result.reason,
            )


def register() -> None:
    from egov.core.subscribers import register as register_subscriber

    register_subscriber(SUBSCRIBER, collect, EVENT_TYPES, batch_handler=collect_batch)
