"""Approvals' outbox subscriber: recompute stored clocks when the calendar changes (ADR 0047).

Core publishes ``CalendarYearImported`` (a year's official schedule) and
``CalendarDayChanged`` (one day corrected by hand); core does not know
approvals, approvals listens. Recomputing is idempotent, so a redelivered
event only recomputes again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from egov.approvals.services.clocks import recompute_case_clocks

if TYPE_CHECKING:
    from egov.core.models import Event

SUBSCRIBER = "approvals.clocks"
CALENDAR_EVENTS = frozenset({"CalendarYearImported", "CalendarDayChanged"})


def first_changed_day(event: Event) -> dt.date | None:
    """The first calendar day the event changed (None: unknown, recompute all)."""
    payload = event.payload or {}
    if "day" in payload:
        return dt.date.fromisoformat(str(payload["day"]))
    if "year" in payload:
        return dt.date(int(payload["year"]), 1, 1)
    return None


def recompute_after_calendar_change(event: Event) -> None:
    """Recompute the stored clock of every open case the changed days may move."""
    recompute_case_clocks(since=first_changed_day(event))


def register() -> None:
    from egov.core.subscribers import register as register_subscriber

    register_subscriber(SUBSCRIBER, recompute_after_calendar_change, CALENDAR_EVENTS)
