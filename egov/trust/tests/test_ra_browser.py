"""The RA journey in a real browser (证书申请-审核-下载): apply, approve, download the PKCS#12.

Headless Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page

from egov.core.testing import TEST_PASSWORD
from egov.trust.models import CertificateApplication
from egov.trust.tests.conftest import PASSPHRASE, openssl
from egov.trust.tests.ra_support import P12_PASSWORD, ra_officer

__all__ = ["ra_officer"]
T = TypeVar("T")
SCREENSHOTS = Path("/tmp")  # noqa: S108 - screenshots to look at by hand, not read back


def outside_the_event_loop(query: Callable[[], T]) -> T:
    """Run an ORM query in a plain thread: Playwright's sync API keeps a loop in this one."""

    def run() -> T:
        try:
            return query()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def log_in(browser: Browser, base: str, path: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.goto(f"{base}{path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def authenticator_of(user):
    """A confirmed TOTP device (authenticator app) for ``user``."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return outside_the_event_loop(
        lambda: TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)
    )


def pass_totp(page: Page, device) -> None:
    """Confirm the second factor RA officers need (TOTP) with a token from their device."""
    from django_otp.oath import TOTP

    assert page.get_by_label("动态口令").is_visible()
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("动态口令").fill(f"{token:0{device.digits}d}")
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state()


@pytest.fixture
def ca_passphrase(monkeypatch):
    monkeypatch.setenv("EGOV_CA_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("EGOV_CA_PASSPHRASE_FILE", raising=False)


def test_a_citizen_applies_an_officer_approves_the_citizen_downloads(
    emptied_audit_chain_afterwards,
    ca_passphrase,
    ca_sm,
    citizen,
    ra_officer,
    live_server,
    browser,
    tmp_path: Path,
):
    base = live_server.url
    applicant = log_in(browser, base, "/account/login/", citizen.username)
    applicant.goto(f"{base}/trust/ra/apply/")
    applicant.get_by_label("证书类别").select_option("person")
    applicant.get_by_label("由平台生成密钥", exact=False).check()
    applicant.get_by_label("PKCS#12 口令").fill(P12_PASSWORD)
    applicant.get_by_label("再次输入口令").fill(P12_PASSWORD)
    applicant.screenshot(path=SCREENSHOTS / "ra-apply.png", full_page=True)
    applicant.get_by_role("button", name="提交申请").click()
    applicant.wait_for_url(f"{base}/trust/ra/applications/*/")
    number = applicant.locator("#application-number").inner_text()
    assert applicant.locator("#application-status").inner_text() == "待审核"

    device = authenticator_of(ra_officer)
    officer = log_in(browser, base, "/login/", ra_officer.username)
    officer.goto(f"{base}/workbench/")
    pass_totp(officer, device)
    officer.goto(f"{base}/workbench/")
    officer.screenshot(path=SCREENSHOTS / "ra-workbench.png", full_page=True)
    officer.get_by_role("link", name="证书审核").first.click()
    officer.get_by_role("link", name=number).click()
    assert officer.locator("#identity-number").inner_text() == citizen.public_account.resident_id
    officer.get_by_label("身份核验记录").fill("核验居民身份证原件，人像比对一致")
    officer.screenshot(path=SCREENSHOTS / "ra-review.png", full_page=True)
    officer.get_by_role("button", name="审核通过并签发").click()
    officer.wait_for_load_state()
    assert officer.locator("#application-status").inner_text() == "已签发"

    applicant.reload()
    assert applicant.locator("#application-status").inner_text() == "已签发"
    applicant.locator("#download").get_by_label("PKCS#12 口令").fill(P12_PASSWORD)
    with applicant.expect_download() as download_info:
        applicant.get_by_role("button", name="下载 .p12 文件").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name == f"{number}.p12"
    info = openssl("pkcs12", "-info", "-nokeys", "-in", saved, "-passin", f"pass:{P12_PASSWORD}")
    assert info.returncode == 0, info.stderr
    assert info.stdout.count("BEGIN CERTIFICATE") == 3

    applicant.goto(f"{base}/trust/ra/mine/")
    applicant.screenshot(path=SCREENSHOTS / "ra-mine.png", full_page=True)
    application = outside_the_event_loop(
        lambda: CertificateApplication.objects.select_related("certificate").get(number=number)
    )
    assert application.sealed_private_key is None
    assert application.certificate.serial in applicant.locator("#certificates").inner_text()
