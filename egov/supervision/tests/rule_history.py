"""A small, schema-shaped case history for the pure rule tests (no database).

``clean_events()`` is one approved case that breaks no rule on the weekly-rule
calendar: received Monday 2026-03-02, accepted the next day, decided after 8
of its 10 promised working days, concluded and delivered. Tests change one
thing and look for exactly one rule's hit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from egov.core.calendar import WorkingCalendar
from egov.core.identifiers import resident_id_with_check_digit
from egov.supervision.judging.rules import REGISTRY, Hit
from egov.supervision.judging.rules.facts import CaseFacts, ReferenceFacts, case_facts

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkingCalendar()
NUMBER = "230102202603020000010"
ITEM = "SCJG-001-230102"
DEPARTMENT = "230102-SCJG"
RESIDENT_ID = resident_id_with_check_digit("23010219750312003")
MATERIALS = (("M01", "申请书"), ("M02", "身份证明"), ("M03", "场所证明"))


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def event(
    kind: str, when: dt.datetime, status: str, data: dict[str, Any], actor: str = "clerk_daoli"
) -> dict[str, Any]:
    staff = actor != "applicant"
    return {
        "schema_version": 1,
        "event_id": str(uuid.uuid4()),
        "type": kind,
        "occurred_at": utc(when),
        "case_number": NUMBER,
        "item_code": ITEM,
        "department_code": DEPARTMENT,
        "region_code": "230102",
        "actor": {
            "kind": "staff" if staff else "applicant",
            "id": actor,
            "organisation": DEPARTMENT if staff else "",
        },
        "status": status,
        "data": data,
    }


def material(code: str, name: str) -> dict[str, Any]:
    return {"code": code, "name": name, "file_type": "pdf", "size": 1000, "sha256": "0" * 64}


def submitted(
    materials: tuple[tuple[str, str], ...] = MATERIALS,
    name: str = "张晓明",
    identifier: str = "",
    fees: tuple[tuple[str, int], ...] = (),
) -> dict[str, Any]:
    return event(
        "ApplicationSubmitted",
        at(2, 9),
        "submitted",
        {
            "channel": "online",
            "applicant_kind": "citizen",
            "received_at": utc(at(2, 9)),
            "statutory_limit_days": 20,
            "promised_limit_days": 10,
            "materials": [material(c, n) for c, n in materials],
            "fees": [{"name": n, "amount_fen": a} for n, a in fees],
            "applicant": {
                "kind": "citizen",
                "name": name,
                "id_type": "resident_id",
                "identifier": identifier or RESIDENT_ID,
            },
        },
        "applicant",
    )


def accepted(when: dt.datetime | None = None) -> dict[str, Any]:
    when = when or at(3)
    return event(
        "CaseAccepted",
        when,
        "accepted",
        {"accepted_at": utc(when), "deemed": False, "deadline": "2026-03-17", "limit_days": 10},
    )


def decided(when: dt.datetime | None = None, on_time: bool = True, **extra: Any) -> dict[str, Any]:
    when = when or at(13)
    data = {
        "decision": "approve",
        "licence_number": "JY12301020000001",
        "decided_at": utc(when),
        "working_days_used": 8,
        "on_time": on_time,
    } | extra
    status = "approved" if data["decision"] == "approve" else "denied"
    return event("CaseDecided", when, status, data, "leader_daoli")


def concluded(when: dt.datetime | None = None, on_time: bool = True) -> dict[str, Any]:
    when = when or at(13, 11)
    data = {"concluded_at": utc(when), "decision": "approve", "working_days_used": 8}
    return event("CaseConcluded", when, "concluded", data | {"on_time": on_time})


def delivered(when: dt.datetime | None = None) -> dict[str, Any]:
    when = when or at(16)
    return event(
        "CaseDelivered", when, "delivered", {"method": "online", "delivered_at": utc(when)}
    )


def paid(
    name: str = "工本费",
    amount: int = 2000,
    when: dt.datetime | None = None,
    status: str = "approved",
) -> dict[str, Any]:
    when = when or at(13, 10, 30)
    data = {
        "fee_name": name,
        "amount_fen": amount,
        "receipt_number": f"R{amount}{name}",
        "paid_at": utc(when),
    }
    return event("FeePaid", when, status, data)


def clean_events() -> list[dict[str, Any]]:
    return [submitted(), accepted(), decided(), concluded(), delivered()]


def reference(
    fees: tuple[tuple[str, int, str], ...] = (), materials: tuple[tuple[str, str, bool], ...] = ()
) -> ReferenceFacts:
    materials = materials or tuple((c, n, i < 2) for i, (c, n) in enumerate(MATERIALS))
    return ReferenceFacts(
        code=ITEM,
        name="食品经营许可",
        department_code=DEPARTMENT,
        region_code="230102",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        statutory_limit_days=20,
        promised_limit_days=10,
        fees=tuple({"name": n, "amount_fen": a, "basis": b} for n, a, b in fees),
        materials=tuple({"code": c, "name": n, "required": r} for c, n, r in materials),
    )


def facts(events: list[dict[str, Any]], **kwargs: Any) -> CaseFacts:
    kwargs.setdefault("reference", reference())
    kwargs.setdefault("decider_has_role", True)
    kwargs.setdefault("known_region_codes", {"230102", "230100", "230000"})
    kwargs.setdefault("today", dt.date(2026, 4, 1))
    return case_facts(events, CALENDAR, **kwargs)


def hits(code: str, case: CaseFacts, **params: Any) -> list[Hit]:
    return REGISTRY[code].run(case, params)


def all_hits(case: CaseFacts) -> list[Hit]:
    """Every case rule's hits on ``case`` with default parameters."""
    from egov.supervision.judging.rules import Scope, rules_for

    return [hit for rule in rules_for(Scope.CASE) for hit in rule.run(case)]
