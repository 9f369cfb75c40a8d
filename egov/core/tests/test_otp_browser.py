"""An auditor binds an authenticator in a real browser (浏览器绑定动态口令).

The test plays the authenticator app: it reads the secret shown on the setup
page and computes the current token (RFC 6238) from it.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser

from egov.core.models import User
from egov.core.testing import TEST_PASSWORD


@pytest.fixture
def auditor(transactional_db: None, auditor_province: User) -> User:
    """Made before the browser starts: Playwright's event loop forbids database calls after."""
    return auditor_province


@pytest.mark.real_second_factor
def test_auditor_binds_an_authenticator_then_reaches_the_audit_log(
    emptied_audit_chain_afterwards: None,
    live_server: object,
    auditor: User,
    browser: Browser,
    tmp_path: Path,
) -> None:
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(auditor.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/workbench/audit/")
    page.wait_for_url(f"{live_server.url}/otp/setup/**")
    assert page.locator("#otp-qr svg").is_visible()
    assert page.locator("#otp-uri").get_attribute("href").startswith("otpauth://totp/")
    secret = page.locator("#otp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.screenshot(path=tmp_path / "setup.png", full_page=True)
    page.get_by_label("动态口令").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="确认绑定").click()

    page.wait_for_url(f"{live_server.url}/workbench/audit/")
    assert page.get_by_role("heading", name="审计日志").is_visible()
