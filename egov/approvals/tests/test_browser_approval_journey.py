"""The whole approval journey in a real browser (网上审批全流程).

A citizen applies online, the clerk opens a PDF material in the page, asks for
more materials by checklist (一次性告知), the citizen uploads exactly what was
listed, the clerk accepts, a leader decides, the citizen downloads the decision.
Screenshots of both case pages are kept in ``EGOV_SCREENSHOT_DIR`` when it is set.
Headless Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from django.db import connection
from playwright.sync_api import Browser, Page
from reportlab.pdfgen import canvas

from egov.approvals.models import Case
from egov.core.testing import TEST_PASSWORD

T = TypeVar("T")


def stored_case(number: str) -> tuple[Case, list[str]]:
    """The case and its timeline as the database holds them."""
    try:
        case = Case.objects.get(number=number)
        return case, list(case.timeline.values_list("event_type", flat=True))
    finally:
        connection.close()


def outside_the_event_loop(query: Callable[[], T]) -> T:
    """Run an ORM query in a plain thread: Playwright's sync API keeps a loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(query).result()


def log_in(browser: Browser, base: str, path: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.goto(f"{base}{path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def scanned_pdf(path: Path) -> Path:
    """A real one-page PDF, so the browser's own viewer can show it."""
    document = canvas.Canvas(str(path))
    document.drawString(72, 720, "Floor plan (scanned material)")
    document.save()
    return path


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("EGOV_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_citizen_applies_supplements_and_downloads_the_decision(
    emptied_audit_chain_afterwards,
    citizen,
    clerk_daoli,
    leader_daoli,
    food_item,
    live_server,
    tmp_path: Path,
    browser,
    monkeypatch,
):
    scan = scanned_pdf(tmp_path / "scan.pdf")
    base = live_server.url
    monkeypatch.setenv("EGOV_PUBLIC_URL", base)  # the decision's QR code points here

    applicant = log_in(browser, base, "/account/login/", citizen.username)
    applicant.goto(f"{base}/approvals/items/{food_item.code}/")
    applicant.get_by_label("经营者名称").fill("老道外小馆")
    applicant.get_by_label("联系电话").fill("13904510000")
    applicant.get_by_label("经营场所所在区县").select_option(label="哈尔滨市 道里区")
    applicant.get_by_label("经营项目").select_option("餐饮服务")
    applicant.get_by_label("食品经营许可申请书").set_input_files(scan)
    applicant.get_by_label("经营场所平面布局图").set_input_files(scan)
    applicant.get_by_role("button", name="提交申请").click()
    applicant.wait_for_url(f"{base}/approvals/cases/*/")
    number = applicant.locator("#case-number").inner_text()
    assert applicant.locator("#case-status").inner_text() == "待受理"

    clerk = log_in(browser, base, "/login/", clerk_daoli.username)
    clerk.goto(f"{base}/approvals/")
    clerk.get_by_role("link", name=number).click()
    with clerk.expect_response(lambda r: "/materials/" in r.url) as shown:
        clerk.locator("#materials summary").first.click()
    assert shown.value.status == 200
    assert shown.value.headers["content-disposition"].startswith("inline")
    assert clerk.locator("#materials iframe").first.is_visible()
    clerk.get_by_role("button", name="一次性告知补正").click()  # nothing ticked: refused
    assert (
        clerk.locator(".alert.error")
        .inner_text()
        .startswith("操作未完成：填写内容有误。需补正材料：请至少列出一项需补正的材料")
    )
    assert clerk.locator("#case-status").inner_text() == "待受理"
    clerk.get_by_label("经营场所平面布局图", exact=True).check()
    clerk.get_by_label("经营场所平面布局图的补正原因").fill("未标明食品处理区")
    clerk.get_by_label("其他需补正材料 1", exact=True).fill("从业人员健康证明")
    clerk.get_by_label("其他需补正材料 1 的原因").fill("未提交")
    screenshot(clerk, "clerk-checklist")
    clerk.get_by_role("button", name="一次性告知补正").click()
    assert clerk.locator("#case-status").inner_text() == "补正中"
    assert clerk.locator("#timeline tbody tr td:nth-child(2)").all_inner_texts() == [
        "提交申请",
        "补正告知",
    ]
    screenshot(clerk, "clerk-case-page")

    applicant.reload()
    notice = applicant.locator("#supplement-notice li")
    assert notice.all_text_contents() == [
        "经营场所平面布局图：未标明食品处理区",
        "从业人员健康证明：未提交",
    ]
    uploads = applicant.locator("#supplement-upload input[type=file]")
    assert [uploads.nth(i).get_attribute("name") for i in range(uploads.count())] == [
        "PLAN",
        "extra-2",
    ]
    screenshot(applicant, "citizen-case-page")
    uploads.nth(0).set_input_files(scan)
    uploads.nth(1).set_input_files(scan)
    applicant.get_by_role("button", name="提交补正材料").click()
    assert applicant.locator("#case-status").inner_text() == "待受理"

    clerk.reload()
    clerk.get_by_role("button", name="受理", exact=True).click()
    assert clerk.locator("#case-status").inner_text() == "审查中"

    leader = log_in(browser, base, "/login/", leader_daoli.username)
    leader.goto(f"{base}/approvals/cases/{number}/")
    leader.get_by_role("button", name="准予许可").click()
    assert leader.locator("#case-status").inner_text() == "准予许可"

    applicant.reload()
    licence = applicant.locator("#licence-number").inner_text()
    with applicant.expect_download() as download_info:
        applicant.locator("#decision-pdf").click()
    document = Path(download_info.value.path()).read_bytes()
    assert document.startswith(b"%PDF-")
    assert f"({licence}) Tj".encode() in document  # after 证照编号 in the footer
    assert b"Licence" not in document

    # Anyone holding the document checks it at the URL it carries, without signing in.
    found = re.search(rb"\((http[^()]*/approvals/verify/[0-9A-Z]{20}/)\) Tj", document)
    assert found, "the decision PDF carries its verification URL"
    stranger = browser.new_context(locale="zh-CN").new_page()
    stranger.goto(found.group(1).decode())
    assert stranger.locator(".verify-result").inner_text().startswith("有效")
    assert licence in stranger.locator(".verify-facts").inner_text()
    assert "张三" not in stranger.content()
    screenshot(stranger, "decision-verification")

    case, steps = outside_the_event_loop(lambda: stored_case(number))
    assert (case.status, case.supplement_requests, case.licence_number) == ("approved", 1, licence)
    assert steps == [
        "ApplicationSubmitted",
        "SupplementRequested",
        "SupplementReceived",
        "CaseAccepted",
        "CaseDecided",
    ]
