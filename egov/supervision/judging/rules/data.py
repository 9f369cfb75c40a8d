"""资料数据对比 rules: identifiers, contradictions, missing materials, duplicates. Pure.

Identifiers: the resident ID's form, birth date and check character (GB 11643)
and the unified social credit code's check character (GB 32100) come from
``egov.core.identifiers`` (python-stdnum); the address code of either is
checked against the region codes the engine passes in (core's region table,
current and historical codes), never stdnum's dated table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from egov.core.identifiers import IdentifierError, parse_credit_code, parse_resident_id
from egov.supervision.judging.rules.base import Hit, Param, Rule, _, register
from egov.supervision.judging.rules.facts import CaseFacts

LAW = "《中华人民共和国行政许可法》"
IDENTIFIER_INVALID = "data.identifier_invalid"
APPLICANT_INCONSISTENT = "data.applicant_inconsistent"
MATERIALS_MISSING = "data.materials_missing"
DUPLICATE_APPLICATION = "data.duplicate_application"
REFERENCE_MISMATCH = "data.reference_mismatch"


def address_code(id_type: str, identifier: str) -> str:
    """The region code inside an identifier (resident ID: 1-6, credit code: 3-8)."""
    value = (identifier or "").strip().upper()
    return value[:6] if id_type == "resident_id" else value[2:8]


def identifier_problem(
    id_type: str, identifier: str, known: frozenset[str], today: dt.date | None
) -> str | None:
    """Why the identifier is wrong, or None."""
    try:
        if id_type == "resident_id":
            parse_resident_id(identifier, today=today)
        elif id_type == "credit_code":
            parse_credit_code(identifier)
        else:
            return f"unknown identifier type {id_type!r}"
    except IdentifierError as exc:
        return str(exc)
    code = address_code(id_type, identifier)
    if known and code not in known:
        return f"the address code {code} is not a known administrative division"
    return None


def identifier_invalid(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    applicant = facts.applicant
    if not applicant:
        return []
    id_type, identifier = str(applicant.get("id_type", "")), str(applicant.get("identifier", ""))
    problem = identifier_problem(id_type, identifier, facts.known_region_codes, facts.today)
    expected = "resident_id" if applicant.get("kind") == "citizen" else "credit_code"
    if problem is None and params["check_kind"] and applicant.get("kind") and id_type != expected:
        problem = f"a {applicant.get('kind')} applicant identified by {id_type}"
    if problem is None:
        return []
    label = "公民身份号码" if id_type == "resident_id" else "统一社会信用代码"
    return [
        IDENTIFIER_INVALID_RULE.hit(
            f"申请人{label}校验未通过",
            {"id_type": id_type, "identifier_tail": identifier[-4:], "reason": problem},
        )
    ]


def applicant_inconsistent(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    """Same identifier as an earlier case, another name."""
    applicant, received = facts.applicant, facts.received_at
    if not applicant or received is None:
        return []
    name = str(applicant.get("name", "")).strip()
    conflicts = [
        r
        for r in facts.related
        if r.received_at is not None
        and (r.received_at, r.case_number) < (received, facts.case_number)
        and r.applicant_name.strip()
        and r.applicant_name.strip() != name
    ]
    if not conflicts:
        return []
    return [
        APPLICANT_INCONSISTENT_RULE.hit(
            f"同一证件号码的申请人名称与此前办件不一致（本件“{name}”，前件“{conflicts[0].applicant_name}”）",
            {
                "name": name,
                "earlier": [
                    {"case_number": r.case_number, "name": r.applicant_name} for r in conflicts
                ],
            },
        )
    ]


def materials_missing(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    """A decision to approve although a required material was never supplied."""
    reference, decision = facts.reference, facts.last("CaseDecided")
    if reference is None or decision is None:
        return []
    if params["approvals_only"] and decision.get("data", {}).get("decision") != "approve":
        return []
    required = reference.required_materials
    missing = {
        code: name for code, name in required.items() if code not in facts.materials_supplied
    }
    if not missing:
        return []
    return [
        MATERIALS_MISSING_RULE.hit(
            "作出决定时必要申请材料缺失：" + "、".join(missing.values()),
            {"missing": [{"code": c, "name": n} for c, n in sorted(missing.items())]},
        )
    ]


def duplicate_application(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    """The same applicant applied for the same item while an earlier application was open."""
    received = facts.received_at
    if received is None:
        return []
    window = dt.timedelta(days=int(params["window_days"]))
    earlier = [
        r
        for r in facts.related
        if r.item_code == facts.item_code
        and r.received_at is not None
        and (r.received_at, r.case_number) < (received, facts.case_number)
        and received - r.received_at <= window
        and (r.closed_at is None or r.closed_at > received)
    ]
    if not earlier:
        return []
    return [
        DUPLICATE_APPLICATION_RULE.hit(
            f"同一申请人就同一事项重复申请（前件{earlier[0].case_number}尚在办理）",
            {"earlier": [r.case_number for r in earlier], "window_days": params["window_days"]},
        )
    ]


def reference_differences(facts: CaseFacts) -> dict[str, Any]:
    """What the case's submission says that the reference item (and applicant) contradict."""
    reference, submission = facts.reference, facts.submission
    if reference is None or submission is None or not reference.in_force_at(facts.received_at):
        return {}  # no reference, or the item changed after this case was received
    data = submission.get("data", {})
    found: dict[str, Any] = {}
    for name, ours in (
        ("promised_limit_days", reference.promised_limit_days),
        ("statutory_limit_days", reference.statutory_limit_days),
    ):
        if name in data and int(data[name]) != ours:
            found[name] = {"case": data[name], "reference": ours}
    theirs = sorted((str(f.get("name")), int(f.get("amount_fen", 0))) for f in data.get("fees", []))
    ours_fees = sorted((str(f.get("name")), int(f.get("amount_fen", 0))) for f in reference.fees)
    if "fees" in data and theirs != ours_fees:
        found["fees"] = {"case": theirs, "reference": ours_fees}
    applicant = facts.applicant or {}
    if applicant.get("kind") and data.get("applicant_kind") not in (None, applicant.get("kind")):
        found["applicant_kind"] = {
            "case": data.get("applicant_kind"),
            "applicant": applicant["kind"],
        }
    return found


