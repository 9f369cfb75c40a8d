"""Audit chain writes (审计链): append one entry, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from egov.core import auditchain
from egov.core.journal import lock_journal
from egov.core.models import AuditEntry

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
    so concurrent appends cannot fork the chain.
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
    with transaction.atomic():
        lock_journal()
        tail = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        fields = auditchain.ChainFields(
            sequence=tail["sequence"] + 1 if tail else auditchain.FIRST_SEQUENCE,
            occurred_at=timezone.now(),
            **values,
        )
        previous_hash = tail["entry_hash"] if tail else auditchain.GENESIS_HASH
        entry = AuditEntry(
            sequence=fields.sequence,
            occurred_at=fields.occurred_at,
            previous_hash=previous_hash,
            entry_hash=auditchain.entry_hash(previous_hash, fields),
            **values,
        )
        entry.save()
    return entry
