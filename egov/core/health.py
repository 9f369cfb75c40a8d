"""Readiness checks and metric gauges that apps contribute (健康检查与指标登记); no Django.

Monitoring answers ``/readyz`` and ``/metrics`` (ADR 0038) but may not import
the apps beside it (backup is its sibling in the platform layer). So an app
registers what it knows from its ``AppConfig.ready()`` (ADR 0013, ADR 0043)::

    register_readiness_check("backup", backup_readiness)   # () -> Readiness
    register_gauge_source("backup", backup_gauges)         # () -> list[Gauge]

and monitoring runs every registered check after its own, and yields every
registered source's gauges at each scrape. A check or source that raises is
monitoring's to report (a failed check, ``egov_monitoring_source_up`` 0).
Registration by name is idempotent: registering a name again replaces it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
METRIC_PATTERN = re.compile(r"^egov_[a-z0-9_]+$")


@dataclass(frozen=True)
class Readiness:
    """One app's readiness: passed or not, and the figures it saw (shown to allowed callers)."""

    ok: bool
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Gauge:
    """A gauge family: its name (``egov_...``), help text, label names and samples."""

    name: str
    documentation: str
    samples: tuple[tuple[tuple[str, ...], float], ...] = ()
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not METRIC_PATTERN.match(self.name):
            raise ValueError(f"gauge name {self.name!r}: egov_ and lower-case words")
        for values, _value in self.samples:
            if len(values) != len(self.labels):
                raise ValueError(f"gauge {self.name}: {values!r} does not match {self.labels!r}")


ReadinessCheck = Callable[[], Readiness]
GaugeSource = Callable[[], list[Gauge]]

_checks: dict[str, ReadinessCheck] = {}
_sources: dict[str, GaugeSource] = {}


def checked_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise ValueError(f"name {name!r}: lower-case letters, digits and '_', at most 32")
    return name


def register_readiness_check(name: str, check: ReadinessCheck) -> None:
    """Add (or replace) the readiness check ``name``, run by ``/readyz``."""
    _checks[checked_name(name)] = check


def register_gauge_source(name: str, source: GaugeSource) -> None:
    """Add (or replace) the gauge source ``name``, read at each ``/metrics`` scrape."""
    _sources[checked_name(name)] = source


def readiness_checks() -> tuple[tuple[str, ReadinessCheck], ...]:
    """The registered checks by name, in registration order."""
    return tuple(_checks.items())


def gauge_sources() -> tuple[tuple[str, GaugeSource], ...]:
    """The registered gauge sources by name, in registration order."""
    return tuple(_sources.items())


@contextmanager
def override(
    checks: dict[str, ReadinessCheck] | None = None,
    sources: dict[str, GaugeSource] | None = None,
) -> Iterator[None]:
    """Tests: replace the registered checks and sources for the ``with`` block."""
    saved = dict(_checks), dict(_sources)
    _checks.clear()
    _checks.update(checks or {})
    _sources.clear()
    _sources.update(sources or {})
    try:
        yield
    finally:
        _checks.clear()
        _checks.update(saved[0])
        _sources.clear()
        _sources.update(saved[1])
