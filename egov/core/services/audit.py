"""Audit chain writes (审计链). Interface fixed; implementation by the audit work."""

from __future__ import annotations

from typing import Any


def record_audit(
    *,
    actor: Any,
    action: str,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    organisation: str = "",
) -> Any:
    """Append one entry to the audit chain, in the caller's transaction."""
    raise NotImplementedError
