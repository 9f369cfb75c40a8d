"""Decision verification (决定书核验): the PDF carries a code and a QR code of a public URL
that anyone, signed in or not, can use to check the decision: valid or not found."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.approvals.models import Case
from egov.approvals.services import accept_case, approve_case, deny_case, submit_application
from egov.approvals.tests.conftest import FORM, good_files
from egov.approvals.verification import CODE_LENGTH, masked_name, new_code, normalised
from egov.core.testing import shanghai

PUBLIC = "https://zwfw.hlj.gov.cn"


@pytest.fixture
def submitted_thursday(time_machine, citizen, food_item) -> Case:
    """The food licence applied for on Thursday 26 November 2026."""
    time_machine.move_to(shanghai(2026, 11, 26, 10))
    return submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )


@pytest.fixture
def approved_case(time_machine, monkeypatch, submitted_thursday, clerk_daoli, leader_daoli) -> Case:
    """Accepted on Friday, approved on Monday 30 November 2026."""
    submitted_case = submitted_thursday
    monkeypatch.setenv("EGOV_PUBLIC_URL", PUBLIC + "/")
    time_machine.move_to(shanghai(2026, 11, 27, 9))
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    time_machine.move_to(shanghai(2026, 11, 30, 15))
    return approve_case(actor=leader_daoli, number=submitted_case.number)


def verify(code: str) -> object:
    return Client().get(f"/approvals/verify/{code}/")  # nobody signed in


def test_the_pdf_carries_the_code_and_the_public_url(approved_case, citizen):
    code = approved_case.verification_code
    assert code
    assert len(code) == CODE_LENGTH
    client = Client()
    client.force_login(citizen)
    body = client.get(f"/approvals/cases/{approved_case.number}/decision.pdf").content
    assert f"({code}) Tj".encode() in body
    assert f"({PUBLIC}/approvals/verify/{code}/) Tj".encode() in body
    assert body.count(b" re f") > 100  # the QR code's dark modules, each a filled square


def test_anyone_sees_the_decision_valid_without_signing_in(approved_case):
    response = verify(approved_case.verification_code)
    assert response.status_code == 200
    page = response.content.decode()
    assert "有效" in page
    assert "食品经营许可" in page
    assert approved_case.licence_number in page
    assert "哈尔滨市道里区市场监督管理局" in page or approved_case.department.name in page
    assert "2026-11-30" in page
    assert "准予行政许可" in page


def test_the_page_leaks_nothing_personal(approved_case):
    page = verify(approved_case.verification_code).content.decode()
    assert approved_case.applicant_name == "张三"
    assert "张*" in page
    assert "张三" not in page
    assert approved_case.applicant_identifier not in page
    assert approved_case.form_data["phone"] not in page
    assert approved_case.form_data["shop_name"] not in page
    assert approved_case.number not in page


def test_a_typed_code_in_lower_case_with_hyphens_still_checks(approved_case):
    code = approved_case.verification_code
    typed = f"{code[:5]}-{code[5:10]}-{code[10:15]}-{code[15:]}".lower()
    assert verify(typed).status_code == 200


def test_a_wrong_or_malformed_code_is_not_found(approved_case):
    wrong = new_code()
    assert wrong != approved_case.verification_code
    for code in (wrong, "123", approved_case.number, "I" * CODE_LENGTH):
        response = verify(code)
        assert response.status_code == 404
        assert "未找到" in response.content.decode()
        assert "食品经营许可" not in response.content.decode()


def test_an_undecided_case_has_no_code_and_a_denial_checks_without_its_reasons(
    time_machine, submitted_thursday, clerk_daoli, leader_daoli
):
    time_machine.move_to(shanghai(2026, 11, 27, 9))
    case = accept_case(actor=clerk_daoli, number=submitted_thursday.number)
    assert case.verification_code is None
    case = deny_case(
        actor=leader_daoli, number=case.number, reasons="经营场所不符合要求", remedies="可申请复议"
    )
    page = verify(case.verification_code).content.decode()
    assert "不予行政许可" in page
    assert "经营场所不符合要求" not in page


def test_codes_are_random_and_typed_codes_are_normalised():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(normalised(code) == code for code in codes)
    assert normalised("abcd-efgh-jk01-2345-6789") == "ABCDEFGHJK0123456789"
    assert normalised("ABCDEFGHJK012345678") == ""  # one short
    assert normalised("ILOUABCDEFGHJK012345") == ""  # letters outside the alphabet


def test_a_name_is_masked_after_the_surname():
    assert masked_name("张三") == "张*"
    assert masked_name("欧阳娜娜") == "欧***"
    assert masked_name("") == ""
