"""The decision document (决定书) as PDF: for the applicant and staff, only once decided."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from django.test import Client

from egov.approvals.decision_pdf import Decision, chinese_date, footer_parts, render_decision
from egov.approvals.services import accept_case, approve_case, deny_case


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_chinese_dates():
    assert chinese_date(dt.date(2026, 3, 16)) == "二〇二六年三月十六日"
    assert chinese_date(dt.date(2026, 10, 1)) == "二〇二六年十月一日"
    assert chinese_date(dt.date(2026, 12, 20)) == "二〇二六年十二月二十日"


def test_the_applicant_downloads_the_approval(submitted_case, citizen, clerk_daoli, leader_daoli):
    client = signed_in(citizen)
    url = f"/approvals/cases/{submitted_case.number}/decision.pdf"
    assert client.get(url).status_code == 404  # not decided yet
    api_url = f"/api/v1/approvals/cases/{submitted_case.number}/decision.pdf"
    assert client.get(api_url).json()["code"] == "wrong_state"
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    case = approve_case(actor=leader_daoli, number=submitted_case.number)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-")
    assert body.count(b"/Type /Page\n") + body.count(b"/Type /Page ") >= 1
    assert f"({case.licence_number}) Tj".encode() in body
    assert f"({case.number}) Tj".encode() in body
    assert b"Licence" not in body  # the footer is Chinese (办件编号, 证照编号)
    assert b"Case " not in body
    assert client.get(api_url).content.startswith(b"%PDF-")


def test_a_denial_has_no_licence_and_others_cannot_download(
    submitted_case, clerk_daoli, leader_daoli, other_citizen
):
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    deny_case(
        actor=leader_daoli,
        number=submitted_case.number,
        reasons="场所不符合",
        remedies="可申请行政复议",
    )
    url = f"/approvals/cases/{submitted_case.number}/decision.pdf"
    body = signed_in(clerk_daoli).get(url).content
    assert f"({submitted_case.number}) Tj".encode() in body
    assert b"Licence" not in body
    assert signed_in(other_citizen).get(url).status_code == 404


def decision(approved: bool) -> Decision:
    return Decision(
        authority="哈尔滨市道里区市场监督管理局",
        case_number="230102202611260000019",
        item_name="食品经营许可",
        applicant="张三",
        received=dt.date(2026, 11, 26),
        accepted=dt.date(2026, 11, 26),
        decided=dt.date(2026, 11, 30),
        approved=approved,
        licence_number="JY123" if approved else "",
    )


def test_the_footer_names_case_and_licence_numbers_in_chinese():
    assert footer_parts(decision(approved=True)) == [
        ("办件编号：", "230102202611260000019"),
        ("证照编号：", "JY123"),
    ]
    assert footer_parts(decision(approved=False)) == [("办件编号：", "230102202611260000019")]


def page_count(pdf: bytes) -> int:
    """Pages of an uncompressed PDF (the renderer writes its page objects in the clear)."""
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_long_reasons_flow_onto_more_pages_and_the_signature_stays_clear():
    short = render_decision(dataclasses.replace(decision(approved=False), reasons="材料不全。"))
    assert page_count(short) == 1
    reasons = "经审查，申请人提交的经营场所使用证明与实际经营地址不一致。" * 60
    long = render_decision(dataclasses.replace(decision(approved=False), reasons=reasons))
    assert page_count(long) >= 3  # about 1,700 characters of reasons: no line drawn off the page
