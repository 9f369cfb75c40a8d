"""``egov outbox deliver`` runs delivery once; ``egov outbox status`` shows each subscriber."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.core.outbox import deliver_pending
from egov.core.selectors.outbox import outbox_status


class Command(BaseCommand):
    help = "Event outbox (事件发件箱): deliver pending events once, or show subscriber status."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        deliver = sub.add_parser("deliver", help="deliver one batch per subscriber and report")
        deliver.add_argument("--batch-size", type=int, default=500)
        sub.add_parser("status", help="position, pending, retrying and dead letters per subscriber")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "deliver":
            self.deliver(options["batch_size"])
        else:
            self.status()

    def deliver(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        report = deliver_pending(batch_size=batch_size)
        for line in report.subscribers:
            state = (
                "skipped (another worker holds it)"
                if line.skipped
                else (
                    f"delivered {line.delivered}, failed {line.failed}, "
                    f"dead-lettered {line.dead_lettered}, parked behind a failure {line.deferred}"
                )
            )
            self.stdout.write(f"{line.subscriber}: {state}")
        more = "; more pending" if report.more else ""
        self.stdout.write(
            f"total: delivered {report.delivered}, failed {report.failed}, "
            f"dead-lettered {report.dead_lettered}{more}"
        )

    def status(self) -> None:
        rows = outbox_status()
        if not rows:
            self.stdout.write("no subscribers")
            return
        self.stdout.write("subscriber position pending retrying waiting dead_letters")
        for row in rows:
            name = row.name if row.registered else f"{row.name} (not registered)"
            self.stdout.write(
                f"{name} {row.position} {row.pending} {row.retrying} {row.waiting} "
                f"{row.dead_letters}"
            )
