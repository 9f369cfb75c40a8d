"""Our TSA's tokens (时间戳令牌): TSTInfo fields, signature, ESSCertIDv2, and their checks."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from asn1crypto import cms, tsp
from django.utils import timezone

from egov.trust import selectors, services
from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.models import TimeStampingUnit
from egov.trust.pki.cms import DIGEST_OIDS, SHA256_OID, SM3_OID
from egov.trust.pki.profiles import TSA_POLICY
from egov.trust.registration import pem_blocks
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tsa.protocol import (
    TimeStampingKey,
    TimeStampRequest,
    TimeStampResp,
    build_request,
    build_token,
    verify_response,
    verify_token,
)
from egov.trust.tsa.services import answer_query, timestamp_root

MOMENT = dt.datetime(2026, 11, 20, 1, 30, 15, tzinfo=dt.UTC)  # 09:30:15 in Harbin


def trusted(suite_name: str) -> list[bytes]:
    return pem_blocks(selectors.chain_pem(suite_name))


def token_parts(token: bytes) -> tuple[cms.SignedData, tsp.TSTInfo]:
    signed_data = cms.ContentInfo.load(token)["content"]
    return signed_data, signed_data["encap_content_info"]["content"].parsed


@pytest.mark.parametrize("suite_name", ["intl", "sm"])
def test_root_token_carries_the_request_and_verifies(
    request: pytest.FixtureRequest, time_machine: time_machine.TimeMachineFixture, suite_name: str
) -> None:
    time_machine.move_to(MOMENT, tick=False)  # the CA, the TSA and the token all at MOMENT
    unit: TimeStampingUnit = request.getfixturevalue(f"tsa_{suite_name}")
    root = suite(suite_name).digest(b"batch root")
    token = timestamp_root(root, suite_name=suite_name)
    verified = verify_token(token, digest=root, trusted=trusted(suite_name))
    signed_data, tst_info = token_parts(token)
    assert tst_info["policy"].dotted == TSA_POLICY
    assert (
        tst_info["message_imprint"]["hash_algorithm"]["algorithm"].dotted == DIGEST_OIDS[suite_name]
    )
    assert tst_info["gen_time"].native == MOMENT
    assert tst_info["accuracy"]["seconds"].native == 1
    assert verified.gen_time == MOMENT
    assert verified.tsa_certificate.serial_hex == unit.certificate.serial
    signer = signed_data["signer_infos"][0]
    (ess,) = [a for a in signer["signed_attrs"] if a["type"].native == "signing_certificate_v2"]
    cert_id = ess["values"][0]["certs"][0]
    certificate_der = verified.tsa_certificate.der
    if suite_name == "intl":
        assert cert_id["cert_hash"].native == hashlib.sha256(certificate_der).digest()
    else:
        assert cert_id["hash_algorithm"]["algorithm"].dotted == SM3_OID
        assert cert_id["cert_hash"].native == suite("sm").digest(certificate_der)


def test_each_token_has_its_own_serial(tsa_intl: TimeStampingUnit) -> None:
    root = hashlib.sha256(b"root").digest()
    serials = {
        token_parts(timestamp_root(root, suite_name="intl"))[1]["serial_number"].native
        for _ in range(5)
    }
    assert len(serials) == 5


def test_nonce_is_echoed_and_cert_req_honoured(tsa_intl: TimeStampingUnit) -> None:
    digest = hashlib.sha512(b"document").digest()
    with_cert = answer_query(
        build_request(digest, "2.16.840.1.101.3.4.2.3", nonce=987654321), suite_name="intl"
    )
    verified = verify_response(with_cert, digest=digest, nonce=987654321, trusted=trusted("intl"))
    assert verified.nonce == 987654321
    without = answer_query(
        build_request(digest, "2.16.840.1.101.3.4.2.3", cert_req=False), suite_name="intl"
    )
    token = TimeStampResp.load(without)["time_stamp_token"].dump()
    assert token_parts(token)[0]["certificates"].native is None
    with pytest.raises(TrustError, match="neither in the token"):
        verify_token(token, digest=digest, trusted=trusted("intl"))
    tsa_der = pem_blocks(tsa_intl.certificate.certificate_pem)
    assert verify_token(token, digest=digest, trusted=trusted("intl"), tsa_certificates=tsa_der)


def test_wrong_nonce_other_digest_and_tampering_are_refused(tsa_intl: TimeStampingUnit) -> None:
    digest = hashlib.sha256(b"log batch").digest()
    reply = answer_query(build_request(digest, SHA256_OID, nonce=42), suite_name="intl")
    with pytest.raises(TrustError, match="nonce"):
        verify_response(reply, digest=digest, nonce=43, trusted=trusted("intl"))
    with pytest.raises(TrustError, match="imprint"):
        verify_response(reply, digest=hashlib.sha256(b"other").digest(), trusted=trusted("intl"))
    token = TimeStampResp.load(reply)["time_stamp_token"].dump()
    position = token.index(digest)  # the imprint inside the signed TSTInfo
    forged = token[:position] + bytes([token[position] ^ 1]) + token[position + 1 :]
    forged_digest = bytes([digest[0] ^ 1]) + digest[1:]
    with pytest.raises(TrustError, match="message digest"):
        verify_token(forged, digest=forged_digest, trusted=trusted("intl"))


def test_token_from_another_ca_is_not_trusted(tsa_intl: TimeStampingUnit) -> None:
    digest = hashlib.sha256(b"x").digest()
    token = timestamp_root(digest, suite_name="intl")
    services.initialise_ca(actor="ca-officer", suite_name="intl", passphrase=PASSPHRASE, force=True)
    with pytest.raises(TrustError) as refused:
        verify_token(token, digest=digest, trusted=trusted("intl"))
    assert refused.value.code == "unknown_issuer"


def test_a_certificate_without_time_stamping_usage_cannot_sign_tokens(ca_intl: object) -> None:
    """A system certificate (clientAuth, serverAuth) signing a token is refused (RFC 3161 2.3)."""
    crypto = suite("intl")
    key = crypto.generate_key()
    system = services.issue_certificate(
        actor="ca-officer", suite_name="intl", kind="system", subject="CN=交换系统",
        public_key_der=crypto.public_key_der(key), passphrase=PASSPHRASE,
    )  # fmt: skip
    signer = TimeStampingKey(crypto, key, pem_blocks(system.certificate_pem)[0])
    digest = hashlib.sha256(b"y").digest()
    request = TimeStampRequest(SHA256_OID, digest, nonce=None, cert_req=True, policy=None)
    # The code's own now (the test clock under EGOV_TEST_TODAY): the certificate was issued
    # just before, so any date works; only the missing usage is under test.
    token = build_token(signer, request, serial=7, gen_time=timezone.now())
    with pytest.raises(TrustError, match="extendedKeyUsage"):
        verify_token(token, digest=digest, trusted=trusted("intl"))
