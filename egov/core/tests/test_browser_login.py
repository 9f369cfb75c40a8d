"""A staff member logs in with a real browser and sees the workbench (浏览器登录).

Headless Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.db import connection
from playwright.sync_api import Browser, sync_playwright

from egov.core.models import User
from egov.core.testing import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
audit_guard = importlib.import_module("egov.core.migrations.0003_audit_append_only_trigger")


@pytest.fixture
def emptied_audit_chain_afterwards(transactional_db: None) -> Iterator[None]:
    """The live server needs committed data, which the test run then flushes.

    The audit table refuses deletes (append-only triggers), so the entries this
    test wrote are removed the way a DBA would: guard off, delete, guard back on.
    """
    yield
    audit_guard.remove_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    audit_guard.install_guard(connection)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


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
