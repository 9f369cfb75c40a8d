"""Case events (办件事件): their names and the envelope every one of them carries.

The envelope and each type's ``data`` are specified in ``docs/case-events.md``
and ``docs/case-events.schema.json`` (JSON Schema 2020-12); external
department systems send the supervision engine the same format.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

SCHEMA_VERSION = 1


class CaseEvent(StrEnum):
    """Case event types, named in the past tense."""

    APPLICATION_SUBMITTED = "ApplicationSubmitted"  # 申请
    CASE_ACCEPTED = "CaseAccepted"  # 受理 (or deemed accepted, 视为受理)
    CASE_REFUSED = "CaseRefused"  # 不予受理
    SUPPLEMENT_REQUESTED = "SupplementRequested"  # 补正告知
    SUPPLEMENT_RECEIVED = "SupplementReceived"  # 补正材料收到
    SPECIAL_PROCEDURE_STARTED = "SpecialProcedureStarted"  # 特别程序开始
    SPECIAL_PROCEDURE_ENDED = "SpecialProcedureEnded"  # 特别程序结束
    CASE_EXTENDED = "CaseExtended"  # 延期
    CASE_DECIDED = "CaseDecided"  # 决定（准予/不予许可）
    CASE_CONCLUDED = "CaseConcluded"  # 办结
    CASE_DELIVERED = "CaseDelivered"  # 送达
    CASE_WITHDRAWN = "CaseWithdrawn"  # 撤回
    CASE_TERMINATED = "CaseTerminated"  # 终止
    FEE_PAID = "FeePaid"  # 缴费


class LicenceEvent(StrEnum):
    """A licence ended before its time (ADR 0058): steps of the case, not of its handling.

    Published through the outbox with the case events' envelope; specified in
    ``docs/licence-events.schema.json``. The supervision engine watches the
    handling of cases and does not subscribe to them.
    """

    LICENCE_REVOKED = "LicenceRevoked"  # 撤销行政许可
    LICENCE_CANCELLED = "LicenceCancelled"  # 注销行政许可


StepEvent = CaseEvent | LicenceEvent


class ActorKind(StrEnum):
    """Who acted: a staff member, the applicant, the platform itself, an external system."""

    STAFF = "staff"
    APPLICANT = "applicant"
    SYSTEM = "system"
    EXTERNAL = "external"


def utc_text(instant: dt.datetime) -> str:
    """An instant as RFC 3339 UTC text with a Z."""
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def envelope(
    *,
    event_type: StepEvent,
    occurred_at: dt.datetime,
    case: dict[str, str],
    actor: dict[str, str],
    status: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    """One case event: the common envelope and the type-specific ``data``.

    ``case`` holds ``case_number``, ``item_code``, ``department_code`` and
    ``region_code``; ``actor`` holds ``kind``, ``id`` and ``organisation``.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "event_id": str(uuid.uuid4()),
        "type": event_type.value,
        "occurred_at": utc_text(occurred_at),
        **case,
        "actor": actor,
        "status": status,
        "data": data,
    }


ITEM_PUBLISHED = "ItemPublished"  # 事项发布: a catalogue item created or changed


def item_published(
    *, item: Any, department_code: str, region_code: str, occurred_at: dt.datetime, actor: str
) -> dict[str, Any]:
    """The ItemPublished event of a catalogue item (aggregate: the item code).

    It has no case number nor status; ``data`` is the item as the supervision
    engine keeps it (docs/case-events.md, "Catalogue events").
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "event_id": str(uuid.uuid4()),
        "type": ITEM_PUBLISHED,
        "occurred_at": utc_text(occurred_at),
        "item_code": item.code,
        "department_code": department_code,
        "region_code": region_code,
        "actor": {"kind": ActorKind.SYSTEM.value, "id": actor, "organisation": ""},
        "data": {
            "code": item.code,
            "name": item.name,
            "kind": item.kind,
            "department_code": department_code,
            "region_code": region_code,
            "legal_basis": item.legal_basis,
            "statutory_limit_days": item.statutory_limit_days,
            "promised_limit_days": item.promised_limit_days,
            "fees": [
                {"name": f["name"], "amount_fen": f["amount_fen"], "basis": f.get("basis", "")}
                for f in item.fees
            ],
            "materials": [
                {"code": m["code"], "name": m["name"], "required": bool(m.get("mandatory"))}
                for m in item.materials
            ],
        },
    }
