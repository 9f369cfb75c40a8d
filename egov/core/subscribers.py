"""The registry of outbox subscribers (事件订阅者登记).

A subscriber is a named handler of outbox events. Apps register theirs
explicitly, from their ``AppConfig.ready()`` (or a ``subscribers.py`` module
imported there)::

    # egov/supervision/subscribers.py
    from egov.core.subscribers import subscriber

    @subscriber("supervision", event_types={"CaseAccepted", "CaseDecided"})
    def watch_case(event: Event) -> None:
        ...

    # egov/supervision/apps.py
    class SupervisionConfig(AppConfig):
        def ready(self) -> None:
            from egov.supervision import subscribers  # noqa: F401  registers them

A subscriber that can handle several events at once declares a
``batch_handler`` (``register(name, handler, types, batch_handler=...)`` or
``@subscriber(name, batch_handler=...)``); it is handed consecutive wanted
events of a batch in one call, e.g. to load what they need in a few queries
and write with ``bulk_create``. Its single ``handler`` stays required: it takes
over, one event at a time, when the batch handler raises.

Delivery is **at least once**, in batches (see :mod:`egov.core.outbox`): a
batch's handler writes commit in one transaction with the subscriber's
position, but a worker that dies while a batch runs leaves the whole batch to
be delivered again, and a retried event may arrive after later events of other
aggregates. Handlers must therefore be idempotent (e.g. remember the last event
id applied per aggregate, or upsert by event id); their database writes of a
rolled-back batch are rolled back with it, so only effects outside the
database (an HTTP call, a file) can happen twice.

The subscriber's name is its identity in the database (its position, retries and
dead letters): renaming one makes it a new subscriber that starts from the first
event.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from egov.core.models import Event

Handler = Callable[["Event"], None]
BatchHandler = Callable[[Sequence["Event"]], None]
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")


class SubscriberRegistrationError(ValueError):
    """A subscriber was registered with a bad name, handler or event types."""


@dataclass(frozen=True)
class Subscriber:
    """A named handler and the event types it wants (None: every type).

    ``batch_handler``, when given, takes several consecutive events the
    subscriber wants at once, in id order, inside the delivery's transaction.
    It must have the same effect as ``handler`` called on each in turn. If it
    raises, none of its writes are kept and the outbox hands the same events
    to ``handler`` one at a time, which isolates the failing one.
    """

    name: str
    handler: Handler
    event_types: frozenset[str] | None = None
    batch_handler: BatchHandler | None = None

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types


_registry: dict[str, Subscriber] = {}


def make_subscriber(
    name: str,
    handler: Handler,
    event_types: Iterable[str] | None = None,
    batch_handler: BatchHandler | None = None,
) -> Subscriber:
    """A checked Subscriber, not yet registered."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise SubscriberRegistrationError(
            f"subscriber name {name!r}: lower-case letters, digits, '_', '.', '-'; "
            "at most 64 characters, starting with a letter"
        )
    if not callable(handler):
        raise SubscriberRegistrationError(f"subscriber {name!r}: handler must be callable")
    if isinstance(event_types, str):
        raise SubscriberRegistrationError(
            f"subscriber {name!r}: event_types must be a set of names, not one string"
        )
    if batch_handler is not None and not callable(batch_handler):
        raise SubscriberRegistrationError(f"subscriber {name!r}: batch_handler must be callable")
    types = frozenset(event_types) if event_types is not None else None
    return Subscriber(name=name, handler=handler, event_types=types, batch_handler=batch_handler)


def register(
    name: str,
    handler: Handler,
    event_types: Iterable[str] | None = None,
    *,
    batch_handler: BatchHandler | None = None,
) -> Subscriber:
    """Register a subscriber. Registering the same one again is harmless."""
    entry = make_subscriber(name, handler, event_types, batch_handler)
    existing = _registry.get(name)
    if existing is not None and existing != entry:
        raise SubscriberRegistrationError(
            f"subscriber {name!r} is already registered with another handler or event types"
        )
    _registry[name] = entry
    return entry


def subscriber(
    name: str,
    *,
    event_types: Iterable[str] | None = None,
    batch_handler: BatchHandler | None = None,
) -> Callable[[Handler], Handler]:
    """Decorator form of :func:`register`; returns the handler unchanged."""

    def decorate(handler: Handler) -> Handler:
        register(name, handler, event_types, batch_handler=batch_handler)
        return handler

    return decorate


def registered() -> list[Subscriber]:
    """Every registered subscriber, by name."""
    return [_registry[name] for name in sorted(_registry)]


def get(name: str) -> Subscriber | None:
    """The subscriber of that name, if registered."""
    return _registry.get(name)


SubscriberSpec = Subscriber | Handler | tuple[Handler, Iterable[str] | None]


def as_subscriber(name: str, spec: Any) -> Subscriber:
    if isinstance(spec, Subscriber):
        return make_subscriber(name, spec.handler, spec.event_types, spec.batch_handler)
    if isinstance(spec, tuple):
        handler, event_types = spec
        return make_subscriber(name, handler, event_types)
    return make_subscriber(name, spec)


@contextmanager
def override(subscribers: Mapping[str, SubscriberSpec]) -> Iterator[None]:
    """Replace the whole registry for the duration of the block (for tests).

    Each value is a handler, a ``(handler, event_types)`` pair or a Subscriber.
    ``override({})`` leaves no subscriber registered.
    """
    replacement = {name: as_subscriber(name, spec) for name, spec in subscribers.items()}
    saved = dict(_registry)
    _registry.clear()
    _registry.update(replacement)
    try:
        yield
    finally:
        _registry.clear()
        _registry.update(saved)
