"""A staff member logs in with a real browser and sees the workbench (浏览器登录).

Headless Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

from playwright.sync_api import Browser

from egov.core.models import User
from egov.core.testing import TEST_PASSWORD


def test_staff_member_logs_in_and_sees_the_workbench(
    emptied_audit_chain_afterwards: None,
    live_server: object,
    clerk_harbin_daoli: User,
    browser: Browser,
) -> None:
    organisation_name = clerk_harbin_daoli.staff.organisation.name
    page = browser.new_page(locale="zh-CN")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="工作人员登录").first.click()
    page.get_by_label("用户名").fill("clerk_harbin_daoli")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(f"{live_server.url}/workbench/")
    assert page.locator("#organisation-name").inner_text() == organisation_name
    roles = page.locator("table.data").inner_text()
    assert "办件人员" in roles
    assert organisation_name in roles
    assert page.get_by_role("button", name="退出").is_visible()
