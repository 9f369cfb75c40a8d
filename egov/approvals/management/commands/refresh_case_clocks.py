"""``egov refresh_case_clocks``: bring every open case's stored clock up to today (ADR 0047).

Run once a day just after midnight (Asia/Shanghai); the huey task
``refresh_case_clocks_daily`` does the same. ``--all`` recomputes every open
case in Python (after a migration, or to check the set-based refresh).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.approvals.services.clocks import recompute_case_clocks, refresh_case_clocks


class Command(BaseCommand):
    help = "Bring every open case's stored clock (deadline, days left, light) up to today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="recompute every open case in Python"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["all"]:
            self.stdout.write(f"recomputed: {recompute_case_clocks()}")
        else:
            counts = refresh_case_clocks()
            self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
        self.stdout.write(f"seconds: {time.perf_counter() - started:.2f}")
