"""The supervision home in a real browser (监察总览): charts drawn with the local plotly.js.

Headless Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from egov.core.testing import TEST_PASSWORD
from egov.supervision.tests.dashboard_data import known_set

SCREENSHOT = Path(tempfile.gettempdir()) / "supervision-dashboard.png"  # to look at by hand
STATISTICS_SCREENSHOT = SCREENSHOT.with_name("supervision-statistics.png")


@pytest.fixture
def data(emptied_audit_chain_afterwards, supervisor_province):
    """The known set, written before the browser starts (Playwright keeps an event loop)."""
    return known_set()


def test_the_province_supervisor_sees_drawn_charts_and_drills_down(
    data, live_server, browser: Browser
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/login/?next=/supervision/%3Fmonth%3D2026-11")
    page.get_by_label("用户名").fill("supervisor_province")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/supervision/?month=2026-11")
    page.wait_for_selector("#chart-lights .main-svg")
    assert page.locator("#chart-findings .main-svg").count() > 0
    assert page.locator("#key-figures").inner_text().count("9") >= 1
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_role("link", name="哈尔滨市").first.click()
    page.wait_for_selector("#region-crumbs")
    assert "道里区" in page.locator("#regions").inner_text()
    assert "齐齐哈尔" not in page.content()
    page.get_by_role("link", name="统计分析").first.click()
    page.get_by_role("link", name="按部门").click()
    page.wait_for_selector("#chart-on-time .main-svg")
    assert "哈尔滨市道里区市场监督管理局" in page.locator("#statistics").inner_text()
    page.screenshot(path=STATISTICS_SCREENSHOT, full_page=True)
    page.get_by_role("link", name="哈尔滨市道里区市场监督管理局").click()
    page.wait_for_selector("#department-items")
    assert "食品经营许可" in page.locator("#department-items").inner_text()
    page.screenshot(path=SCREENSHOT.with_name("supervision-department.png"), full_page=True)
    assert errors == []
    context.close()
