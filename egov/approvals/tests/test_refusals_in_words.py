"""Refusals on pages in the interface language, fields named by their labels (页面错误提示).

The services' reasons stay English on the API; the pages say them in Chinese.
Each reason here is produced by the real validator, so a reworded service
message that the pages no longer know fails this test.
"""

from __future__ import annotations

import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.forms_spec import CLEANERS, check_resident_id, check_upload
from egov.approvals.wording import field_label, reason_in_words, refusal_message
from egov.core.identifiers import credit_code_with_check_digit
from egov.core.testing import shanghai

GENERAL = "内容不符合要求"


def known_region(code: str) -> bool | None:
    return True if code == "230102" else None


def clean(kind: str, value: str, **spec: object):
    return lambda: CLEANERS[kind](value, {"type": kind, **spec}, known_region)


BAD_CREDIT_CODE = credit_code_with_check_digit("91230102MA1B2C3D4")[:-1] + "0"


def reason_of(call) -> str:
    with pytest.raises(ValueError) as caught:  # noqa: PT011 - the reason is what is tested
        call()
    return str(caught.value)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: check_resident_id("230102197503120031", known_region), "校验码不符（GB 11643）"),
        (lambda: check_resident_id("2301021975", known_region), "应为 18 位"),
        (lambda: check_resident_id("99999919750312003X", known_region), "地址码 999999"),
        (lambda: check_upload("x.exe", 2, b"MZ"), "文件类型不允许"),
        (lambda: check_upload("x.pdf", 0, b""), "文件为空"),
        (lambda: check_upload("x.pdf", 4, b"MZ\x90\x00"), "不是 PDF 文件"),
        (clean("phone", "12"), "应为 11 位手机号码"),
        (clean("region", "23"), "应为 6 位行政区划代码"),
        (clean("choice", "丙", choices=["甲", "乙"]), "请从以下选项中选择：甲, 乙"),
        (clean("credit_code", BAD_CREDIT_CODE), "GB 32100"),
        (clean("number", "abc"), "应为数字"),
        (clean("date", "2026-13-01"), "应为日期"),
    ],
)
def test_each_validator_reason_reads_in_chinese(call, words, time_machine):
    time_machine.move_to(shanghai(2026, 11, 26, 10))  # birth dates are checked against today
    said = reason_in_words(reason_of(call))
    assert words in said
    assert said != GENERAL


def test_an_unknown_reason_gets_a_general_phrase_not_english():
    assert reason_in_words("something new went wrong") == GENERAL


def test_fields_are_named_by_the_labels_the_user_saw():
    labels = {"form.resident_id": "申请人身份证号码", "materials.PLAN": "经营场所平面布局图"}
    assert field_label("form.resident_id", labels) == "申请人身份证号码"
    assert field_label("materials.PLAN", labels) == "经营场所平面布局图"
    assert field_label("missing[1].reason", labels) == "第 2 项需补正材料的原因"
    assert field_label("reasons", labels) == "理由"


def test_a_refusal_is_one_sentence_with_each_field_and_why():
    exc = ApprovalError(
        ErrorCode.INVALID_INPUT,
        "invalid input: form.resident_id: the check digit (GB 11643) does not match",
        {"form.resident_id": "the check digit (GB 11643) does not match", "note": "required"},
    )
    message = refusal_message(exc, {"form.resident_id": "申请人身份证号码"})
    assert message == (
        "操作未完成：填写内容有误。申请人身份证号码：校验码不符（GB 11643），请核对号码；说明：必填"
    )
    assert "form." not in message


def test_a_refused_state_says_so_in_words():
    exc = ApprovalError(ErrorCode.WRONG_STATE, "cannot accept a concluded case", {"status": "x"})
    assert refusal_message(exc, {}).startswith("操作未完成：办件当前状态不允许此操作。")
