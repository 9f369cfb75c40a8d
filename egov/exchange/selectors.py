"""Reads of the exchange (交换查询): members and message counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from egov.core.permissions import may
from egov.exchange.models import Member, Message, OutboundMessage

MANAGE = "apikey.manage"


def members() -> QuerySet[Member]:
    return Member.objects.select_related("organisation").order_by("code")


def message_counts() -> dict[str, int]:
    """Inbound messages kept, and outbound ones per state (``out pending``, ...)."""
    counts = {"in": Message.objects.filter(direction=Message.Direction.INBOUND).count()}
    rows = OutboundMessage.objects.values("state").annotate(n=Count("pk")).order_by("state")
    return counts | {f"out {row['state']}": int(row["n"]) for row in rows}


def members_managed_by(actor: Any) -> list[Member]:
    """The members whose organisation the actor may manage (``apikey.manage``), by code."""
    return [m for m in members() if may(actor, MANAGE, m.organisation)]


AUDIT = "audit.view"


def message_log(actor: Any, *, sender: str = "", message_type: str = "") -> QuerySet[Message]:
    """Inbound messages of the members whose organisation the actor may audit (报文日志),
    newest first, with their envelopes and receipts for checking offline."""
    visible = [m.code for m in members() if may(actor, AUDIT, m.organisation)]
    query = Message.objects.filter(sender__in=visible)
    if sender:
        query = query.filter(sender=sender)
    if message_type:
        query = query.filter(message_type=message_type)
    return query.order_by("-received_at", "-pk")


def log_entry(actor: Any, message_id: str, recipient: str = "") -> Message | OutboundMessage | None:
    """One log entry the actor may audit: the message received with ``message_id``, or,
    with ``recipient``, the one sent to that member once delivered; None when there is none."""
    if recipient:
        entry: Message | OutboundMessage | None = (
            OutboundMessage.objects.select_related("log_batch")
            .filter(message_id=message_id, recipient=recipient)
            .filter(state=OutboundMessage.State.DELIVERED)
            .first()
        )
        code = recipient
    else:
        entry = (
            Message.objects.select_related("log_batch")
            .filter(message_id=message_id, direction=Message.Direction.INBOUND)
            .first()
        )
        code = entry.sender if entry is not None else ""
    member = Member.objects.select_related("organisation").filter(code=code).first()
    if entry is None or member is None or not may(actor, AUDIT, member.organisation):
        return None
    return entry
