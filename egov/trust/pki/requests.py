"""PKCS#10 certificate requests (证书申请 CSR): build, parse, check the signature.

An SM2 request is checked under the GM/T 0009 default signer ID
``1234567812345678`` (make one with ``openssl req -sm3 -sigopt
distid:1234567812345678``). No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import algos, csr, keys, x509

from egov.trust.crypto import CryptoSuite, PrivateKey
from egov.trust.errors import ErrorCode, TrustError, malformed
from egov.trust.pki.encoding import PARSE_ERRORS, suite_of_public_key, to_der, verify_signature
from egov.trust.pki.names import format_name

REQUEST_LABELS = ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")


@dataclass(frozen=True)
class ParsedRequest:
    """A certificate request whose signature has been checked."""

    subject: str
    subject_name: x509.Name
    public_key_der: bytes
    suite_name: str


def build_request(crypto: CryptoSuite, key: PrivateKey, subject: x509.Name) -> bytes:
    """A DER PKCS#10 request for ``key``'s public key, signed by ``key``."""
    info = csr.CertificationRequestInfo(
        {
            "version": "v1",
            "subject": subject,
            "subject_pk_info": keys.PublicKeyInfo.load(crypto.public_key_der(key)),
            "attributes": [],
        }
    )
    info_der = info.dump()
    request = csr.CertificationRequest(
        {
            "certification_request_info": csr.CertificationRequestInfo.load(info_der),
            "signature_algorithm": algos.SignedDigestAlgorithm(
                {"algorithm": crypto.signature_algorithm_oid}
            ),
            "signature": crypto.sign(key, info_der),
        }
    )
    der: bytes = request.dump()  # asn1crypto has no type hints
    return der


def _parts(der: bytes) -> tuple[x509.Name, bytes, str, bytes, bytes]:
    request = csr.CertificationRequest.load(der, strict=True)
    info = request["certification_request_info"]
    subject = info["subject"]
    format_name(subject)  # refuses names it cannot read
    return (
        subject,
        info["subject_pk_info"].dump(),
        request["signature_algorithm"]["algorithm"].dotted,
        info.dump(),
        request["signature"].native,
    )


def load_request(data: bytes | str, field: str = "csr") -> ParsedRequest:
    """Parse a PEM/DER PKCS#10 request and check its self-signature; refuses naming ``field``."""
    der = to_der(data, field, REQUEST_LABELS)
    try:
        subject, public_key_der, signature_oid, info_der, signature = _parts(der)
    except PARSE_ERRORS:
        raise malformed(field, "not a PKCS#10 certificate request") from None
    if not isinstance(signature, bytes):
        raise malformed(field, "not a PKCS#10 certificate request")
    suite_name = suite_of_public_key(public_key_der, field)
    if not verify_signature(signature_oid, public_key_der, info_der, signature, field):
        raise TrustError(
            ErrorCode.BAD_SIGNATURE,
            field,
            "the request's signature does not verify with its own public key"
            " (SM2 requests must be signed with the ID 1234567812345678)",
        )
    return ParsedRequest(
        subject=format_name(subject),
        subject_name=subject,
        public_key_der=public_key_der,
        suite_name=suite_name,
    )
