"""收费监督 rules: fees off the catalogue, above the standard, on free items or closed cases.

Refunds: the case-event contract has no refund event yet, so a refund shows
only as a ``FeeRefunded`` event (same data as ``FeePaid``) if a source sends
one. "Refund not made" is defined as: fees were paid on a case that ended
denied or terminated (by default; the ``refundable_statuses`` parameter) and
no refund of that amount was recorded. A case that was refused or withdrawn
never reached a decision, so any fee on it is its own finding
(``fee.on_unaccepted_case``) rather than a missing refund.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egov.supervision.judging.rules.base import Hit, Param, Rule, _, register
from egov.supervision.judging.rules.facts import CaseFacts

LAW = "《中华人民共和国行政许可法》"
NOT_IN_CATALOGUE = "fee.not_in_catalogue"
OVER_STANDARD = "fee.over_standard"
FREE_ITEM = "fee.free_item"
ON_UNACCEPTED = "fee.on_unaccepted_case"
REFUND_MISSING = "fee.refund_missing"


def payment_evidence(payment: Mapping[str, Any]) -> dict[str, Any]:
    data = payment.get("data", {})
    return {
        "fee_name": data.get("fee_name"),
        "amount_fen": data.get("amount_fen"),
        "receipt_number": data.get("receipt_number"),
        "paid_at": data.get("paid_at") or payment.get("occurred_at"),
    }


def receipt(payment: Mapping[str, Any]) -> str:
    return str(payment.get("data", {}).get("receipt_number", payment.get("event_id", "")))


def not_in_catalogue(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    reference = facts.reference
    if reference is None or not reference.fees:
        return []
    return [
        NOT_IN_CATALOGUE_RULE.hit(
            f"收取了事项收费清单以外的费用“{p['data'].get('fee_name')}”",
            payment_evidence(p) | {"catalogue_fees": [f.get("name") for f in reference.fees]},
            receipt(p),
        )
        for p in facts.payments
        if reference.fee_standard(str(p.get("data", {}).get("fee_name"))) is None
    ]


def over_standard(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    reference = facts.reference
    if reference is None:
        return []
    hits = []
    for payment in facts.payments:
        data = payment.get("data", {})
        standard = reference.fee_standard(str(data.get("fee_name")))
        amount = int(data.get("amount_fen", 0))
        if standard is not None and amount > standard + int(params["tolerance_fen"]):
            hits.append(
                OVER_STANDARD_RULE.hit(
                    f"“{data.get('fee_name')}”收费{amount / 100:.2f}元，"
                    f"高于标准{standard / 100:.2f}元",
                    payment_evidence(payment) | {"standard_fen": standard},
                    receipt(payment),
                )
            )
    return hits


def free_item(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    reference = facts.reference
    if reference is None or reference.fees:
        return []
    return [
        FREE_ITEM_RULE.hit(
            f"不收费事项收取了费用“{p['data'].get('fee_name')}”",
            payment_evidence(p),
            receipt(p),
        )
        for p in facts.payments
    ]


def on_unaccepted_case(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    if facts.outcome not in ("refused", "withdrawn") or not facts.payments:
        return []
    return [
        ON_UNACCEPTED_RULE.hit(
            "不予受理或已撤回的申请被收取费用",
            {"outcome": facts.outcome, "payments": [payment_evidence(p) for p in facts.payments]},
        )
    ]


def refund_missing(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    if facts.outcome not in params["refundable_statuses"] or not facts.payments:
        return []
    paid = sum(int(p.get("data", {}).get("amount_fen", 0)) for p in facts.payments)
    refunded = sum(int(r.get("data", {}).get("amount_fen", 0)) for r in facts.refunds)
    if refunded >= paid:
        return []
    return [
        REFUND_MISSING_RULE.hit(
            f"办件以“{facts.outcome}”结束，已收费用{paid / 100:.2f}元未见退还",
            {"outcome": facts.outcome, "paid_fen": paid, "refunded_fen": refunded},
        )
    ]


NOT_IN_CATALOGUE_RULE = register(
    Rule(
        NOT_IN_CATALOGUE,
        "fee",
        _("收费项目不在目录内"),
        f"{LAW}第五十八条、第五十九条",
        "red",
        not_in_catalogue,
        description=_("缴费项目名称不在事项基准的收费清单中。"),
    )
)
OVER_STANDARD_RULE = register(
    Rule(
        OVER_STANDARD,
        "fee",
        _("超标准收费"),
        f"{LAW}第五十九条",
        "red",
        over_standard,
        (Param("tolerance_fen", 0, _("允许误差（分）")),),
        description=_("缴费金额高于事项基准规定的收费标准。"),
    )
)
FREE_ITEM_RULE = register(
    Rule(
        FREE_ITEM,
        "fee",
        _("不收费事项收费"),
        f"{LAW}第五十八条",
        "red",
        free_item,
        description=_("事项基准无收费项目（不得收取任何费用），却有缴费记录。"),
    )
)
ON_UNACCEPTED_RULE = register(
    Rule(
        ON_UNACCEPTED,
        "fee",
        _("不予受理或撤回案件收费"),
        f"{LAW}第五十八条",
        "red",
        on_unaccepted_case,
        description=_("申请未被受理（不予受理、撤回）却有缴费记录。"),
    )
)
REFUND_MISSING_RULE = register(
    Rule(
        REFUND_MISSING,
        "fee",
        _("应退未退"),
        f"{LAW}第五十八条",
        "yellow",
        refund_missing,
        (Param("refundable_statuses", ("denied", _("terminated")), "应退费的结束状态"),),
        description=_("办件以不予许可或终止结束，已收费用未记录退还（FeeRefunded）。"),
    )
)
