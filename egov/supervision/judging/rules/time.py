"""时限判别 rules: acceptance, promised and statutory limits, special procedures, claims. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from egov.supervision.judging.rules.base import Hit, Param, Rule, _, register
from egov.supervision.judging.rules.facts import CaseFacts

LAW = "《中华人民共和国行政许可法》"

ACCEPTANCE_LATE = "time.acceptance_late"
PROMISED_OVERDUE = "time.promised_overdue"
STATUTORY_OVERDUE = "time.statutory_overdue"
SPECIAL_PROCEDURE_OVERDUE = "time.special_procedure_overdue"
CLAIM_MISMATCH = "time.claim_mismatch"


def acceptance_late(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    """Accepted or refused (not deemed) after the acceptance window closed."""
    clock = facts.clock
    if clock.answered_on is None or clock.deemed or clock.acceptance_due is None:
        return []
    grace = int(params["grace_days"])
    if clock.answered_on <= clock.acceptance_due:
        return []
    late_by = (clock.answered_on - clock.acceptance_due).days
    if late_by <= grace:
        return []
    return [
        ACCEPTANCE_LATE_RULE.hit(
            f"收件后超过5个工作日才作出受理决定（应于{clock.acceptance_due}前，实际{clock.answered_on}）",
            {
                "received_on": str(clock.received_on),
                "acceptance_due": str(clock.acceptance_due),
                "answered_on": str(clock.answered_on),
            },
        )
    ]


def overdue_hit(facts: CaseFacts, rule: Rule, limit: int | None, label: str) -> list[Hit]:
    clock = facts.clock
    used = clock.working_days_used
    if used is None or limit is None or used <= limit:
        return []
    return [
        rule.hit(
            f"超{label}：用时{used}个工作日，时限{limit}个工作日（含延长{facts.extension_days}日）",
            {
                "working_days_used": used,
                "limit_days": limit,
                "extension_days": facts.extension_days,
                "decided_on": str(clock.decided_on),
                "deadline": str(clock.deadline),
            },
        )
    ]


def promised_overdue(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    limit = facts.clock.limit_days
    return overdue_hit(
        facts,
        PROMISED_OVERDUE_RULE,
        None if limit is None else limit + params["grace_days"],
        "承诺时限",
    )


def statutory_overdue(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    return overdue_hit(facts, STATUTORY_OVERDUE_RULE, facts.clock.statutory_days, "法定时限")


def special_procedure_overdue(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    hits = []
    for suspension in facts.suspensions:
        if suspension.kind == "supplement" or suspension.working_days is None:
            continue
        limit = suspension.limit_days or int(params["default_limit_days"])
        if suspension.working_days > limit:
            hits.append(
                SPECIAL_PROCEDURE_OVERDUE_RULE.hit(
                    f"特别程序（{suspension.kind}）用时{suspension.working_days}个工作日，超过其时限{limit}个工作日",
                    {
                        "procedure": suspension.kind,
                        "working_days": suspension.working_days,
                        "limit_days": limit,
                        "started": suspension.started.isoformat(),
                        "ended": suspension.ended.isoformat() if suspension.ended else None,
                    },
                    discriminator=f"{suspension.kind}:{suspension.started.isoformat()}",
                )
            )
    return hits


def claim_mismatch(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    """The department reported on time, the engine's own count says late (or the reverse)."""
    ours, claimed = facts.clock.on_time, facts.claimed_on_time
    if ours is None or claimed is None or ours == claimed:
        return []
    if ours and not params["report_understated"]:
        return []
    return [
        CLAIM_MISMATCH_RULE.hit(
            "部门报送“按时办结”，监察系统独立计算为超期"
            if claimed
            else "部门报送“超期”，监察系统独立计算为按时",
            {
                "claimed_on_time": claimed,
                "engine_on_time": ours,
                "working_days_used": facts.clock.working_days_used,
                "limit_days": facts.clock.limit_days,
            },
        )
    ]


ACCEPTANCE_LATE_RULE = register(
    Rule(
        ACCEPTANCE_LATE,
        "time",
        _("受理超期"),
        f"{LAW}第三十二条",
        "yellow",
        acceptance_late,
        (Param("grace_days", 0, _("宽限自然日数")),),
        description=_("收件后5个工作日内应作出受理或不予受理决定（补正期间不计）。"),
    )
)
PROMISED_OVERDUE_RULE = register(
    Rule(
        PROMISED_OVERDUE,
        "time",
        _("超承诺时限"),
        "政务服务承诺时限；" + f"{LAW}第四十二条",
        "yellow",
        promised_overdue,
        (Param("grace_days", 0, _("宽限工作日数")),),
        description=_("受理至决定所用工作日（扣除补正、特别程序）超过承诺时限加延长期限。"),
    )
)
STATUTORY_OVERDUE_RULE = register(
    Rule(
        STATUTORY_OVERDUE,
        "time",
        _("超法定时限"),
        f"{LAW}第四十二条、第四十五条",
        "red",
        statutory_overdue,
        description=_(
            "受理至决定所用工作日超过法定时限（20日，经批准延长10日）；听证、检验检测等不计入。"
        ),
    )
)
SPECIAL_PROCEDURE_OVERDUE_RULE = register(
    Rule(
        SPECIAL_PROCEDURE_OVERDUE,
        "time",
        _("特别程序超时"),
        f"{LAW}第四十五条",
        "yellow",
        special_procedure_overdue,
        (Param("default_limit_days", 30, _("未报时限时的默认时限（工作日）")),),
        description=_("听证、检验检测、专家评审、现场核查各有其时限，超过即为发现。"),
    )
)
CLAIM_MISMATCH_RULE = register(
    Rule(
        CLAIM_MISMATCH,
        "time",
        _("按时报送与监察判定不符"),
        f"{LAW}第四十二条",
        "red",
        claim_mismatch,
        (Param("report_understated", False, _("部门自报超期而实际按时也列为发现")),),
        description=_("部门报送的“按时”与监察系统依事件独立计算的结果不一致。"),
    )
)
