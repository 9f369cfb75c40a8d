"""What the approvals pages say (页面用语): refusals, timeline steps, in the user's language.

The services refuse in English with field paths (``form.resident_id``,
``missing[0].reason``), which the API returns as they are. Pages show the same
refusal in the interface language instead, naming each field by the label the
user saw and saying why in plain words; the English text stays in the API and
the logs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import CaseEvent, LicenceEvent

ERROR_SENTENCES: dict[ErrorCode, Promise] = {
    ErrorCode.INVALID_INPUT: _("填写内容有误"),
    ErrorCode.NOT_FOUND: _("未找到该办件"),
    ErrorCode.ITEM_NOT_FOUND: _("未找到该事项"),
    ErrorCode.ITEM_INACTIVE: _("该事项已停止办理"),
    ErrorCode.PERMISSION_DENIED: _("您无权办理此操作"),
    ErrorCode.WRONG_STATE: _("办件当前状态不允许此操作"),
    ErrorCode.ALREADY_ACCEPTED: _("办件已经受理"),
    ErrorCode.ACCEPTANCE_WINDOW_PASSED: _("已超过受理期限"),
    ErrorCode.MISSING_MATERIALS: _("缺少必备材料"),
    ErrorCode.BAD_FILE: _("文件不符合要求"),
    ErrorCode.NO_OPEN_SUPPLEMENT: _("本件没有待补正的告知"),
    ErrorCode.NO_OPEN_SPECIAL_PROCEDURE: _("本件没有进行中的特别程序"),
    ErrorCode.DUPLICATE_RECEIPT: _("该票据号已登记"),
    ErrorCode.DUPLICATE_LICENCE: _("该证照编号已被使用"),
    ErrorCode.NOT_APPLICANT: _("只有申请人本人可以办理此操作"),
    ErrorCode.RATE_LIMITED: _("提交过于频繁，请稍后再试"),
    ErrorCode.LICENCE_ENDED: _("该许可已被撤销或注销"),
}

# Each reason the services give, as a pattern, and what a page says instead.
REASONS: tuple[tuple[str, Promise], ...] = (
    (r"required(: what is wrong or missing)?", _("必填")),
    (r"required: the provision of the law or regulation applied", _("“其他情形”须写明适用的条款")),
    (
        r"no licence in force: the case was not approved",
        _("本件未准予许可，没有可撤销或注销的证照"),
    ),
    (r"already revoked on (?P<date>[0-9-]+)", _("已于 %(date)s 撤销")),
    (r"already cancelled on (?P<date>[0-9-]+)", _("已于 %(date)s 注销")),
    (r"at most (?P<n>\d+) characters, got (?P<got>\d+)", _("最多 %(n)s 个字，现有 %(got)s 个")),
    (r"expected text, got .*", _("应为文字")),
    (r".* is not allowed", _("含有不允许的控制字符")),
    (r"not a (finite )?number(: .*)?", _("应为数字")),
    (r"must be at least (?P<n>.+)", _("不得小于 %(n)s")),
    (r"must be at most (?P<n>.+)", _("不得大于 %(n)s")),
    (r"not a date in YYYY-MM-DD form.*", _("应为日期，格式如 2026-01-31")),
    (r"must not be before (?P<date>.+)", _("不得早于 %(date)s")),
    (r"must not be after (?P<date>.+)", _("不得晚于 %(date)s")),
    (
        r"expected 18 characters: 17 digits and a digit or X",
        _("应为 18 位：17 位数字加 1 位数字或 X"),
    ),
    (r"the check digit \(GB 11643\) does not match", _("校验码不符（GB 11643），请核对号码")),
    (r"the birth date part is not a (real|possible birth) date", _("其中的出生日期不成立")),
    (
        r"the address code (?P<code>\d+) is not a known region code",
        _("地址码 %(code)s 不是已知的行政区划代码"),
    ),
    (r"the check character \(GB 32100\) does not match", _("校验码不符（GB 32100），请核对代码")),
    (r"expected 18 characters: 8 digits then 10 code characters", _("应为 18 位统一社会信用代码")),
    (r"expected a mobile number.*", _("应为 11 位手机号码或带区号的固定电话，如 0451-86201234")),
    (r"expected a 6-digit region code.*", _("应为 6 位行政区划代码")),
    (r"(?P<code>\d+) is not a current region code", _("%(code)s 不是现行的行政区划代码")),
    (r"must be one of: (?P<choices>.+)", _("请从以下选项中选择：%(choices)s")),
    (r"not a field of this form", _("不是本申请表的内容")),
    (r"file name: .*", _("文件名不符合要求")),
    (r"file type not allowed: .*", _("文件类型不允许，仅限 PDF、JPG、PNG、OFD")),
    (r"the file is empty", _("文件为空")),
    (
        r"the file is (?P<size>\d+) bytes; at most (?P<most>\d+) bytes are allowed",
        _("文件过大（%(size)s 字节），最大 %(most)s 字节"),
    ),
    (
        r"the content of .* is not a (?P<kind>\w+) file",
        _("文件内容与扩展名不符，不是 %(kind)s 文件"),
    ),
    (r"not a material of this item", _("不是本事项的申请材料")),
    (r"requested material missing", _("补正告知所列材料，未提交")),
    (r"required material missing", _("必备材料，未提交")),
    (r"listed twice", _("重复列出")),
    (r"list every missing or defective material at once.*", _("请至少列出一项需补正的材料")),
    (r"at most (?P<n>\d+) entries, got \d+", _("最多 %(n)s 项")),
    (r"a whole number of working days, 1 to (?P<n>\d+)", _("应为 1 至 %(n)s 个工作日")),
    (r"a whole number of fen, > 0", _("应为大于 0 的金额（分）")),
    (r"more than the fee's amount \((?P<n>\d+) fen\)", _("超过收费标准（%(n)s 分）")),
    (r"this item is free of charge", _("本事项不收费")),
    (r"already issued", _("已被使用")),
    (r"one of .*", _("请从给定选项中选择")),
    (r"expected an object with name and reason", _("应写明材料名称和原因")),
)
COMPILED = tuple((re.compile(pattern), words) for pattern, words in REASONS)

FIELD_LABELS: dict[str, Promise] = {
    "note": _("说明"),
    "reason": _("理由"),
    "reasons": _("理由"),
    "remedies": _("救济途径"),
    "outcome": _("结果"),
    "procedure": _("特别程序"),
    "limit_days": _("时限（工作日）"),
    "days": _("延长工作日"),
    "licence_number": _("证照编号"),
    "fee_name": _("收费项目"),
    "amount_fen": _("金额（分）"),
    "receipt_number": _("票据号"),
    "method": _("送达方式"),
    "missing": _("需补正材料"),
    "status": _("状态"),
    "number": _("办件编号"),
    "ground": pgettext_lazy("licence", "事由"),
    "legal_basis": _("法律依据"),
}
ENTRY_PARTS: dict[str, Promise] = {"code": _("材料"), "name": _("名称"), "reason": _("原因")}
ENTRY_FIELD = re.compile(r"missing\[(?P<index>\d+)\](\.(?P<part>\w+))?")


def reason_in_words(reason: str) -> str:
    """A service's reason in the interface language; a general phrase for one not known."""
    for pattern, words in COMPILED:
        found = pattern.fullmatch(reason)
        if found:
            return str(words) % found.groupdict() if found.groupdict() else str(words)
    return gettext("内容不符合要求")


