"""Signing and verifying in a real browser (文件签名 → 签名验证).

A clerk signs a file on /trust/sign/ with their key file and downloads the
.p7s; anyone then checks the file and the .p7s on /trust/verify/. Headless
Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from egov.core.models import User
from egov.core.testing import TEST_PASSWORD
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.tests.test_verify_page_sign import KEY_PASSPHRASE, PAYLOAD, staff_key


@pytest.fixture
def clerk_with_key(
    emptied_audit_chain_afterwards: None,
    ca_sm: CertificateAuthority,
    clerk_harbin_daoli: User,
    tmp_path: Path,
) -> tuple[User, Path, Certificate]:
    """The 道里区 clerk, their key file on disk (as the holder keeps it) and certificate."""
    key_pem, certificate = staff_key(clerk_harbin_daoli)
    key_file = tmp_path / "clerk.key.pem"
    key_file.write_bytes(key_pem)
    return clerk_harbin_daoli, key_file, certificate


def log_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def test_clerk_signs_a_file_and_anyone_verifies_it(
    clerk_with_key: tuple[User, Path, Certificate],
    live_server: object,
    browser: Browser,
    tmp_path: Path,
) -> None:
    clerk, key_file, certificate = clerk_with_key
    document = tmp_path / "请示.txt"
    document.write_bytes(PAYLOAD)
    base = live_server.url  # type: ignore[attr-defined]

    signer = log_in(browser, base, clerk.username)
    signer.goto(f"{base}/trust/sign/")
    signer.get_by_label("要签名的文件").set_input_files(document)
    signer.get_by_label("私钥文件（PEM）").set_input_files(key_file)
    signer.get_by_label("私钥口令").fill(KEY_PASSPHRASE)
    with signer.expect_download() as download_info:
        signer.get_by_role("button", name="签名并下载").click()
    download = download_info.value
    assert download.suggested_filename == "请示.txt.p7s"
    signature = tmp_path / download.suggested_filename
    download.save_as(signature)

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{base}/trust/verify/")
    visitor.get_by_label("原文件").set_input_files(document)
    visitor.get_by_label("签名文件（.p7s）").set_input_files(signature)
    visitor.get_by_role("button", name="验证").click()
    verdict = visitor.locator("#verdict")
    assert "有效" in verdict.locator(".signature-valid").inner_text()
    assert certificate.serial in verdict.inner_text()
    assert clerk.username in verdict.inner_text()

    changed = tmp_path / "改过的请示.txt"
    changed.write_bytes(PAYLOAD + "（改）".encode())
    visitor.get_by_label("原文件").set_input_files(changed)
    visitor.get_by_label("签名文件（.p7s）").set_input_files(signature)
    visitor.get_by_role("button", name="验证").click()
    assert "无效" in visitor.locator("#verdict .signature-invalid").inner_text()
