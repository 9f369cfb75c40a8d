"""``egov audit verify`` checks the audit chain; ``egov audit head`` prints its tail."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.core.models import AuditEntry
from egov.core.selectors.audit import append_only_guard_installed, verify_audit_chain


class Command(BaseCommand):
    help = "Audit chain (审计链): verify it end to end, or print its head to keep elsewhere."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="walk the chain; exit 1 at the first broken entry")
        verify.add_argument("--chunk-size", type=int, default=2000)
        sub.add_parser("head", help="print the last entry's sequence and hash")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "head":
            self.head()
        else:
            self.verify(options["chunk_size"])

    def head(self) -> None:
        last = AuditEntry.objects.order_by("-sequence").first()
        if last is None:
            self.stdout.write("audit chain is empty")
            return
        self.stdout.write(f"sequence {last.sequence} entry_hash {last.entry_hash}")

    def verify(self, chunk_size: int) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        if not append_only_guard_installed():
            self.stderr.write("warning: the append-only triggers on core_auditentry are missing")
        report = verify_audit_chain(chunk_size=chunk_size)
        broken = report.first_break
        if broken is None:
            self.stdout.write(
                f"audit chain intact: {report.checked} entries, "
                f"head sequence {report.head_sequence} entry_hash {report.head_hash}"
            )
            return
        self.stdout.write(
            f"audit chain BROKEN at sequence {broken.sequence} ({broken.kind}): {broken.detail}; "
            f"{report.checked} entries before it are intact"
        )
        raise CommandError(
            f"audit chain broken at sequence {broken.sequence}: {broken.kind}", returncode=1
        )
