"""Rate-limit counters (限流计数): uses of a limited action per scope and window."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """How often one scope (an account's or an address's submissions) acted in one window.

    Kept in the database so every web process counts against the same number;
    :func:`egov.core.services.ratelimit.take_rate` increments it under a row lock.
    """

    scope = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "window_start"], name="core_ratecounter_scope_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}@{self.window_start:%Y-%m-%dT%H:%M:%SZ}={self.count}"
