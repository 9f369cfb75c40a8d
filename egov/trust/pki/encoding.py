"""PEM/DER reading and writing, and the algorithm of a key or signature.

Every reader refuses bad input with a :class:`~egov.trust.errors.TrustError`
naming the field (``malformed``), never another exception.
"""

from __future__ import annotations

import datetime as dt

from asn1crypto import keys, pem, x509

from egov.trust.crypto import CryptoError, CryptoSuite, PublicKey, suite
from egov.trust.crypto.international import ECDSA_WITH_SHA256_OID, P256_CURVE_OID
from egov.trust.crypto.national import SM2_CURVE_OID, SM2_WITH_SM3_OID
from egov.trust.errors import invalid, malformed

# Anything asn1crypto may raise on hostile input while parsing lazily.
PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
MAX_INPUT = 256 * 1024

_EC_PUBLIC_KEY = "1.2.840.10045.2.1"
CURVE_SUITES = {SM2_CURVE_OID: "sm", P256_CURVE_OID: "intl"}
SIGNATURE_SUITES = {SM2_WITH_SM3_OID: "sm", ECDSA_WITH_SHA256_OID: "intl"}


def to_der(data: bytes | str, field: str, labels: tuple[str, ...]) -> bytes:
    """DER bytes of ``data``, given as DER or as PEM with one of ``labels``."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if not isinstance(data, bytes | bytearray):
        raise malformed(field, "must be PEM text or DER bytes")
    data = bytes(data)
    if not data.strip():
        raise malformed(field, "empty")
    if len(data) > MAX_INPUT:
        raise malformed(field, f"larger than {MAX_INPUT} bytes")
    if not pem.detect(data):
        return data
    try:
        label, _headers, der = pem.unarmor(data.strip())
    except PARSE_ERRORS:
        raise malformed(field, "not valid PEM") from None
    if label not in labels:
        raise malformed(field, f"PEM block is {label!r}, expected {' or '.join(labels)}")
    if not data.rstrip().endswith(f"-----END {label}-----".encode("ascii", "replace")):
        # asn1crypto also reads a block whose END line was cut short
        raise malformed(field, f"PEM block does not end with -----END {label}-----")
    result: bytes = der  # asn1crypto has no type hints
    return result


def to_pem(der: bytes, label: str) -> str:
    """PEM text of DER ``der`` under ``label`` (e.g. ``CERTIFICATE``)."""
    armored: bytes = pem.armor(label, der)  # asn1crypto has no type hints
    return armored.decode("ascii")


def suite_of_public_key(public_key_der: bytes, field: str = "public_key") -> str:
    """``"sm"`` or ``"intl"`` for an SM2 or P-256 SubjectPublicKeyInfo; else refuses."""
    try:
        info = keys.PublicKeyInfo.load(public_key_der)
        algorithm = info["algorithm"]["algorithm"].dotted
        parameters = info["algorithm"]["parameters"]
        curve = ""
        if algorithm == _EC_PUBLIC_KEY and parameters.name == "named":
            curve = parameters.chosen.dotted
    except PARSE_ERRORS:
        raise malformed(field, "not a SubjectPublicKeyInfo") from None
    if curve not in CURVE_SUITES:
        raise invalid(field, "only SM2 and ECDSA P-256 keys are supported")
    return CURVE_SUITES[curve]


def load_public_key(public_key_der: bytes, field: str = "public_key") -> PublicKey:
    """The crypto layer's public key for a SubjectPublicKeyInfo."""
    name = suite_of_public_key(public_key_der, field)
    try:
        return suite(name).load_public_key_der(public_key_der)
    except CryptoError as exc:
        raise malformed(field, exc.reason) from None


def verify_signature(
    signature_oid: str, public_key_der: bytes, data: bytes, signature: bytes, field: str
) -> bool:
    """True when ``signature`` over ``data`` verifies (SM2 with the default signer ID)."""
    name = SIGNATURE_SUITES.get(signature_oid)
    if name is None:
        raise invalid(field, f"unsupported signature algorithm {signature_oid}")
    if suite_of_public_key(public_key_der, field) != name:
        return False
    key = load_public_key(public_key_der, field)
    return suite(name).verify(key, data, signature)


def key_identifier(crypto: CryptoSuite, public_key_der: bytes) -> bytes:
    """Key identifier (RFC 7093 method 1): leftmost 160 bits of the suite's hash of the key bits."""
    info = keys.PublicKeyInfo.load(public_key_der)
    return crypto.digest(bytes(info["public_key"].contents[1:]))[:20]


def x509_time(moment: dt.datetime) -> x509.Time:
    """UTCTime before 2050, GeneralizedTime from 2050 (RFC 5280 4.1.2.5)."""
    moment = moment.astimezone(dt.UTC).replace(microsecond=0)
    if moment.year < 2050:
        return x509.Time(name="utc_time", value=moment)
    return x509.Time(name="general_time", value=moment)
