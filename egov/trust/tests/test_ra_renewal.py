"""Renewal (证书更新): a new application; once approved the new certificate supersedes the old."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from egov.trust import registration, selectors
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate
from egov.trust.pki.revocation import load_crl
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tests.ra_support import (
    P12_PASSWORD,
    csr_for,
    issued_for,
    ra_officer,
    written,
)

__all__ = ["ra_officer"]


def renew(user, serial, **kwargs):
    kwargs = kwargs or {"pkcs12_password": P12_PASSWORD}
    return registration.request_renewal(actor=user, serial=serial, **kwargs)


def test_renewal_supersedes_the_old_certificate_once_approved(
    ca_sm, citizen, ra_officer, ra_officer_harbin
):
    old = issued_for(citizen, ra_officer).certificate
    renewal = renew(citizen, old.serial)
    assert renewal.renews == old
    assert (renewal.kind, renewal.suite, renewal.subject) == (old.kind, old.suite, old.subject)
    old.refresh_from_db()
    assert old.status == "good"  # nothing changes before the review

    approved = registration.approve_application(
        actor=ra_officer_harbin,
        number=renewal.number,
        identity_check="原证书持有人，身份证号一致",
        passphrase=PASSPHRASE,
    )

    old.refresh_from_db()
    assert old.status == "revoked"
    assert old.revocation_reason == "superseded"
    assert selectors.verify_certificate(approved.certificate.certificate_pem).holder == citizen
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(old.certificate_pem)
    assert caught.value.code == ErrorCode.REVOKED
    crl = load_crl(bytes(selectors.latest_crl("sm").der))
    assert crl.revoked[int(old.serial, 16)] == 4  # superseded


def test_renewal_with_a_new_csr(ca_sm, citizen, ra_officer):
    old = issued_for(citizen, ra_officer).certificate
    csr, _key = csr_for("CN=张三,C=CN")

    renewal = renew(citizen, old.serial, csr=csr)

    assert renewal.method == "csr"


def test_one_pending_renewal_at_a_time_and_not_for_revoked_ones(ca_sm, citizen, ra_officer):
    old = issued_for(citizen, ra_officer).certificate
    renew(citizen, old.serial)
    before = written()
    with pytest.raises(TrustError) as caught:
        renew(citizen, old.serial)
    assert caught.value.field == "serial"
    assert written() == before

    other = issued_for(citizen, ra_officer).certificate
    registration.revoke(
        actor=citizen, serial=other.serial, reason="keyCompromise", passphrase=PASSPHRASE
    )
    before = written()
    with pytest.raises(TrustError) as caught:
        renew(citizen, other.serial)
    assert caught.value.field == "serial"
    assert written() == before


def test_only_the_holder_renews(ca_sm, citizen, enterprise, ra_officer):
    old = issued_for(citizen, ra_officer).certificate
    before = written()
    for user in (enterprise, ra_officer):
        with pytest.raises(TrustError) as caught:
            renew(user, old.serial)
        assert (caught.value.code, caught.value.field) == (ErrorCode.NOT_FOUND, "serial")
    assert written() == before


def test_a_certificate_near_expiry_is_marked_for_renewal(ca_sm, citizen, ra_officer, client):
    soon = issued_for(citizen, ra_officer).certificate
    later = issued_for(citizen, ra_officer).certificate
    # Clock read on purpose: an offset from the code's own now, true on any date.
    Certificate.objects.filter(pk=soon.pk).update(not_after=timezone.now() + dt.timedelta(days=10))
    client.force_login(citizen)

    page = client.get("/trust/ra/mine/").content.decode()

    rows = {row.split("</tr>")[0] for row in page.split("<tr>") if "/trust/ra/certificates/" in row}
    marked = {row for row in rows if "临近到期" in row}
    assert len(marked) == 1
    assert soon.serial in marked.pop()
    assert any(later.serial in row and "临近到期" not in row for row in rows)
    detail = client.get(f"/trust/ra/certificates/{soon.serial}/").content.decode()
    assert "临近到期" in detail
    assert "申请更新" in detail
