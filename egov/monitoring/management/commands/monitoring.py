"""``egov monitoring correlate [--hours N]`` / ``probe [CODE ...]``: correlate once; probe once."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.monitoring.services import correlate_security_events, probe_systems


class Command(BaseCommand):
    help = "Information security monitoring (信息安全监控): correlate security events."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("correlate", help="open incidents for new patterns (idempotent)")
        run.add_argument("--hours", type=float, default=1.0, help="look back this many hours")
        probe = sub.add_parser("probe", help="probe the inventory's active systems once")
        probe.add_argument("codes", nargs="*", help="only these systems")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "probe":
            self.probe(options["codes"])
        else:
            self.correlate(options["hours"])

    def probe(self, codes: list[str]) -> None:
        results = probe_systems(codes=codes)
        for system, outcome in results:
            state = "ok" if outcome.ok else f"FAIL {outcome.error}"
            self.stdout.write(f"{system.code} {system.kind} {system.target}: {state} "
                              f"({outcome.seconds * 1000:.0f} ms)")  # fmt: skip
        failing = sum(1 for _system, outcome in results if not outcome.ok)
        self.stdout.write(f"probed {len(results)}, failing {failing}")
        if failing:
            raise CommandError(f"{failing} systems failing", returncode=2)

    def correlate(self, hours: float) -> None:
        if not 0 < hours <= 24 * 31:
            raise CommandError("--hours must be more than 0 and at most 744 (31 days)")
        run = correlate_security_events(lookback=timedelta(hours=hours), actor="system")
        self.stdout.write(
            f"correlated {run.since:%Y-%m-%d %H:%M} .. {run.until:%Y-%m-%d %H:%M} UTC: "
            f"{run.hits} patterns, {len(run.opened)} new incidents, {run.notified} e-mailed"
        )
        for incident in run.opened:
            self.stdout.write(f"  #{incident.pk} {incident.rule_code} {incident.subject}")
