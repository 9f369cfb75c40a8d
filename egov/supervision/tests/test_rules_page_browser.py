"""The rules page in a real browser: a supervisor switches a rule off for a department.

Headless Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from egov.core.testing import TEST_PASSWORD, make_organisation

SCREENSHOT = Path(tempfile.gettempdir()) / "s2-rules.png"  # to look at by hand


@pytest.fixture
def department(emptied_audit_chain_afterwards, supervisor_province):
    """The department exists before the browser starts (Playwright keeps an event loop)."""
    return make_organisation("230102-SCJG")


def test_a_supervisor_switches_the_night_rule_off_for_a_department(
    department, live_server, browser: Browser
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/?next=/supervision/rules/")
    page.get_by_label("用户名").fill("supervisor_province")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/supervision/rules/")
    row = page.locator("#rule-irregular\\.night_closures")
    assert "夜间集中办结" in row.inner_text()
    row.get_by_text("修改设置").click()
    row.get_by_label("部门代码（留空为全省）").fill("230102-SCJG")
    row.get_by_label("启用").uncheck()
    row.get_by_label("件数下限").fill("8")
    row.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=规则设置已保存。")
    shown = page.locator("#rule-irregular\\.night_closures").inner_text()
    assert "部门 230102-SCJG：停用" in shown
    assert "'min_count': 8" in shown
    page.screenshot(path=SCREENSHOT, full_page=False)
    context.close()
