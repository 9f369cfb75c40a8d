"""Under the Content-Security-Policy, charts are still drawn and htmx still works (real browser).

Headless Debian chromium against pytest-django's live server: the supervision
home (plotly charts), the API docs page and the approvals queue (an htmx
filter) raise no CSP violation and no script error. Before the policy, the
charts were inline scripts that a nonce-based policy would have blocked.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from egov.core.testing import TEST_PASSWORD
from egov.supervision.tests.dashboard_data import known_set


@pytest.fixture
def data(emptied_audit_chain_afterwards, supervisor_province, clerk_harbin_daoli):
    """The known set, written before the browser starts (Playwright keeps an event loop)."""
    return known_set()


def watched_page(browser: Browser, problems: list[str]) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "strict CSP" in message.text:
            problems.append(f"{page.url}: {message.text} at {message.location}")

    page.on("console", on_console)
    return page


def log_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_charts_are_drawn_under_the_policy(data, live_server, browser: Browser):
    problems: list[str] = []
    page = watched_page(browser, problems)
    log_in(page, live_server.url, "supervisor_province", "/supervision/%3Fmonth%3D2026-11")
    page.wait_for_url("**/supervision/?month=2026-11")
    page.wait_for_selector("#chart-lights .main-svg")
    assert page.locator("#chart-findings .main-svg").count() > 0
    assert page.locator(".modebar").count() > 0  # plotly's own styled parts are there
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert problems == []
    page.context.close()


def test_htmx_filters_the_queue_under_the_policy(data, live_server, browser: Browser):
    problems: list[str] = []
    page = watched_page(browser, problems)
    log_in(page, live_server.url, "clerk_harbin_daoli", "/approvals/")
    page.wait_for_url("**/approvals/")
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.locator("select[name=light]").select_option(index=1)
    page.wait_for_url("**/approvals/?*light=*")
    assert problems == []
    page.context.close()
