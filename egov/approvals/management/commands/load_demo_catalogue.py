"""``egov load_demo_catalogue``: the demo service catalogue for every existing department."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.approvals.demo import load_demo_catalogue


class Command(BaseCommand):
    help = "Load the demo service catalogue (演示事项清单); idempotent. Load the demo data first."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo_catalogue()
        self.stdout.write(f"catalogue items created: {created}")
