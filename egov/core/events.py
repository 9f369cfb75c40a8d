"""Event outbox (事件发件箱). Interface fixed; implementation by the outbox work."""

from __future__ import annotations

from typing import Any


def publish(event_type: str, payload: dict[str, Any], *, aggregate: str) -> Any:
    """Append a domain event to the outbox in the caller's transaction."""
    raise NotImplementedError
