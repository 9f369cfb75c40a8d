"""``verify_certificate`` with the parse/signature memo (ADR 0067): cheap again, never stale."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.trust import selectors, services
from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.pki import memo
from egov.trust.tests.conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


def issue(suite_name: str = "sm", days: int = 365) -> Certificate:
    crypto = suite(suite_name)
    return services.issue_certificate(
        actor="ra",
        suite_name=suite_name,
        kind="system",
        subject="CN=交换成员,O=测试局,C=CN",
        public_key_der=crypto.public_key_der(crypto.generate_key()),
        passphrase=PASSPHRASE,
        days=days,
    )


def der_of(record: Certificate) -> bytes:
    return memo.parsed_certificate(record.certificate_pem).der


@pytest.mark.usefixtures("ca_sm")
def test_a_repeated_certificate_is_neither_parsed_nor_its_chain_checked_again() -> None:
    der = der_of(issue())
    selectors.verify_certificate(der)
    parsed_before = memo.parsed_certificate.cache_info()
    signatures_before = memo.issued_by.cache_info()
    selectors.verify_certificate(der)
    parsed_after = memo.parsed_certificate.cache_info()
    signatures_after = memo.issued_by.cache_info()
    assert parsed_after.misses == parsed_before.misses
    assert parsed_after.hits > parsed_before.hits
    assert signatures_after.misses == signatures_before.misses
    assert signatures_after.hits == signatures_before.hits + 1


@pytest.mark.usefixtures("ca_sm")
def test_revoked_after_being_cached_is_refused_on_its_very_next_use() -> None:
    record = issue()
    der = der_of(record)
    assert selectors.verify_certificate(der) == record
    services.revoke_certificate(actor="ra", serial=record.serial, reason="keyCompromise")
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(der)
    assert caught.value.code == ErrorCode.REVOKED
    assert "keyCompromise" in caught.value.reason


@pytest.mark.usefixtures("ca_sm")
def test_revocation_written_by_another_process_is_seen_at_once() -> None:
    """Another process revokes by writing the register row: nothing here is told.

    The row is changed with a bare UPDATE, not through trust's services, so no
    signal, hook or in-process invalidation can run: the refusal can only come
    from reading the revocation state on this very verification.
    """
    record = issue()
    der = der_of(record)
    assert selectors.verify_certificate(der) == record
    Certificate.objects.filter(pk=record.pk).update(
        status=Certificate.Status.REVOKED,
        revoked_at=record.not_before + dt.timedelta(hours=1),
        revocation_reason="superseded",
    )
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(der)
    assert caught.value.code == ErrorCode.REVOKED
    assert "superseded" in caught.value.reason


@pytest.mark.usefixtures("ca_sm")
def test_validity_is_checked_against_each_moment_not_remembered() -> None:
    record = issue(days=10)
    der = der_of(record)
    assert selectors.verify_certificate(der, at=record.not_after) == record
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(der, at=record.not_after + dt.timedelta(seconds=1))
    assert caught.value.code == ErrorCode.EXPIRED


def test_a_certificate_not_in_the_register_is_refused_though_its_signature_was_cached(
    ca_sm: CertificateAuthority,
) -> None:
    record = issue()
    der = der_of(record)
    selectors.verify_certificate(der)
    Certificate.objects.filter(pk=record.pk).delete()
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(der)
    assert caught.value.code == ErrorCode.UNKNOWN_ISSUER
    assert "not in its register" in caught.value.reason


def test_memo_is_bounded() -> None:
    assert memo.parsed_certificate.cache_info().maxsize == memo.SIZE
    assert memo.issued_by.cache_info().maxsize == memo.SIZE
