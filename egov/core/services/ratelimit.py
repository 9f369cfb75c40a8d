"""Counting uses of a limited action (限流) in the database, shared by every process.

One row per scope and window (:class:`~egov.core.models.RateCounter`),
created if missing without a race (insert, ignoring a conflict) and then
locked, so concurrent requests, in one process or many, count one after the
other. Call it inside the transaction of the action it limits: if the action
is refused or fails, the use is not counted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from egov.core.models import RateCounter
from egov.core.ratelimit import Rate, seconds_until, window_of


def take_rate(*, scope: str, rate: Rate, now: dt.datetime) -> int | None:
    """Count one use of ``scope`` at ``now``: None if within ``rate``.

    Otherwise nothing is counted and the answer is the seconds until the
    window ends (for ``Retry-After``). Must run in a transaction.
    """
    start, end = window_of(now, rate)
    RateCounter.objects.bulk_create(
        [RateCounter(scope=scope, window_start=start)], ignore_conflicts=True
    )
    counter = RateCounter.objects.select_for_update().get(scope=scope, window_start=start)
    if counter.count >= rate.count:
        return seconds_until(now, end)
    RateCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    RateCounter.objects.filter(scope=scope, window_start__lt=start).delete()
    return None
