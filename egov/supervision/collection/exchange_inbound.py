"""Case events that department systems send through the exchange gateway (交换采集).

The exchange (a platform app) cannot import supervision, so supervision plugs
into it (ADR 0061): it registers the message types ``case-event`` and
``ItemPublished`` with the exchange's registry, their payload check being the
same schema check the ingest applies, and subscribes to the outbox events the
gateway publishes for accepted messages (``ExchangeCaseEventReceived``,
``ExchangeItemPublishedReceived``). Each is ingested by
:func:`~egov.supervision.collection.ingest.ingest_in_transaction`, the service
``POST /api/v1/supervision/events`` uses, with source ``exchange``, the member's
code as the source system and its organisation's region as the scope. Delivery
is at least once; a redelivered event is a duplicate by its event id. An event
the ingest refuses (an unknown region, a case number of another region) is
logged, as the internal collector does: the gateway has already receipted it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Any

from egov.exchange.registry import MessageType, PayloadProblem, register_message_type
from egov.supervision.collection.ingest import ingest_in_transaction, schema_problem
from egov.supervision.collection.projection_store import ITEM_PUBLISHED
from egov.supervision.models import Source

SUBSCRIBER = "supervision.exchange"
CASE_EVENT = "case-event"
EVENT_TYPES = {
    CASE_EVENT: "ExchangeCaseEventReceived",
    ITEM_PUBLISHED: "ExchangeItemPublishedReceived",
}
log = logging.getLogger(__name__)


def payload_check(message_type: str) -> Any:
    """The ingest's schema check, and the event's own type matching the message type."""

    def check(payload: Mapping[str, Any]) -> PayloadProblem | None:
        problem = schema_problem(payload)
        if problem is not None:
            return (f"payload.{problem.field}", problem.reason)
        is_item = payload.get("type") == ITEM_PUBLISHED
        if is_item != (message_type == ITEM_PUBLISHED):
            return ("payload.type", f"not an event of message type {message_type}")
        return None

    return check


def sender_of(event: Any) -> tuple[str, str]:
    return str(event.payload["sender"]), str(event.payload["region_path"])


def collect_batch(events: Sequence[Any]) -> None:
    """Ingest consecutive gateway events, one batch per sending member."""
    for (sender, region_path), group in groupby(events, key=sender_of):
        batch = list(group)
        report = ingest_in_transaction(
            events=[event.payload["payload"] for event in batch],
            source=Source.EXCHANGE,
            source_system=sender,
            actor=f"exchange:{sender}",
            scope_path=region_path,
        )
        for result in report.results:
            if result.status == "rejected":
                log.warning(
                    "supervision refused exchange message %s from %s: %s %s %s",
                    batch[result.index].payload["message_id"],
                    sender,
                    result.code,
                    result.field,
                    result.reason,
                )


def collect(event: Any) -> None:
    collect_batch([event])


def register() -> None:
    from egov.core.subscribers import register as register_subscriber

    for message_type, event_type in EVENT_TYPES.items():
        register_message_type(
            MessageType(message_type, event_type, payload_check(message_type), "case events")
        )
    register_subscriber(
        SUBSCRIBER, collect, frozenset(EVENT_TYPES.values()), batch_handler=collect_batch
    )
