"""Revocation from the web (吊销): holders and RA officers; the CRL is re-signed at once."""

from __future__ import annotations

import pytest

from egov.core.models import Event
from egov.trust import registration, selectors
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.pki.revocation import load_crl
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tests.ra_support import (
    issued_for,
    ra_officer,
    staff_daoli,
    written,
)

__all__ = ["ra_officer", "staff_daoli"]


def revoke(user, serial, reason, passphrase=PASSPHRASE):
    return registration.revoke(actor=user, serial=serial, reason=reason, passphrase=passphrase)


def test_the_holder_revokes_and_it_takes_effect_at_once(ca_sm, citizen, ra_officer):
    certificate = issued_for(citizen, ra_officer).certificate
    crl_before = selectors.latest_crl("sm").number

    revoked = revoke(citizen, certificate.serial, "keyCompromise")

    assert revoked.status == "revoked"
    assert revoked.revocation_reason == "keyCompromise"
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(certificate.certificate_pem)
    assert caught.value.code == ErrorCode.REVOKED
    crl = selectors.latest_crl("sm")
    assert crl.number == crl_before + 1
    assert load_crl(bytes(crl.der)).revoked == {int(certificate.serial, 16): 1}
    assert Event.objects.filter(event_type="CertificateRevoked").count() == 1


def test_a_holder_may_not_give_the_ra_reasons(ca_sm, citizen, ra_officer):
    certificate = issued_for(citizen, ra_officer).certificate
    before = written()
    with pytest.raises(TrustError) as caught:
        revoke(citizen, certificate.serial, "cACompromise")
    assert caught.value.field == "reason"
    assert written() == before


def test_an_officer_in_scope_revokes_with_any_reason(
    ca_sm, staff_daoli, ra_officer, ra_officer_harbin, ra_officer_qiqihar
):
    certificate = issued_for(staff_daoli, ra_officer, "org-seal").certificate
    before = written()
    with pytest.raises(TrustError) as caught:
        revoke(ra_officer_qiqihar, certificate.serial, "privilegeWithdrawn")
    assert (caught.value.code, caught.value.field) == (ErrorCode.NOT_FOUND, "serial")
    assert written() == before

    revoked = revoke(ra_officer_harbin, certificate.serial, "privilegeWithdrawn")

    assert revoked.revocation_reason == "privilegeWithdrawn"
    assert load_crl(bytes(selectors.latest_crl("sm").der)).revoked == {
        int(certificate.serial, 16): 9
    }


def test_bad_revocations_write_nothing(ca_sm, citizen, enterprise, ra_officer):
    certificate = issued_for(citizen, ra_officer).certificate
    cases = [
        (citizen, certificate.serial, "removeFromCRL", PASSPHRASE, "reason"),
        (citizen, certificate.serial, "keyCompromise", "", "passphrase"),
        (citizen, certificate.serial, "keyCompromise", "wrong-passphrase", "passphrase"),
        (citizen, "zz", "keyCompromise", PASSPHRASE, "serial"),
        (citizen, "abcdef", "keyCompromise", PASSPHRASE, "serial"),
        (enterprise, certificate.serial, "keyCompromise", PASSPHRASE, "serial"),
    ]
    for user, serial, reason, passphrase, field in cases:
        before = written()
        with pytest.raises(TrustError) as caught:
            revoke(user, serial, reason, passphrase)
        assert caught.value.field == field, (serial, reason)
        assert written() == before

    revoke(citizen, certificate.serial, "superseded")
    before = written()
    with pytest.raises(TrustError) as caught:
        revoke(ra_officer, certificate.serial, "keyCompromise")
    assert caught.value.code == ErrorCode.ALREADY_REVOKED
    assert written() == before