def field_label(field: str, labels: Mapping[str, str]) -> str:
    """The label a user saw for a service's field path (``form.shop_name`` → 经营者名称)."""
    if field in labels:
        return labels[field]
    entry = ENTRY_FIELD.fullmatch(field)
    if entry:
        number = int(entry["index"]) + 1
        part = ENTRY_PARTS.get(entry["part"] or "", "")
        return gettext("第 %(n)s 项需补正材料的%(part)s") % {"n": number, "part": part}
    return str(FIELD_LABELS.get(field, field.rsplit(".", 1)[-1]))


def refusal_sentence(exc: ApprovalError) -> str:
    """What went wrong, in one sentence of the interface language."""
    return str(ERROR_SENTENCES.get(exc.code, _("操作未完成")))


def field_reasons(exc: ApprovalError) -> dict[str, str]:
    """Each refused field's reason in the interface language, keyed by the service's path."""
    return {field: reason_in_words(reason) for field, reason in exc.fields.items()}


def refusal_message(exc: ApprovalError, labels: Mapping[str, str]) -> str:
    """The whole refusal for a page: the sentence, then each field by its label and why."""
    details = "；".join(
        f"{field_label(field, labels)}：{reason}" for field, reason in field_reasons(exc).items()
    )
    sentence = gettext("操作未完成：%(sentence)s。") % {"sentence": refusal_sentence(exc)}
    return f"{sentence}{details}" if details else sentence


STEP_NAMES: dict[str, Promise] = {
    CaseEvent.APPLICATION_SUBMITTED: _("提交申请"),
    CaseEvent.CASE_ACCEPTED: _("受理"),
    CaseEvent.CASE_REFUSED: _("不予受理"),
    CaseEvent.SUPPLEMENT_REQUESTED: _("补正告知"),
    CaseEvent.SUPPLEMENT_RECEIVED: _("补正材料收到"),
    CaseEvent.SPECIAL_PROCEDURE_STARTED: _("启动特别程序"),
    CaseEvent.SPECIAL_PROCEDURE_ENDED: _("特别程序结束"),
    CaseEvent.CASE_EXTENDED: _("延期"),
    CaseEvent.CASE_DECIDED: _("作出决定"),
    CaseEvent.CASE_CONCLUDED: _("办结"),
    CaseEvent.CASE_DELIVERED: _("送达"),
    CaseEvent.CASE_WITHDRAWN: _("撤回申请"),
    CaseEvent.CASE_TERMINATED: _("终止办理"),
    CaseEvent.FEE_PAID: _("缴费"),
    LicenceEvent.LICENCE_REVOKED: _("撤销行政许可"),
    LicenceEvent.LICENCE_CANCELLED: _("注销行政许可"),
}
DECISIONS: dict[str, Promise] = {"approve": _("准予许可"), "deny": _("不予许可")}


def step_name(event_type: str, data: Mapping[str, Any]) -> str:
    """A timeline step in plain words (提交申请, 受理, 第2次补正告知, 准予许可, …)."""
    if event_type == CaseEvent.CASE_ACCEPTED and data.get("deemed"):
        return gettext("视为受理（受理期限届满）")
    if event_type == CaseEvent.CASE_DECIDED and data.get("decision") in DECISIONS:
        return str(DECISIONS[data["decision"]])
    sequence = data.get("sequence")
    if event_type == CaseEvent.SUPPLEMENT_REQUESTED and isinstance(sequence, int) and sequence > 1:
        return gettext("第%(n)s次补正告知") % {"n": sequence}
    return str(STEP_NAMES.get(event_type, event_type))


def actor_words(actor: Any) -> str:
    """Who took a step: name and organisation, 申请人 for the applicant, 系统 for the platform."""
    if not actor.is_person:
        return gettext("系统自动")
    if actor.is_applicant:
        return gettext("%(name)s（申请人）") % {"name": actor.name}
    if actor.organisation:
        return gettext("%(name)s（%(organisation)s）") % {
            "name": actor.name,
            "organisation": actor.organisation,
        }
    return str(actor.name)
