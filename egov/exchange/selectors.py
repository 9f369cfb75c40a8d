"""Reads of the exchange (交换查询): members and message counts."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from egov.exchange.models import Member, Message


def members() -> QuerySet[Member]:
    return Member.objects.select_related("organisation").order_by("code")


def message_counts() -> dict[str, int]:
    """Messages kept per direction (``in``, ``out``)."""
    rows = Message.objects.values("direction").annotate(n=Count("pk")).order_by("direction")
    return {str(row["direction"]): int(row["n"]) for row in rows}
