"""A supervision notice in a real browser (督办全流程).

A city supervisor issues a notice about a finding, the department's leader
answers it with a rectification report, the supervisor accepts it and the
finding is closed. Headless Debian chromium driven by Playwright against
pytest-django's live server. Set ``EGOV_SCREENSHOTS=/tmp/s3`` to keep a
screenshot of each page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connection
from playwright.sync_api import Browser, Page

from egov.core.testing import TEST_PASSWORD, make_staff
from egov.supervision.models import Finding
from egov.supervision.tests.lit_cases import make_finding

T = TypeVar("T")


def outside_the_event_loop(query: Callable[[], T]) -> T:
    """Run an ORM query in a plain thread: Playwright's sync API keeps a loop in this one."""

    def closing() -> T:
        try:
            return query()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(closing).result()


def log_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def keep(page: Page, name: str) -> None:
    folder = os.environ.get("EGOV_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}-{name}.png", full_page=True)


def test_supervisor_issues_department_answers_supervisor_closes(
    emptied_audit_chain_afterwards, supervisor_harbin, live_server, browser
):
    leader = outside_the_event_loop(
        lambda: make_staff("leader_daoli_market", "230102-SCJG", roles=["leader"])
    )
    finding = outside_the_event_loop(lambda: make_finding(summary="办件超过承诺期限仍未办结"))
    base = live_server.url

    supervisor = log_in(browser, base, supervisor_harbin.username)
    supervisor.goto(f"{base}/supervision/findings/")
    keep(supervisor, "findings")
    supervisor.get_by_role("link", name="办件超过承诺期限仍未办结").click()
    supervisor.get_by_label("反馈期限（工作日）").fill("5")
    supervisor.get_by_label("督办要求").fill("请于期限内说明超期原因并整改")
    supervisor.get_by_role("button", name="发出督办通知").click()
    supervisor.wait_for_load_state()
    assert supervisor.locator("#finding-status").inner_text() == "已督办"
    keep(supervisor, "finding")
    number = supervisor.locator("#notices a").first.inner_text()

    department = log_in(browser, base, leader.username)
    department.goto(f"{base}/supervision/notices/")
    keep(department, "notices")
    department.locator("#my-notices").get_by_role("link", name=number).click()
    department.get_by_label("反馈类型").select_option("rectification")
    department.get_by_label("情况说明或整改报告").fill("已约谈经办人，案件已办结")
    department.get_by_role("button", name="提交反馈").click()
    department.wait_for_load_state()
    assert department.locator("#notice-status").inner_text() == "已反馈"

    supervisor.goto(f"{base}/supervision/notices/{number}/")
    assert "已约谈经办人" in supervisor.locator("#notice-response").inner_text()
    supervisor.get_by_label("审核意见").fill("整改到位")
    supervisor.get_by_role("button", name="认可并办结").click()
    supervisor.wait_for_load_state()
    assert supervisor.locator("#notice-status").inner_text() == "已认可"
    keep(supervisor, "notice")

    status = outside_the_event_loop(lambda: Finding.objects.get(pk=finding.pk).status)
    assert status == Finding.Status.CLOSED
