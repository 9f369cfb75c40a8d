"""Registered message types (报文类型登记): what the gateway accepts and what it publishes.

A message type has a name (the envelope's ``type``), a check of its payload
and the outbox event the gateway publishes for each accepted message. The
exchange app registers the generic ``document`` type itself; domain apps
register theirs from their ``AppConfig.ready`` (supervision: ``case-event``
and ``ItemPublished``, ADR 0061), since the exchange, a platform app, must
not import them. No Django import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

PayloadProblem = tuple[str, str]
"""``(field, reason)`` of a payload refused by its type's check."""
PayloadCheck = Callable[[Mapping[str, Any]], PayloadProblem | None]


@dataclass(frozen=True)
class MessageType:
    """One registered type: its payload check and the outbox event it becomes."""

    name: str
    event_type: str
    check: PayloadCheck
    description: str = ""


_TYPES: dict[str, MessageType] = {}


def register_message_type(message_type: MessageType) -> None:
    """Register (or re-register, e.g. on a second ``ready``) a message type by name."""
    _TYPES[message_type.name] = message_type


def message_type(name: str) -> MessageType | None:
    return _TYPES.get(name)


def registered_names() -> list[str]:
    return sorted(_TYPES)
