"""Certificate revocation lists (证书吊销列表 CRL): build v2 CRLs, parse them.

No Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from asn1crypto import algos, crl, x509

from egov.trust.crypto import CryptoSuite, PrivateKey
from egov.trust.errors import malformed
from egov.trust.pki.encoding import PARSE_ERRORS, to_der, verify_signature, x509_time
from egov.trust.pki.names import format_name

CRL_LABELS = ("X509 CRL",)
REASON_NAMES = {
    0: "unspecified",
    1: "key_compromise",
    2: "ca_compromise",
    3: "affiliation_changed",
    4: "superseded",
    5: "cessation_of_operation",
    6: "certificate_hold",
    9: "privilege_withdrawn",
    10: "aa_compromise",
}


@dataclass(frozen=True)
class RevokedEntry:
    """One revoked certificate: serial, when, RFC 5280 reason code."""

    serial: int
    revoked_at: dt.datetime
    reason_code: int
    invalidity_date: dt.datetime | None = None
    """When the key is known or suspected to have been compromised (RFC 5280 5.3.2)."""


def _entry(item: RevokedEntry) -> dict[str, object]:
    entry: dict[str, object] = {
        "user_certificate": item.serial,
        "revocation_date": x509_time(item.revoked_at),
    }
    extensions: list[dict[str, object]] = []
    if item.reason_code:  # RFC 5280 5.3.1: omit the extension for "unspecified"
        extensions.append({"extn_id": "crl_reason", "extn_value": REASON_NAMES[item.reason_code]})
    if item.invalidity_date is not None:  # GeneralizedTime, UTC
        extensions.append(
            {"extn_id": "invalidity_date", "extn_value": item.invalidity_date.astimezone(dt.UTC)}
        )
    if extensions:
        entry["crl_entry_extensions"] = extensions
    return entry


def build_crl(
    crypto: CryptoSuite,
    *,
    signing_key: PrivateKey,
    issuer: x509.Name,
    issuer_key_id: bytes,
    number: int,
    this_update: dt.datetime,
    next_update: dt.datetime,
    revoked: Iterable[RevokedEntry],
) -> bytes:
    """A DER v2 CRL with CRL number and AKI, signed by ``signing_key``."""
    algorithm = algos.SignedDigestAlgorithm({"algorithm": crypto.signature_algorithm_oid})
    entries = [_entry(item) for item in sorted(revoked, key=lambda e: e.serial)]
    tbs = crl.TbsCertList(
        {
            "version": "v2",
            "signature": algorithm,
            "issuer": issuer,
            "this_update": x509_time(this_update),
            "next_update": x509_time(next_update),
            "revoked_certificates": entries or None,
            "crl_extensions": [
                {"extn_id": "crl_number", "extn_value": number},
                {
                    "extn_id": "authority_key_identifier",
                    "extn_value": {"key_identifier": issuer_key_id},
                },
            ],
        }
    )
    tbs_der = tbs.dump()
    signed = crl.CertificateList(
        {
            "tbs_cert_list": crl.TbsCertList.load(tbs_der),
            "signature_algorithm": algorithm,
            "signature": crypto.sign(signing_key, tbs_der),
        }
    )
    der: bytes = signed.dump()  # asn1crypto has no type hints
    return der


@dataclass(frozen=True)
class ParsedCrl:
    """A parsed CRL: issuer, number, update times and revoked serials with reason codes."""

    issuer: str
    number: int | None
    this_update: dt.datetime
    next_update: dt.datetime | None
    revoked: dict[int, int]
    signature_oid: str
    tbs_der: bytes
    signature: bytes

    def signed_by(self, issuer_public_key_der: bytes) -> bool:
        return verify_signature(
            self.signature_oid, issuer_public_key_der, self.tbs_der, self.signature, "crl"
        )


def _reason_code(entry: crl.RevokedCertificate) -> int:
    reason = entry.crl_reason_value
    if reason is None:
        return 0
    return {name: code for code, name in REASON_NAMES.items()}.get(reason.native, 0)


def load_crl(data: bytes | str, field: str = "crl") -> ParsedCrl:
    """Parse a PEM or DER CRL; refuses anything else naming ``field``."""
    der = to_der(data, field, CRL_LABELS)
    try:
        parsed = crl.CertificateList.load(der, strict=True)
        tbs = parsed["tbs_cert_list"]
        number = parsed.crl_number_value
        next_update = tbs["next_update"]
        return ParsedCrl(
            issuer=format_name(tbs["issuer"]),
            number=number.native if number is not None else None,
            this_update=tbs["this_update"].native,
            next_update=next_update.native if next_update else None,
            revoked={
                entry["user_certificate"].native: _reason_code(entry)
                for entry in tbs["revoked_certificates"]
            },
            signature_oid=parsed["signature_algorithm"]["algorithm"].dotted,
            tbs_der=tbs.dump(),
            signature=parsed["signature"].native,
        )
    except PARSE_ERRORS:
        raise malformed(field, "not an X.509 CRL") from None
