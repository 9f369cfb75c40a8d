"""The RA's typed text: identity-check records, notes, reasons, CSRs, passwords (issue 10).

Before the fix an officer's rejection reason kept U+202E or an ESC as sent,
a number as the identity-check record was silently dropped to "", and a
pasted CSR had no size limit. Now each is refused naming the field and the
reason, in the service and on the page, and nothing is written.
"""

from __future__ import annotations

import pytest
from django.test import Client

from egov.trust import registration
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tests.ra_support import apply_generated, ra_officer, staff_daoli, written

__all__ = ["ra_officer", "staff_daoli"]


@pytest.mark.parametrize(
    ("reason", "why"),
    [
        ("材料不全\u202e", "control character U+202E is not allowed"),
        ("\x1b[31m材料不全", "control character U+001B is not allowed"),
        ("材料不全\x00", "control character U+0000 is not allowed"),
        (12345, "expected text, got int"),
        ("不" * 2001, "at most 2000 characters, got 2001"),
    ],
)
def test_a_bad_rejection_reason_is_refused(ca_sm, citizen, ra_officer, reason, why):
    application = apply_generated(citizen)
    before = written()
    with pytest.raises(TrustError) as refused:
        registration.reject_application(actor=ra_officer, number=application.number, reason=reason)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_INPUT, "reason")
    assert refused.value.reason == why
    assert written() == before


def test_an_identity_check_that_is_not_text_is_refused_not_dropped(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen)
    before = written()
    with pytest.raises(TrustError) as refused:
        registration.approve_application(
            actor=ra_officer,
            number=application.number,
            identity_check={"checked": True},
            passphrase=PASSPHRASE,
        )
    assert (refused.value.field, refused.value.reason) == (
        "identity_check",
        "expected text, got dict",
    )
    assert written() == before


def test_a_multi_line_identity_check_is_kept(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen)
    approved = registration.approve_application(
        actor=ra_officer,
        number=application.number,
        identity_check="一、身份证原件\n二、人像比对一致",
        passphrase=PASSPHRASE,
    )
    assert approved.identity_check == "一、身份证原件\n二、人像比对一致"


def test_a_huge_pasted_csr_is_refused_before_parsing(ca_sm, citizen):
    before = written()
    with pytest.raises(TrustError) as refused:
        registration.apply_for_certificate(actor=citizen, kind="person", csr="A" * (64 * 1024 + 1))
    assert refused.value.field == "csr"
    assert refused.value.reason.startswith("at most 65536 characters")
    assert written() == before


def test_a_password_with_a_control_character_is_refused(ca_sm, citizen):
    before = written()
    with pytest.raises(TrustError) as refused:
        registration.apply_for_certificate(
            actor=citizen, kind="person", pkcs12_password="Longjiang\x1b2026"
        )
    assert refused.value.reason == "control character U+001B is not allowed"
    assert written() == before


def test_the_review_page_shows_the_reason(ca_sm, citizen, ra_officer, monkeypatch):
    monkeypatch.setenv("EGOV_CA_PASSPHRASE", PASSPHRASE)
    application = apply_generated(citizen)
    before = written()
    client = Client()
    client.force_login(ra_officer)
    response = client.post(
        f"/trust/ra/applications/{application.number}/reject/", {"reason": "材料不全\u2067"}
    )
    assert response.status_code == 400
    assert "control character U+2067 is not allowed" in response.content.decode()
    assert written() == before
