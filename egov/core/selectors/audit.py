"""Audit chain reads (审计查询): the auditor's listing and the chain verification."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet

from egov.core import auditchain
from egov.core.models import AuditCheckpoint, AuditEntry

GUARD_TRIGGERS = {
    "postgresql": ("core_auditentry_no_update_delete", "core_auditentry_no_truncate"),
    "sqlite": ("core_auditentry_no_update", "core_auditentry_no_delete"),
}
TABLE_COPY = "table core_auditcheckpoint"
CHAIN_FIELDS = (
    "sequence",
    "occurred_at",
    "actor",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "summary",
)


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    organisations: Iterable[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries for an auditor (审计员), newest first, filtered as asked.

    ``action`` matches exactly or, ending in ``.``, as a prefix (``"case."``).
    ``organisations`` limits the entries to those organisation codes (the
    caller's scope); None means no limit. The caller checks that the user may
    read the audit trail.
    """
    entries = AuditEntry.objects.order_by("-sequence")
    if actor:
        entries = entries.filter(actor=actor)
    if action:
        entries = (
            entries.filter(action__startswith=action)
            if action.endswith(".")
            else entries.filter(action=action)
        )
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if organisations is not None:
        entries = entries.filter(organisation__in=list(organisations))
    if since is not None:
        entries = entries.filter(occurred_at__gte=since)
    if until is not None:
        entries = entries.filter(occurred_at__lt=until)
    return entries


def audit_key() -> bytes:
    """The audit chain's MAC key (``EGOV_AUDIT_KEY``), refused if too short to be a key."""
    key = str(settings.EGOV_AUDIT_KEY).encode("utf-8")
    if len(key) < auditchain.MIN_KEY_BYTES:
        raise ImproperlyConfigured(
            f"EGOV_AUDIT_KEY must have at least {auditchain.MIN_KEY_BYTES} bytes "
            "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    return key


def chain_records(*, chunk_size: int = 2000) -> Iterator[auditchain.ChainRecord]:
    """Every entry as a plain record, in sequence order, streamed in chunks."""
    rows = (
        AuditEntry.objects.order_by("sequence")
        .values_list(*CHAIN_FIELDS, "previous_hash", "entry_hash", "entry_mac")
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        yield auditchain.ChainRecord(
            fields=auditchain.ChainFields(*row[:8]),
            previous_hash=row[8],
            entry_hash=row[9],
            entry_mac=row[10] or "",
        )


@dataclass(frozen=True)
class KeptCheckpoints:
    """Every kept checkpoint, folded into the anchor verification checks against."""

    anchor: auditchain.Anchor
    rejected: list[auditchain.ChainBreak]
    in_table: int
    in_files: int
    directory: Path


def table_checkpoints() -> Iterator[auditchain.Checkpoint]:
    """The checkpoints kept in the database table, streamed."""
    rows = AuditCheckpoint.objects.values_list("sequence", "head_hash", "taken_at", "mac")
    for sequence, head_hash, taken_at, mac in rows.iterator(chunk_size=2000):
        yield auditchain.Checkpoint(sequence, head_hash, taken_at, mac, TABLE_COPY)


def read_checkpoint_file(path: Path, builder: auditchain.AnchorBuilder) -> int:
    """Add every checkpoint line of one file to ``builder``; the number of lines read."""
    count = 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            count += 1
            try:
                builder.add(auditchain.parse_checkpoint_line(line, f"{path}:{number}"))
            except ValueError as unreadable:
                builder.rejected.append(
                    auditchain.ChainBreak(0, "checkpoint_unreadable", str(unreadable))
                )
    return count


def kept_checkpoints(directory: Path | None = None) -> KeptCheckpoints:
    """The checkpoints in the table and in the directory's ``*.jsonl`` files (ADR 0036).

    ``directory`` defaults to ``EGOV_AUDIT_CHECKPOINT_DIR``; an auditor may point
    it at a copy kept elsewhere. Checkpoints are folded one at a time, so memory
    stays constant whatever their number.
    """
    directory = Path(directory or settings.EGOV_AUDIT_CHECKPOINT_DIR)
    builder = auditchain.AnchorBuilder(audit_key())
    in_table = 0
    for checkpoint in table_checkpoints():
        builder.add(checkpoint)
        in_table += 1
    in_files = 0
    if directory.is_dir():
        for path in sorted(directory.glob("*.jsonl")):
            in_files += read_checkpoint_file(path, builder)
    return KeptCheckpoints(builder.anchor(), builder.rejected, in_table, in_files, directory)


def verify_audit_chain(
    *, chunk_size: int = 2000, kept: KeptCheckpoints | None = None
) -> auditchain.ChainReport:
    """Walk the whole chain in constant memory; the first break, if any (审计链校验).

    Checks the hash chain, each entry's MAC under the audit key, and that the
    chain still reaches the newest kept checkpoint (``kept`` defaults to
    :func:`kept_checkpoints`). A forged or unreadable checkpoint is a break too.
    """
    kept = kept or kept_checkpoints()
    report = auditchain.verify_chain(chain_records(chunk_size=chunk_size), kept.anchor)
    return auditchain.with_rejected_checkpoints(report, kept.rejected)


def append_only_guard_installed() -> bool:
    """Are the database triggers that refuse UPDATE/DELETE on audit entries in place?"""
    names = GUARD_TRIGGERS.get(connection.vendor)
    if names is None:
        return False
    if connection.vendor == "postgresql":
        query = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN (%s, %s)"
    else:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)"
    with connection.cursor() as cursor:
        cursor.execute(query, list(names))
        return cursor.fetchone()[0] == len(names)
