"""The scrape-time collector (采集器): gauges read from the database and the queue.

Computed when ``/metrics`` is scraped rather than kept in a process, so any
web worker answers the same figures (ADR 0038). Each family that cannot be
read is left out, and ``egov_monitoring_source_up`` says which source failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from egov.core import health as registry
from egov.monitoring import selectors
from egov.monitoring.models import Incident, ProbedSystem

logger = logging.getLogger(__name__)


def outbox_families() -> list[GaugeMetricFamily]:
    pending = GaugeMetricFamily(
        "egov_outbox_pending_events",
        "Outbox events a subscriber has not read yet.",
        labels=["subscriber"],
    )
    lag = GaugeMetricFamily(
        "egov_outbox_lag_seconds",
        "Age of the oldest outbox event a subscriber still owes (0 when caught up).",
        labels=["subscriber"],
    )
    dead = GaugeMetricFamily(
        "egov_outbox_dead_letters", "Unresolved dead letters per subscriber.", labels=["subscriber"]
    )
    for row in selectors.outbox_lag(timezone.now()):
        pending.add_metric([row.subscriber], row.pending)
        lag.add_metric([row.subscriber], row.lag_seconds)
        dead.add_metric([row.subscriber], row.dead_letters)
    return [pending, lag, dead]


def queue_families() -> list[GaugeMetricFamily]:
    depth = GaugeMetricFamily("egov_queue_pending_tasks", "Tasks waiting in the job queue (huey).")
    depth.add_metric([], selectors.queue_depth())
    return [depth]


def incident_families() -> list[GaugeMetricFamily]:
    family = GaugeMetricFamily(
        "egov_security_incidents",
        "Security incidents not yet closed, by rule and status.",
        labels=["rule", "status"],
    )
    rows = (
        Incident.objects.exclude(status=Incident.Status.CLOSED)
        .values("rule_code", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        family.add_metric([row["rule_code"], row["status"]], row["n"])
    return [family]


def system_families() -> list[GaugeMetricFamily]:
    labels = ["system", "kind"]
    up = GaugeMetricFamily(
        "egov_system_up", "1 if the system answered its last probe, 0 if not.", labels=labels
    )
    seconds = GaugeMetricFamily(
        "egov_system_probe_seconds", "Duration of the system's last probe.", labels=labels
    )
    expiry = GaugeMetricFamily(
        "egov_system_certificate_expiry_timestamp_seconds",
        "When the system's TLS certificate expires (Unix time).",
        labels=labels,
    )
    checked = ProbedSystem.objects.filter(is_active=True, last_checked_at__isnull=False)
    for system in checked.order_by("code"):
        key = [system.code, system.kind]
        up.add_metric(key, 1 if system.last_ok else 0)
        seconds.add_metric(key, system.last_seconds or 0.0)
        if system.certificate_expires:
            expiry.add_metric(key, system.certificate_expires.timestamp())
    return [up, seconds, expiry]


def gauge_families(gauges: list[registry.Gauge]) -> list[GaugeMetricFamily]:
    """An app's registered gauges as Prometheus families."""
    families = []
    for gauge in gauges:
        family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=list(gauge.labels))
        for values, value in gauge.samples:
            family.add_metric(list(values), value)
        families.append(family)
    return families


def reading(source: registry.GaugeSource) -> Callable[[], list[GaugeMetricFamily]]:
    return lambda: gauge_families(source())


def registered_sources() -> dict[str, Callable[[], list[GaugeMetricFamily]]]:
    """The gauge sources apps registered with core (backup, ...), by name."""
    return {name: reading(source) for name, source in registry.gauge_sources()}


SOURCES = {
    "outbox": outbox_families,
    "queue": queue_families,
    "incidents": incident_families,
    "systems": system_families,
}


class DatabaseCollector(Collector):
    """Outbox, queue, incidents, systems, and the apps' registered gauges, read at scrape time."""

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # names are not known before reading; nothing is read at registration

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "egov_monitoring_source_up",
            "1 if the source could be read at this scrape.",
            labels=["source"],
        )
        for name, read in (SOURCES | registered_sources()).items():
            try:
                families = read()
            except Exception:  # one unreadable source must not hide the others
                logger.exception("metrics: cannot read %s", name)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up
