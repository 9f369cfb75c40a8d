"""A staff member logs in by certificate in a real browser (浏览器证书登录).

The test plays the holder: it reads the challenge from the page and signs it
with the key, as ``egov login-sign`` would, then pastes certificate and signature.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from egov.trust.models import CertificateAuthority
from egov.trust.tests.login_support import Holder, sign_nonce, staff_holder


@pytest.fixture
def holder(transactional_db: None, ca_sm: CertificateAuthority) -> Holder:
    """Made before the browser starts: Playwright's event loop forbids database calls after."""
    return staff_holder("sm", username="clerk_browser_cert")


def test_staff_member_logs_in_with_a_certificate(
    emptied_audit_chain_afterwards: None,
    live_server: object,
    holder: Holder,
    browser: Browser,
    tmp_path: Path,
) -> None:
    page = browser.new_page(locale="zh-CN")

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="证书登录").click()
    page.wait_for_url(f"{live_server.url}/trust/login/**")
    nonce = page.locator("#nonce").input_value()
    assert nonce.endswith("@" + live_server.url.split("//")[1])
    assert nonce in page.locator("#sign-command").inner_text()
    page.get_by_label("证书（PEM）").fill(holder.pem)
    page.get_by_label("签名（Base64）").fill(sign_nonce(holder.key, nonce))
    page.screenshot(path=tmp_path / "cert-login.png", full_page=True)
    page.get_by_role("button", name="证书登录").click()

    page.wait_for_url(f"{live_server.url}/workbench/")
    assert page.locator("#organisation-name").inner_text() == holder.user.staff.organisation.name
    page.screenshot(path=tmp_path / "workbench.png")


def test_a_wrong_signature_shows_why_and_a_new_challenge(
    emptied_audit_chain_afterwards: None,
    live_server: object,
    holder: Holder,
    browser: Browser,
    tmp_path: Path,
) -> None:
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/trust/login/")
    first = page.locator("#nonce").input_value()

    page.get_by_label("证书（PEM）").fill(holder.pem)
    page.get_by_label("签名（Base64）").fill(sign_nonce(holder.key, "other@elsewhere"))
    page.get_by_role("button", name="证书登录").click()

    assert "签名验证失败" in page.locator("#login-error").inner_text()
    assert page.locator("#nonce").input_value() != first
    page.screenshot(path=tmp_path / "refused.png", full_page=True)
