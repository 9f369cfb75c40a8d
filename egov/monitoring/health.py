"""Readiness checks (就绪检查): database, job queue, outbox lag, free disk space.

Then the checks other apps registered with core (``egov.core.health``: backup
age and replication lag, ADR 0043), each under its registered name.

Each check answers a :class:`CheckResult` with its figures; one that raises is
a failed check naming the error, so ``/readyz`` always answers. Liveness
(``/healthz``) needs none of them: the process answering is the whole test.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from egov.core import health as registry
from egov.monitoring import selectors

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class CheckResult:
    """One readiness check: its name, whether it passed, and the figures it saw."""

    name: str
    ok: bool
    figures: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "fail", **self.figures}


def elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def check_database() -> CheckResult:
    """The database answers a trivial query."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return CheckResult("database", True, {"vendor": connection.vendor, "ms": elapsed_ms(started)})


def check_queue() -> CheckResult:
    """The job queue's storage (SQLite file or Redis) answers; its depth."""
    started = time.perf_counter()
    depth = selectors.queue_depth()
    backend = selectors.queue_backend()
    return CheckResult(
        "queue", True, {"backend": backend, "pending": depth, "ms": elapsed_ms(started)}
    )


def check_outbox() -> CheckResult:
    """Every registered subscriber is within the allowed lag."""
    limit = int(settings.EGOV_READY_MAX_OUTBOX_LAG_SECONDS)
    lags = selectors.outbox_lag(timezone.now())
    late = [lag.subscriber for lag in lags if lag.registered and lag.lag_seconds > limit]
    return CheckResult(
        "outbox",
        not late,
        {
            "max_lag_seconds": limit,
            "late": late,
            "subscribers": [lag.as_dict() for lag in lags],
        },
    )


def check_disk() -> CheckResult:
    """The var directory's file system has more free space than the threshold."""
    usage = shutil.disk_usage(settings.VAR_DIR)
    free_mb = usage.free // MEGABYTE
    minimum = int(settings.EGOV_READY_MIN_FREE_MB)
    return CheckResult(
        "disk",
        free_mb >= minimum,
        {"path": str(settings.VAR_DIR), "free_mb": free_mb, "min_free_mb": minimum,
         "total_mb": usage.total // MEGABYTE},
    )  # fmt: skip


CHECKS: tuple[Callable[[], CheckResult], ...] = (
    check_database,
    check_queue,
    check_outbox,
    check_disk,
)


def failed(name: str, exc: Exception) -> CheckResult:
    return CheckResult(name, False, {"error": f"{type(exc).__name__}: {exc}"[:500]})


def run_check(check: Callable[[], CheckResult]) -> CheckResult:
    name = check.__name__.removeprefix("check_")
    try:
        return check()
    except Exception as exc:  # a failed dependency is a failed check, never a 500
        return failed(name, exc)


def run_registered(name: str, check: registry.ReadinessCheck) -> CheckResult:
    """An app's registered check, as a result under its name; one that raises fails."""
    try:
        answer = check()
    except Exception as exc:  # an app's broken check is a failed check, never a 500
        return failed(name, exc)
    return CheckResult(name, answer.ok, dict(answer.figures))


def readiness() -> list[CheckResult]:
    """Every readiness check, monitoring's own first, then those apps registered."""
    own = [run_check(check) for check in CHECKS]
    return own + [run_registered(name, check) for name, check in registry.readiness_checks()]
