"""Rates of limited actions (限流), pure: no Django import.

A rate such as ``20/h`` allows 20 uses in each fixed window of an hour; the
windows are aligned on the Unix epoch (UTC), so every process computes the
same window for the same moment. The counting itself lives in the database
(:mod:`egov.core.services.ratelimit`), shared by every web process.

Written as ``COUNT/UNIT`` or ``COUNT/NUMBERUNIT``, the unit one of ``s``,
``m``, ``h``, ``d``: ``20/h``, ``100/d``, ``5/10m``. ``off`` (or empty) means
no limit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^(\d+)/(\d*)([smhd])$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Rate:
    """At most ``count`` uses in each window of ``seconds``."""

    count: int
    seconds: int

    def __str__(self) -> str:
        """``20 per hour``, ``5 per 10 minutes``."""
        return f"{self.count} per {period_text(self.seconds)}"


UNIT_NAMES = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def period_text(seconds: int) -> str:
    """``hour``, ``10 minutes``, ``90 seconds``: the largest unit that divides the period."""
    name, size = next((name, size) for name, size in UNIT_NAMES if seconds % size == 0)
    multiple = seconds // size
    return name if multiple == 1 else f"{multiple} {name}s"


def parse_rate(text: str) -> Rate | None:
    """The rate ``text`` names, or None for ``off``/empty; ValueError if malformed."""
    compact = re.sub(r"\s", "", text or "").lower()
    if compact in {"", "off"}:
        return None
    match = RATE_PATTERN.match(compact)
    if match is None:
        raise ValueError(f"not a rate: {text!r}; expected e.g. 20/h, 100/d, 5/10m or off")
    count, multiple, unit = int(match[1]), int(match[2] or 1), match[3]
    if count < 1 or multiple < 1:
        raise ValueError(f"not a rate: {text!r}; count and period must be at least 1")
    return Rate(count=count, seconds=multiple * UNIT_SECONDS[unit])


def window_of(moment: dt.datetime, rate: Rate) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of the window holding ``moment`` (an aware datetime)."""
    elapsed = (moment - EPOCH) // dt.timedelta(seconds=rate.seconds)
    start = EPOCH + elapsed * dt.timedelta(seconds=rate.seconds)
    return start, start + dt.timedelta(seconds=rate.seconds)


def seconds_until(moment: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds from ``moment`` until ``end``, at least 1 (for ``Retry-After``)."""
    return max(1, math.ceil((end - moment).total_seconds()))
