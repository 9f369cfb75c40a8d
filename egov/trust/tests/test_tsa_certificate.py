"""Our CA issues the TSA a time-stamping certificate (时间戳证书), RFC 3161 section 2.3."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import x509

from egov.core.models import AuditEntry
from egov.trust import selectors
from egov.trust.errors import TrustError
from egov.trust.models import Certificate, TimeStampingUnit
from egov.trust.tests.conftest import PASSPHRASE, openssl, openssl_accepts, x509_text
from egov.trust.tsa.services import active_unit, set_up_time_stamping


def extended_key_usage(pem: str) -> x509.Extension:
    certificate = x509.Certificate.load(selectors.load_certificate(pem).der)
    (found,) = [
        e for e in certificate["tbs_certificate"]["extensions"]
        if e["extn_id"].native == "extended_key_usage"
    ]  # fmt: skip
    return found


@pytest.mark.parametrize("suite_name", ["intl", "sm"])
def test_tsa_certificate_has_critical_time_stamping_only(
    request: pytest.FixtureRequest, tmp_path: Path, suite_name: str
) -> None:
    unit = request.getfixturevalue(f"tsa_{suite_name}")
    certificate = unit.certificate
    assert certificate.kind == Certificate.Kind.TIME_STAMPING
    usage = extended_key_usage(certificate.certificate_pem)
    assert usage["critical"].native is True
    assert usage["extn_value"].parsed.native == ["time_stamping"]
    text = x509_text(tmp_path, certificate.certificate_pem)
    assert "X509v3 Extended Key Usage: critical" in text
    assert "Time Stamping" in text
    assert openssl_accepts(
        tmp_path, certificate.certificate_pem, selectors.chain_pem(suite_name), suite_name
    )
    assert AuditEntry.objects.filter(
        action="trust.tsa_set_up", object_id=certificate.serial
    ).exists()


def test_openssl_accepts_intl_tsa_certificate_for_time_stamp_signing(
    tmp_path: Path, tsa_intl: TimeStampingUnit
) -> None:
    (tmp_path / "chain.pem").write_text(selectors.chain_pem("intl"), encoding="ascii")
    (tmp_path / "tsa.pem").write_text(tsa_intl.certificate.certificate_pem, encoding="ascii")
    result = openssl(
        "verify",
        "-purpose",
        "timestampsign",
        "-CAfile",
        tmp_path / "chain.pem",
        tmp_path / "tsa.pem",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_new_unit_retires_the_old_one(tsa_intl: TimeStampingUnit) -> None:
    newer = set_up_time_stamping(actor="ca-officer", suite_name="intl", passphrase=PASSPHRASE)
    assert active_unit("intl") == newer
    tsa_intl.refresh_from_db()
    assert not tsa_intl.is_active


def test_wrong_passphrase_leaves_nothing(ca_intl: object) -> None:
    with pytest.raises(TrustError) as refused:
        set_up_time_stamping(actor="ca-officer", suite_name="intl", passphrase="not-the-passphrase")
    assert refused.value.field == "passphrase"
    assert not TimeStampingUnit.objects.exists()
    assert not Certificate.objects.filter(kind=Certificate.Kind.TIME_STAMPING).exists()


def test_no_unit_before_set_up(ca_sm: object) -> None:
    with pytest.raises(TrustError) as refused:
        active_unit("sm")
    assert "egov ca tsa" in refused.value.reason
