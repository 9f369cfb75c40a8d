"""Helpers of the audit chain tests: entries, tampering as a DBA would, running verify."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import UTC, datetime
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from egov.core import auditchain
from egov.core.models import AuditEntry
from egov.core.services.audit import record_audit

trigger_migration = importlib.import_module("egov.core.migrations.0003_audit_append_only_trigger")

# Checkpoints are taken at stated moments, never at the real clock's.
CHECKPOINT_TIME = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
ANOTHER_KEY = b"not-the-platform-audit-key-but-32-bytes-long!"

INSERT_ENTRY = (
    "INSERT INTO core_auditentry (sequence, occurred_at, actor, organisation, action,"
    " object_type, object_id, summary, previous_hash, entry_hash, entry_mac)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def record_entries(count: int, first: int = 1) -> list[AuditEntry]:
    """``count`` ordinary entries, as services write them."""
    return [
        record_audit(actor="system", action="case.accepted", object_id=f"HL-{n}", summary="受理")
        for n in range(first, first + count)
    ]


def tamper_as_dba(statement: str, params: list | None = None) -> None:
    """Drop the append-only triggers, run raw SQL against the audit tables, put them back."""
    trigger_migration.remove_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
    trigger_migration.install_guard(connection)


def append_forged_entry(after: AuditEntry, mac: str | None) -> str:
    """Append an entry after ``after`` with a correct SM3 chain hash, as someone who
    knows the algorithm but not the key would; the forged entry's hash."""
    fields = auditchain.ChainFields(
        after.sequence + 1, after.occurred_at, "system", "", "case.approved", "", "HL-X", "伪造"
    )
    digest = auditchain.entry_hash(after.entry_hash, fields)
    row = [fields.sequence, fields.occurred_at, "system", "", "case.approved", "", "HL-X", "伪造"]
    with connection.cursor() as cursor:
        cursor.execute(INSERT_ENTRY, [*row, after.entry_hash, digest, mac])
    return digest


@dataclass(frozen=True)
class Verified:
    """What ``egov audit verify`` printed and how it ended."""

    output: str
    errors: str
    failure: CommandError | None

    @property
    def exit_code(self) -> int:
        return 0 if self.failure is None else self.failure.returncode


def verify(*args: str) -> Verified:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", "--chunk-size", "2", *args, stdout=out, stderr=err)
    except CommandError as failure:
        return Verified(out.getvalue(), err.getvalue(), failure)
    return Verified(out.getvalue(), err.getvalue(), None)
