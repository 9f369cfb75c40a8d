"""事前 catalogue rules over the reference items (事项基准): limits, basis, fee basis. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egov.supervision.judging.rules.base import Hit, Rule, Scope, _, register
from egov.supervision.judging.rules.facts import ReferenceFacts

LAW = "《中华人民共和国行政许可法》"
PROMISED_OVER_STATUTORY = "catalogue.promised_over_statutory"
NO_LEGAL_BASIS = "catalogue.no_legal_basis"
FEE_WITHOUT_BASIS = "catalogue.fee_without_basis"


def promised_over_statutory(item: ReferenceFacts, params: Mapping[str, Any]) -> list[Hit]:
    if item.promised_limit_days <= item.statutory_limit_days:
        return []
    return [
        PROMISED_OVER_STATUTORY_RULE.hit(
            f"承诺时限{item.promised_limit_days}日长于法定时限{item.statutory_limit_days}日",
            {"promised": item.promised_limit_days, "statutory": item.statutory_limit_days},
        )
    ]


def no_legal_basis(item: ReferenceFacts, params: Mapping[str, Any]) -> list[Hit]:
    if item.legal_basis.strip():
        return []
    return [NO_LEGAL_BASIS_RULE.hit("事项未载明设定依据", {"legal_basis": item.legal_basis})]


def fee_without_basis(item: ReferenceFacts, params: Mapping[str, Any]) -> list[Hit]:
    return [
        FEE_WITHOUT_BASIS_RULE.hit(
            f"收费项目“{fee.get('name')}”无收费依据",
            {"fee": fee.get("name"), "amount_fen": fee.get("amount_fen")},
            str(fee.get("name")),
        )
        for fee in item.fees
        if not str(fee.get("basis", "")).strip()
    ]


PROMISED_OVER_STATUTORY_RULE = register(
    Rule(
        PROMISED_OVER_STATUTORY,
        "catalogue",
        _("承诺时限长于法定时限"),
        f"{LAW}第四十二条",
        "red",
        promised_over_statutory,
        scope=Scope.ITEM,
        description=_("承诺时限只能短于或等于法定时限。"),
    )
)
NO_LEGAL_BASIS_RULE = register(
    Rule(
        NO_LEGAL_BASIS,
        "catalogue",
        _("缺少设定依据"),
        f"{LAW}第十四条、第十五条",
        "red",
        no_legal_basis,
        scope=Scope.ITEM,
        description=_("行政许可须由法律、法规（或省级政府规章临时）设定，事项应载明设定依据。"),
    )
)
FEE_WITHOUT_BASIS_RULE = register(
    Rule(
        FEE_WITHOUT_BASIS,
        "catalogue",
        _("收费无依据"),
        f"{LAW}第五十八条",
        "red",
        fee_without_basis,
        scope=Scope.ITEM,
        description=_("依照法律、行政法规收取费用的，应当按照公布的法定项目和标准收费。"),
    )
)
