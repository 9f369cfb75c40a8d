"""Audit chain reads (审计查询): the auditor's listing and the chain verification."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from egov.core import auditchain
from egov.core.models import AuditEntry

GUARD_TRIGGERS = {
    "postgresql": ("core_auditentry_no_update_delete", "core_auditentry_no_truncate"),
    "sqlite": ("core_auditentry_no_update", "core_auditentry_no_delete"),
}
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


def chain_records(*, chunk_size: int = 2000) -> Iterator[auditchain.ChainRecord]:
    """Every entry as a plain record, in sequence order, streamed in chunks."""
    rows = (
        AuditEntry.objects.order_by("sequence")
        .values_list(*CHAIN_FIELDS, "previous_hash", "entry_hash")
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        yield auditchain.ChainRecord(
            fields=auditchain.ChainFields(*row[:8]),
            previous_hash=row[8],
            entry_hash=row[9],
        )


def verify_audit_chain(*, chunk_size: int = 2000) -> auditchain.ChainReport:
    """Walk the whole chain in constant memory; the first break, if any (审计链校验)."""
    return auditchain.verify_chain(chain_records(chunk_size=chunk_size))


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
