"""``egov rebuild_supervision_rollups [--day YYYY-MM-DD]``: recompute the daily roll-ups.

The dashboards' daily figures (ADR 0050) recomputed from the supervised cases:
one local day's received and decided rows (``--day``), or every day, and the
open-light snapshot. Ingest and the scan keep them current; this command is for
cases written around them (a bulk load, a repair) and for a check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.supervision.statistics.rollups import rebuild_rollups


class Command(BaseCommand):
    help = "Recompute the supervision dashboards' daily roll-ups from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", default="", help="one local day, YYYY-MM-DD (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError("--day: expected YYYY-MM-DD") from None
        counts = rebuild_rollups(day)
        self.stdout.write(
            f"rebuilt {day or 'every day'}: received-day rows {counts['received_days']}, "
            f"decided-day rows {counts['decided_days']}, open-light rows {counts['open_lights']}"
        )