def reference_mismatch(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    """The case's own copy of the item's limits or fees differs from the catalogue."""
    differences = reference_differences(facts)
    if not differences:
        return []
    return [
        REFERENCE_MISMATCH_RULE.hit(
            "办件申报信息与事项基准不一致：" + "、".join(sorted(differences)),
            {"differences": differences},
        )
    ]


IDENTIFIER_INVALID_RULE = register(
    Rule(
        IDENTIFIER_INVALID,
        "data",
        _("证件号码校验失败"),
        "GB 11643《公民身份号码》；GB 32100《法人和其他组织统一社会信用代码编码规则》",
        "yellow",
        identifier_invalid,
        (Param("check_kind", True, _("核对申请人类别与证件类型")),),
        description=_("校验码、出生日期或行政区划代码（对照本平台区划表）不正确。"),
    )
)
APPLICANT_INCONSISTENT_RULE = register(
    Rule(
        APPLICANT_INCONSISTENT,
        "data",
        _("申请人信息前后矛盾"),
        f"{LAW}第三十一条",
        "yellow",
        applicant_inconsistent,
        description=_("同一证件号码在此前办件中登记的名称不同。"),
    )
)
MATERIALS_MISSING_RULE = register(
    Rule(
        MATERIALS_MISSING,
        "data",
        _("必要材料缺失即作决定"),
        f"{LAW}第三十二条、第三十四条",
        "red",
        materials_missing,
        (Param("approvals_only", True, _("仅核查准予许可的决定")),),
        description=_("事项基准的必要材料既未提交、也未经补正收到，即作出决定。"),
    )
)
DUPLICATE_APPLICATION_RULE = register(
    Rule(
        DUPLICATE_APPLICATION,
        "data",
        _("重复申请"),
        "本平台数据比对规则（无直接法条）",
        "info",
        duplicate_application,
        (Param("window_days", 30, _("前后两件间隔（自然日）")),),
        description=_("同一申请人、同一事项，前件尚在办理期间又受理新件。"),
    )
)
REFERENCE_MISMATCH_RULE = register(
    Rule(
        REFERENCE_MISMATCH,
        "data",
        _("办件信息与事项基准不符"),
        "本平台数据比对规则（以事项基准为准）",
        "yellow",
        reference_mismatch,
        description=_(
            "办件所载承诺时限、法定时限、收费项目或申请人类别与事项基准不一致；计时以事项基准为准。"
        ),
    )
)
