"""Audit chain writes (审计链): append one entry, in the caller's transaction; checkpoints."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from egov.core import auditchain
from egov.core.journal import lock_journal
from egov.core.models import AuditCheckpoint, AuditEntry
from egov.core.selectors.audit import audit_key

# Field limits, as in the model; checked here so the error names the field.
FIELD_LIMITS = {"actor": 150, "organisation": 32, "action": 64, "object_type": 64, "object_id": 128}


def actor_identity(actor: Any, organisation: str) -> tuple[str, str]:
    """The actor's name and organisation code as the chain records them.

    A user is recorded by username, with their staff organisation's code unless
    ``organisation`` is given; anything else (``"system"``, an external system's
    code) is recorded as the string it is.
    """
    username = getattr(actor, "get_username", None)
    if username is None:
        return str(actor or ""), organisation
    if not organisation:
        staff = getattr(actor, "staff", None) if getattr(actor, "pk", None) else None
        organisation = staff.organisation.code if staff is not None else ""
    return username(), organisation


def check_fields(values: dict[str, str]) -> None:
    """Refuse an entry with a missing actor or action or an over-long field."""
    errors: dict[str, str] = {}
    for name in ("actor", "action"):
        if not values[name].strip():
            errors[name] = "required: the audit chain records who did what"
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit:
            errors.setdefault(name, f"at most {limit} characters, got {len(values[name])}")
    if errors:
        raise ValidationError(errors)


def record_audit(
    *,
    actor: Any,
    action: str,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    organisation: str = "",
) -> AuditEntry:
    """Append one entry to the audit chain (记录审计), in the caller's transaction.

    ``actor`` is a User or a string such as ``"system"``. Runs in a plain
    ``atomic`` block, so it nests in the caller's transaction and is rolled back
    with it. Appends are serialised (the journal lock on PostgreSQL, IMMEDIATE
    transactions on SQLite), and the unique sequence and hash are the backstop,
    so concurrent appends cannot fork the chain. The entry carries HMAC-SM3 of
    its hash under the audit key (ADR 0036): one HMAC, no extra query.
    """
    actor_name, organisation_code = actor_identity(actor, organisation)
    values = {
        "actor": actor_name,
        "organisation": str(organisation_code),
        "action": str(action),
        "object_type": str(object_type),
        "object_id": str(object_id),
        "summary": str(summary),
    }
    check_fields(values)
    key = audit_key()
    with transaction.atomic():
        lock_journal()
        tail = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        fields = auditchain.ChainFields(
            sequence=tail["sequence"] + 1 if tail else auditchain.FIRST_SEQUENCE,
            occurred_at=timezone.now(),
            **values,
        )
        previous_hash = tail["entry_hash"] if tail else auditchain.GENESIS_HASH
        digest = auditchain.entry_hash(previous_hash, fields)
        entry = AuditEntry(
            sequence=fields.sequence,
            occurred_at=fields.occurred_at,
            previous_hash=previous_hash,
            entry_hash=digest,
            entry_mac=auditchain.entry_mac(key, digest),
            **values,
        )
        entry.save()
    return entry


def record_audits(*, entries: list[dict[str, Any]]) -> list[AuditEntry]:
    """Append several entries to the audit chain at once, in order (批量记录审计).

    Each entry is a dict of :func:`record_audit`'s keyword arguments. The same
    chain as calling :func:`record_audit` on each in turn (one lock, one read
    of the tail, one INSERT of all rows), in the caller's transaction. A bad
    entry raises ``ValidationError`` before anything is written.
    """
    if not entries:
        return []
    rows: list[dict[str, str]] = []
    for entry in entries:
        actor_name, organisation_code = actor_identity(
            entry["actor"], str(entry.get("organisation", ""))
        )
        values = {
            "actor": actor_name,
            "organisation": str(organisation_code),
            "action": str(entry["action"]),
            "object_type": str(entry.get("object_type", "")),
            "object_id": str(entry.get("object_id", "")),
            "summary": str(entry.get("summary", "")),
        }
        check_fields(values)
        rows.append(values)
    key = audit_key()
    with transaction.atomic():
        lock_journal()
        tail = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        sequence = tail["sequence"] if tail else auditchain.FIRST_SEQUENCE - 1
        previous_hash = tail["entry_hash"] if tail else auditchain.GENESIS_HASH
        now = timezone.now()
        made: list[AuditEntry] = []
        for values in rows:
            sequence += 1
            fields = auditchain.ChainFields(sequence=sequence, occurred_at=now, **values)
            digest = auditchain.entry_hash(previous_hash, fields)
            made.append(
                AuditEntry(
                    sequence=sequence,
                    occurred_at=now,
                    previous_hash=previous_hash,
                    entry_hash=digest,
                    entry_mac=auditchain.entry_mac(key, digest),
                    **values,
                )
            )
            previous_hash = digest
        # The model's manager refuses bulk_create from other code: entries must be
        # chained. These are, just above, so they go in through a plain queryset.
        QuerySet[AuditEntry](model=AuditEntry).bulk_create(made)
    return made


def checkpoint_file(directory: Path, taken_at: datetime) -> Path:
    """The month's checkpoint file: JSON lines, only ever appended to."""
    return directory / f"audit-checkpoints-{taken_at:%Y-%m}.jsonl"


def append_checkpoint_file(directory: Path, checkpoint: auditchain.Checkpoint) -> Path:
    """Append one line in one ``write`` (O_APPEND: whole lines, whoever writes at once)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = checkpoint_file(directory, checkpoint.taken_at)
    line = auditchain.checkpoint_line(checkpoint).encode("ascii")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return path


def head_already_checkpointed(sequence: int, head_hash: str) -> bool:
    """Does the newest checkpoint in the table already record this head?"""
    newest = AuditCheckpoint.objects.values("sequence", "head_hash").first()
    return newest == {"sequence": sequence, "head_hash": head_hash}


def take_audit_checkpoint(
    *, taken_at: datetime | None = None, force: bool = False
) -> auditchain.Checkpoint | None:
    """Anchor the chain's head (审计链检查点): a MAC'd checkpoint in the table and a file.

    Nothing is written for an empty chain, nor (unless ``force``) when the newest
    checkpoint already records the current head, so the periodic task is
    idempotent. The file line is written last inside the transaction: if it
    fails, no table row is left claiming a checkpoint the file lacks.
    """
    head = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
    if head is None:
        return None
    if not force and head_already_checkpointed(head["sequence"], head["entry_hash"]):
        return None
    checkpoint = auditchain.make_checkpoint(
        audit_key(), head["sequence"], head["entry_hash"], taken_at or timezone.now()
    )
    with transaction.atomic():
        AuditCheckpoint.objects.create(
            sequence=checkpoint.sequence,
            head_hash=checkpoint.head_hash,
            taken_at=checkpoint.taken_at,
            mac=checkpoint.mac,
        )
        path = append_checkpoint_file(Path(settings.EGOV_AUDIT_CHECKPOINT_DIR), checkpoint)
    return replace(checkpoint, kept_in=str(path))
