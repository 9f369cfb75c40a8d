"""异常处理监督 rules: skipped steps, deciders without the role, timestamps, repeated 补正,
overlong suspensions, status reversals, missing decision documents, night-time bursts. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from egov.supervision.judging.rules.base import Hit, Param, Rule, Scope, _, register
from egov.supervision.judging.rules.facts import (
    SHANGHAI,
    CaseFacts,
    Closure,
    DepartmentDayFacts,
    parse_instant,
)

LAW = "《中华人民共和国行政许可法》"
STEPS_SKIPPED = "irregular.steps_skipped"
DECIDER_WITHOUT_ROLE = "irregular.decider_without_role"
TIMESTAMPS = "irregular.timestamps"
REPEATED_SUPPLEMENT = "irregular.repeated_supplement"
SUSPENSION_OVERLONG = "irregular.suspension_overlong"
STATUS_REVERSAL = "irregular.status_reversal"
NO_DECISION_DOCUMENT = "irregular.no_decision_document"
NIGHT_CLOSURES = "irregular.night_closures"

# Each step needs the one before it: (step, the steps any of which must precede it, label).
PREREQUISITES = (
    ("CaseDecided", ("CaseAccepted",), "未受理即作出决定"),
    ("CaseConcluded", ("CaseDecided",), "未作决定即办结"),
    ("CaseDelivered", ("CaseConcluded",), "未办结即送达"),
    ("CaseExtended", ("CaseAccepted",), "未受理即延期"),
    ("SpecialProcedureStarted", ("CaseAccepted",), "未受理即启动特别程序"),
)
# The stage each status belongs to; a case never goes back to an earlier stage.
# 补正 and special procedures pause a stage and are not ranked.
STAGES = {
    "submitted": 0,
    "accepted": 1,
    "approved": 2,
    "denied": 2,
    "concluded": 3,
    "delivered": 4,
    "refused": 5,
    "withdrawn": 5,
    "terminated": 5,
}
DATA_TIMES = {
    "CaseAccepted": "accepted_at",
    "CaseDecided": "decided_at",
    "CaseConcluded": "concluded_at",
    "CaseDelivered": "delivered_at",
    "FeePaid": "paid_at",
}
# Departments' live feeds; our approvals publish in the step's transaction: their lag is ours.
LIVE_SOURCES = ("api", "exchange")


def steps_skipped(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    if not facts.has("ApplicationSubmitted"):
        return []  # incomplete: judged once the submission arrives
    hits = []
    for step, needs, label in PREREQUISITES:
        if facts.has(step) and not any(facts.has(need) for need in needs):
            hits.append(STEPS_SKIPPED_RULE.hit(label, {"step": step, "missing": list(needs)}, step))
    return hits


def decider_without_role(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    decider = facts.decider
    if decider is None or decider.has_role:
        return []
    if decider.kind == "external" and params["trust_external"]:
        return []
    reason = (
        "决定人账号在本平台不存在"
        if decider.has_role is None
        else "决定人当时不具有该部门的决定（领导）角色"
    )
    return [
        DECIDER_WITHOUT_ROLE_RULE.hit(
            f"无权人员作出决定：{decider.username}（{reason}）",
            {
                "actor_kind": decider.kind,
                "actor": decider.username,
                "organisation": decider.organisation,
                "known_account": decider.has_role is not None,
            },
        )
    ]


def timestamp_problems(
    event: Mapping[str, Any], facts: CaseFacts, params: Mapping[str, Any]
) -> list[str]:
    at = parse_instant(event.get("occurred_at"))
    if at is None:
        return []
    problems = []
    field = DATA_TIMES.get(str(event.get("type")))
    stated = parse_instant(event.get("data", {}).get(field)) if field else None
    tolerance = dt.timedelta(hours=float(params["tolerance_hours"]))
    if stated is not None and stated < at - tolerance:
        problems.append(f"{field} {stated.isoformat()} 早于记录时间 {at.isoformat()}（倒签）")
    if stated is not None and stated > at + tolerance:
        problems.append(f"{field} {stated.isoformat()} 晚于记录时间 {at.isoformat()}")
    received, source = facts.received.get(str(event.get("event_id")), (None, ""))
    if received is not None:
        skew = dt.timedelta(minutes=float(params["future_skew_minutes"]))
        if at > received + skew:
            problems.append(f"发生时间 {at.isoformat()} 晚于接收时间 {received.isoformat()}")
        delay = dt.timedelta(hours=float(params["max_delay_hours"]))
        if source in LIVE_SOURCES and received - at > delay:
            problems.append(f"发生后 {(received - at).total_seconds() / 3600:.0f} 小时才报送")
    return problems


def timestamps(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    hits = []
    for event in facts.events:
        problems = timestamp_problems(event, facts, params)
        if problems:
            hits.append(
                TIMESTAMPS_RULE.hit(
                    f"{event.get('type')} 时间异常：" + "；".join(problems),
                    {
                        "event_id": event.get("event_id"),
                        "type": event.get("type"),
                        "problems": problems,
                    },
                    str(event.get("event_id")),
                )
            )
    return hits


def repeated_supplement(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    requests = facts.of_type("SupplementRequested")
    if len(requests) <= int(params["max_requests"]):
        return []
    return [
        REPEATED_SUPPLEMENT_RULE.hit(
            f"多次要求补正材料（{len(requests)}次），违反一次性告知",
            {
                "requests": len(requests),
                "at": [r.get("occurred_at") for r in requests],
            },
        )
    ]


def suspension_overlong(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    hits = []
    limit = int(params["supplement_limit_days"])
    for suspension in facts.suspensions:
        if suspension.kind != "supplement" or suspension.working_days is None:
            continue
        if suspension.working_days > limit:
            hits.append(
                SUSPENSION_OVERLONG_RULE.hit(
                    f"补正暂停计时{suspension.working_days}个工作日，超过{limit}个工作日",
                    {
                        "sequence": suspension.sequence,
                        "working_days": suspension.working_days,
                        "limit_days": limit,
                    },
                    f"supplement:{suspension.sequence}",
                )
            )
    total = sum(s.working_days or 0 for s in facts.suspensions)
    if total > int(params["total_limit_days"]):
        hits.append(
            SUSPENSION_OVERLONG_RULE.hit(
                f"暂停计时合计{total}个工作日，超过{params['total_limit_days']}个工作日",
                {"total_working_days": total, "limit_days": params["total_limit_days"]},
                "total",
            )
        )
    return hits


def status_reversal(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    highest, previous = -1, ""
    for event, status in zip(facts.events, facts.statuses, strict=True):
        stage = STAGES.get(status)
        if stage is None:
            continue
        if stage < highest:
            return [
                STATUS_REVERSAL_RULE.hit(
                    f"状态回退：{previous} → {status}",
                    {"from": previous, "to": status, "event_id": event.get("event_id")},
                )
            ]
        if stage >= highest:
            highest, previous = stage, status
    return []


def document_problem(decision: Mapping[str, Any], placeholders: tuple[str, ...]) -> str | None:
    data = decision.get("data", {})
    blank = {p.lower() for p in placeholders}
    if data.get("decision") == "approve":
        licence = str(data.get("licence_number", "")).strip()
        return "准予许可但无许可证号" if not licence or licence.lower() in blank else None
    reasons, remedies = str(data.get("reasons", "")).strip(), str(data.get("remedies", "")).strip()
    if not reasons or reasons.lower() in blank:
        return "不予许可但未说明理由"
    if not any(word in remedies for word in ("复议", "诉讼")):
        return "不予许可但未告知申请行政复议或提起行政诉讼的权利"
    return None


def no_decision_document(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    decision = facts.last("CaseDecided")
    placeholders = tuple(params["placeholders"])
    if decision is None:
        if facts.has("CaseConcluded") and facts.has("CaseAccepted"):
            return [
                NO_DECISION_DOCUMENT_RULE.hit("办结但无决定文书（无决定事件）", {"decision": None})
            ]
        return []
    problem = document_problem(decision, placeholders)
    if problem is None:
        return []
    return [NO_DECISION_DOCUMENT_RULE.hit(problem, {"event_id": decision.get("event_id")})]


def is_night(instant: dt.datetime, start: int, end: int) -> bool:
    hour = instant.astimezone(SHANGHAI).hour
    return hour >= start or hour < end


def night_closures(facts: DepartmentDayFacts, params: Mapping[str, Any]) -> list[Hit]:
    """≥ min_count closures at night within any window of window_minutes (a batch at odd hours)."""
    start, end = int(params["night_start_hour"]), int(params["night_end_hour"])
    night = sorted(
        (c for c in facts.closures if is_night(c.at, start, end)),
        key=lambda c: (c.at, c.case_number),
    )
    window = dt.timedelta(minutes=int(params["window_minutes"]))
    need = int(params["min_count"])
    best: list[Closure] = []
    left = 0
    for right, closure in enumerate(night):
        while closure.at - night[left].at > window:
            left += 1
        if right - left + 1 > len(best):
            best = night[left : right + 1]
    if len(best) < need:
        return []
    return [
        NIGHT_CLOSURES_RULE.hit(
            f"{facts.day} 夜间 {best[0].at.astimezone(SHANGHAI):%H:%M} 起"
            f"{int(params['window_minutes'])}分钟内集中办结{len(best)}件",
            {
                "day": str(facts.day),
                "cases": [c.case_number for c in best],
                "first": best[0].at.isoformat(),
                "last": best[-1].at.isoformat(),
            },
        )
    ]


STEPS_SKIPPED_RULE = register(
    Rule(
        STEPS_SKIPPED,
        "irregular",
        _("跳过法定环节"),
        f"{LAW}第三十二条、第三十四条、第三十七条",
        "red",
        steps_skipped,
        description=_("未受理即决定、未决定即办结、未办结即送达等。"),
    )
)
DECIDER_WITHOUT_ROLE_RULE = register(
    Rule(
        DECIDER_WITHOUT_ROLE,
        "irregular",
        _("无权人员作出决定"),
        "本平台岗位权限规范（决定由领导角色作出）",
        "red",
        decider_without_role,
        (Param("trust_external", False, _("信任外部系统报送的决定人")),),
        description=_("作出决定的人当时在该部门（或其上级机构）不具有领导角色，或账号不存在。"),
    )
)
TIMESTAMPS_RULE = register(
    Rule(
        TIMESTAMPS,
        "irregular",
        _("时间戳异常（倒签、超前、迟报）"),
        "本平台数据报送规范",
        "yellow",
        timestamps,
        (
            Param("tolerance_hours", 24.0, _("文书时间与记录时间允许相差（小时）")),
            Param("future_skew_minutes", 10.0, _("发生时间晚于接收时间的容差（分钟）")),
            Param("max_delay_hours", 72.0, _("实时来源的最长报送延迟（小时）")),
        ),
        description=_(
            "文书所载时间早于或晚于事件记录时间（倒签）、发生时间在接收之后、实时来源迟报。"
        ),
    )
)
REPEATED_SUPPLEMENT_RULE = register(
    Rule(
        REPEATED_SUPPLEMENT,
        "irregular",
        _("多次要求补正"),
        f"{LAW}第三十二条第一款第四项",
        "yellow",
        repeated_supplement,
        (Param("max_requests", 1, _("允许的补正告知次数")),),
        description=_("申请材料不齐全的，应当一次告知申请人需要补正的全部内容。"),
    )
)
SUSPENSION_OVERLONG_RULE = register(
    Rule(
        SUSPENSION_OVERLONG,
        "irregular",
        _("暂停计时超限"),
        "本平台计时规范",
        "yellow",
        suspension_overlong,
        (
            Param("supplement_limit_days", 15, _("单次补正暂停上限（工作日）")),
            Param("total_limit_days", 60, _("暂停合计上限（工作日）")),
        ),
        description=_("补正暂停计时过长，或一件办件暂停合计过长。"),
    )
)
STATUS_REVERSAL_RULE = register(
    Rule(
        STATUS_REVERSAL,
        "irregular",
        _("状态回退"),
        "本平台办件流程规范",
        "red",
        status_reversal,
        description=_("办件状态回到更早的环节，例如办结后又回到审查中。"),
    )
)
NO_DECISION_DOCUMENT_RULE = register(
    Rule(
        NO_DECISION_DOCUMENT,
        "irregular",
        _("无决定文书办结"),
        f"{LAW}第三十八条、第三十九条",
        "red",
        no_decision_document,
        (Param("placeholders", ("无", "-", "/", "N/A", _("暂无")), "视为空白的填写"),),
        description=_("准予许可无证号，不予许可未说明理由或未告知救济权利，或办结而无决定。"),
    )
)
NIGHT_CLOSURES_RULE = register(
    Rule(
        NIGHT_CLOSURES,
        "irregular",
        _("夜间集中办结"),
        "本平台办件流程规范",
        "yellow",
        night_closures,
        (
            Param("min_count", 5, _("件数下限")),
            Param("window_minutes", 60, _("时间窗（分钟）")),
            Param("night_start_hour", 22, _("夜间开始（时）"), maximum=23),
            Param("night_end_hour", 6, _("夜间结束（时）"), maximum=23),
        ),
        scope=Scope.DEPARTMENT_DAY,
        description=_("一个部门在夜间短时间内集中办结多件，疑为突击补录。"),
    )
)
