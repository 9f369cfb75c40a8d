"""``egov audit verify`` checks the audit chain; ``checkpoint`` anchors its head; ``head``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.core import auditchain
from egov.core.models import AuditEntry
from egov.core.selectors.audit import (
    KeptCheckpoints,
    append_only_guard_installed,
    kept_checkpoints,
    verify_audit_chain,
)
from egov.core.services.audit import take_audit_checkpoint


class Command(BaseCommand):
    help = (
        "Audit chain (审计链): verify it end to end against the kept checkpoints, "
        "anchor its head in a checkpoint, or print its head."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify",
            help="walk the chain, check each entry's MAC and the newest checkpoint; exit 1 "
            "at the first broken entry, on truncation, or when the append-only triggers "
            "are missing",
        )
        verify.add_argument("--chunk-size", type=int, default=2000)
        verify.add_argument(
            "--checkpoint-dir",
            type=Path,
            default=None,
            help="read checkpoint files from here (default: EGOV_AUDIT_CHECKPOINT_DIR)",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="record the head, MAC'd, in the table and the checkpoint file"
        )
        checkpoint.add_argument(
            "--force", action="store_true", help="even if the head is already checkpointed"
        )
        sub.add_parser("head", help="print the last entry's sequence and hash")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "head":
            self.head()
        elif options["subcommand"] == "checkpoint":
            self.checkpoint(force=options["force"])
        else:
            self.verify(options["chunk_size"], options["checkpoint_dir"])

    def head(self) -> None:
        last = AuditEntry.objects.order_by("-sequence").first()
        if last is None:
            self.stdout.write("audit chain is empty")
            return
        self.stdout.write(f"sequence {last.sequence} entry_hash {last.entry_hash}")

    def checkpoint(self, *, force: bool) -> None:
        taken = take_audit_checkpoint(force=force)
        if taken is None:
            self.stdout.write("no new checkpoint: the chain is empty or its head is checkpointed")
            return
        self.stdout.write(
            f"checkpoint: sequence {taken.sequence} head_hash {taken.head_hash} "
            f"taken_at {auditchain.utc_timestamp(taken.taken_at)} kept in {taken.kept_in}"
        )

    def verify(self, chunk_size: int, checkpoint_dir: Path | None) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        guarded = append_only_guard_installed()
        if not guarded:
            self.stderr.write("error: the append-only triggers on core_auditentry are missing")
        kept = kept_checkpoints(checkpoint_dir)
        report = verify_audit_chain(chunk_size=chunk_size, kept=kept)
        broken = report.first_break
        if broken is not None:
            self.stdout.write(
                f"audit chain BROKEN at sequence {broken.sequence} ({broken.kind}): "
                f"{broken.detail}; {report.checked} entries before it are intact"
            )
            raise CommandError(
                f"audit chain broken at sequence {broken.sequence}: {broken.kind}", returncode=1
            )
        self.stdout.write(
            f"audit chain intact: {report.checked} entries, "
            f"head sequence {report.head_sequence} entry_hash {report.head_hash}"
        )
        self.describe_keys_and_anchor(report, kept)
        if not guarded:
            raise CommandError(
                "the append-only triggers on core_auditentry are missing: reinstall them "
                "(migration 0003's install_guard) and find out who removed them",
                returncode=1,
            )

    def describe_keys_and_anchor(
        self, report: auditchain.ChainReport, kept: KeptCheckpoints
    ) -> None:
        """What the keyed part of the check covered, and the window left open."""
        if report.unkeyed:
            self.stdout.write(
                f"unkeyed before sequence {report.unkeyed + 1}: entries 1..{report.unkeyed} "
                "carry no MAC (written before the audit key existed)"
            )
        self.stdout.write(
            f"checkpoints: {kept.in_table} in the table, {kept.in_files} in {kept.directory}"
        )
        anchor = report.anchored_by
        if anchor is None:
            self.stdout.write(
                "not anchored: no checkpoint is kept yet, so removing entries from the end "
                "would go unnoticed (run egov audit checkpoint)"
            )
            return
        self.stdout.write(
            f"anchored: the chain reaches the {anchor.describe()}; "
            f"entries after sequence {anchor.sequence} are not covered by a checkpoint yet"
        )
