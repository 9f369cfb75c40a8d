"""X.509 v3 certificates (数字证书): build, sign with a crypto suite, parse, check.

asn1crypto builds the structures (``cryptography`` cannot build SM2
certificates); the crypto suite signs the TBSCertificate bytes, SM2-with-SM3 or
ECDSA-with-SHA256. No Django import.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from asn1crypto import algos, keys, x509

from egov.trust.crypto import CryptoSuite, PrivateKey
from egov.trust.errors import ErrorCode, TrustError, invalid, malformed
from egov.trust.pki.encoding import (
    PARSE_ERRORS,
    key_identifier,
    suite_of_public_key,
    to_der,
    verify_signature,
    x509_time,
)
from egov.trust.pki.names import format_name
from egov.trust.pki.profiles import ANY_POLICY, CA_KEY_USAGE, POLICY_OIDS, Kind, profile

CERTIFICATE_LABELS = ("CERTIFICATE",)


def extension(name: str, value: object, *, critical: bool = False) -> x509.Extension:
    return x509.Extension({"extn_id": name, "critical": critical, "extn_value": value})


def parse_general_name(text: str) -> x509.GeneralName:
    """``dns:www.example.gov.cn`` / ``ip:10.0.0.1`` / ``email:a@b.cn`` / ``uri:https://...``."""
    kind, sep, value = text.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if not sep or not value:
        raise invalid("san", f"{text!r} is not TYPE:value (dns, ip, email, uri)")
    if kind == "dns":
        try:
            ascii_name = value.encode("idna").decode("ascii")
        except UnicodeError:
            raise invalid("san", f"{value!r} is not a valid DNS name") from None
        return x509.GeneralName(name="dns_name", value=ascii_name)
    if kind == "ip":
        try:
            return x509.GeneralName(name="ip_address", value=str(ipaddress.ip_address(value)))
        except ValueError:
            raise invalid("san", f"{value!r} is not an IP address") from None
    if kind == "email":
        if not value.isascii() or value.count("@") != 1:
            raise invalid("san", f"{value!r} is not an e-mail address")
        return x509.GeneralName(name="rfc822_name", value=value)
    if kind == "uri":
        if not value.isascii() or "://" not in value:
            raise invalid("san", f"{value!r} is not an absolute URI")
        return x509.GeneralName(name="uniform_resource_identifier", value=value)
    raise invalid("san", f"unknown name type {kind!r}; use dns, ip, email or uri")


def ca_extensions(
    crypto: CryptoSuite, *, public_key_der: bytes, issuer_key_der: bytes, path_length: int
) -> list[x509.Extension]:
    """Extensions of a CA certificate (CA 证书): CA true with pathlen, keyCertSign+cRLSign."""
    return [
        extension(
            "basic_constraints", {"ca": True, "path_len_constraint": path_length}, critical=True
        ),
        extension("key_usage", set(CA_KEY_USAGE), critical=True),
        extension("key_identifier", key_identifier(crypto, public_key_der)),
        extension(
            "authority_key_identifier",
            {"key_identifier": key_identifier(crypto, issuer_key_der)},
        ),
        extension("certificate_policies", [{"policy_identifier": ANY_POLICY}]),
    ]


def end_entity_extensions(
    crypto: CryptoSuite,
    *,
    kind: Kind,
    public_key_der: bytes,
    issuer_key_der: bytes,
    crl_url: str,
    sans: Iterable[str] = (),
) -> list[x509.Extension]:
    """Extensions of an end-entity certificate of ``kind`` (终端实体证书)."""
    chosen = profile(kind, crypto.name)
    names = [parse_general_name(text) for text in sans]
    if chosen.needs_network_name and not any(n.name in {"dns_name", "ip_address"} for n in names):
        raise invalid("san", "a server certificate needs at least one dns: or ip: name")
    result = [
        extension("basic_constraints", {"ca": False}, critical=True),
        extension("key_usage", set(chosen.key_usage), critical=True),
        extension(
            "extended_key_usage",
            list(chosen.extended_key_usage),
            critical=chosen.critical_extended_key_usage,
        ),
        extension("key_identifier", key_identifier(crypto, public_key_der)),
        extension(
            "authority_key_identifier",
            {"key_identifier": key_identifier(crypto, issuer_key_der)},
        ),
        extension(
            "crl_distribution_points",
            [
                {
                    "distribution_point": x509.DistributionPointName(
                        name="full_name",
                        value=[x509.GeneralName(name="uniform_resource_identifier", value=crl_url)],
                    )
                }
            ],
        ),
        extension("certificate_policies", [{"policy_identifier": POLICY_OIDS[kind]}]),
    ]
    if names:
        result.append(extension("subject_alt_name", names))
    return result


def build_certificate(
    crypto: CryptoSuite,
    *,
    signing_key: PrivateKey,
    serial: int,
    subject: x509.Name,
    issuer: x509.Name,
    public_key_der: bytes,
    not_before: dt.datetime,
    not_after: dt.datetime,
    extensions: list[x509.Extension],
) -> bytes:
    """The DER certificate, its TBS signed by ``signing_key`` with ``crypto``."""
    if not 0 < serial < 2**159:
        raise invalid("serial", "must be positive and fit in 20 octets")
    if not_after <= not_before:
        raise invalid("days", "the certificate would expire before it starts")
    if suite_of_public_key(public_key_der) != crypto.name:
        raise invalid("public_key", f"not a key of the {crypto.name!r} suite")
    algorithm = algos.SignedDigestAlgorithm({"algorithm": crypto.signature_algorithm_oid})
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial,
            "signature": algorithm,
            "issuer": issuer,
            "validity": {"not_before": x509_time(not_before), "not_after": x509_time(not_after)},
            "subject": subject,
            "subject_public_key_info": keys.PublicKeyInfo.load(public_key_der),
            "extensions": extensions,
        }
    )
    tbs_der = tbs.dump()
    signature = crypto.sign(signing_key, tbs_der)
    certificate = x509.Certificate(
        {
            "tbs_certificate": x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": algorithm,
            "signature_value": signature,
        }
    )
    der: bytes = certificate.dump()  # asn1crypto has no type hints
    return der


@dataclass(frozen=True)
class ParsedCertificate:
    """The parts of a certificate the platform reads (解析后的证书)."""

    der: bytes
    serial: int
    subject: str
    issuer: str
    subject_der: bytes
    issuer_der: bytes
    not_before: dt.datetime
    not_after: dt.datetime
    public_key_der: bytes
    suite_name: str
    signature_oid: str
    tbs_der: bytes
    signature: bytes
    is_ca: bool
    subject_key_id: bytes | None
    authority_key_id: bytes | None

    @property
    def serial_hex(self) -> str:
        return format(self.serial, "x")

    def signed_by(self, issuer_public_key_der: bytes) -> bool:
        """True when the issuer key's signature over the TBS verifies."""
        return verify_signature(
            self.signature_oid, issuer_public_key_der, self.tbs_der, self.signature, "certificate"
        )

    def check_validity(self, at: dt.datetime) -> None:
        """Refuse when ``at`` is outside notBefore..notAfter."""
        if at < self.not_before:
            raise TrustError(ErrorCode.NOT_YET_VALID, "certificate", "not valid yet")
        if at > self.not_after:
            raise TrustError(ErrorCode.EXPIRED, "certificate", "expired")


def _read(cert: x509.Certificate, der: bytes) -> ParsedCertificate:
    tbs = cert["tbs_certificate"]
    signature_oid = cert["signature_algorithm"]["algorithm"].dotted
    if tbs["signature"]["algorithm"].dotted != signature_oid:
        raise malformed("certificate", "inner and outer signature algorithms differ")
    basic = cert.basic_constraints_value
    ski = cert.key_identifier_value
    aki = cert.authority_key_identifier_value
    public_key_der = tbs["subject_public_key_info"].dump()
    return ParsedCertificate(
        der=der,
        serial=tbs["serial_number"].native,
        subject=format_name(tbs["subject"]),
        issuer=format_name(tbs["issuer"]),
        subject_der=tbs["subject"].dump(),
        issuer_der=tbs["issuer"].dump(),
        not_before=tbs["validity"]["not_before"].native,
        not_after=tbs["validity"]["not_after"].native,
        public_key_der=public_key_der,
        suite_name=suite_of_public_key(public_key_der, "certificate"),
        signature_oid=signature_oid,
        tbs_der=tbs.dump(),
        signature=cert["signature_value"].native,
        is_ca=bool(basic and basic["ca"].native),
        subject_key_id=ski.native if ski is not None else None,
        authority_key_id=aki["key_identifier"].native if aki is not None else None,
    )


def load_certificate(data: bytes | str, field: str = "certificate") -> ParsedCertificate:
    """Parse a PEM or DER certificate; anything else is refused naming ``field``."""
    der = to_der(data, field, CERTIFICATE_LABELS)
    try:
        cert = x509.Certificate.load(der, strict=True)
        parsed = _read(cert, der)
    except TrustError as exc:
        raise type(exc)(exc.code, field, exc.reason) from None
    except PARSE_ERRORS:
        raise malformed(field, "not an X.509 certificate") from None
    if not isinstance(parsed.serial, int) or not isinstance(parsed.not_after, dt.datetime):
        raise malformed(field, "not an X.509 certificate")
    return parsed


_MAX_SERIAL_HEX = 40


def normalise_serial(text: str) -> str:
    """Lowercase hex without leading zeros; colons (``0a:1b``) allowed; refuses non-hex."""
    if not isinstance(text, str):
        raise invalid("serial", "must be hexadecimal text")
    digits = text.strip().replace(":", "").lower()
    if not digits or len(digits) > _MAX_SERIAL_HEX:
        raise invalid("serial", f"must be 1 to {_MAX_SERIAL_HEX} hexadecimal digits")
    if any(ch not in "0123456789abcdef" for ch in digits):
        raise invalid("serial", "must be hexadecimal (0-9, a-f)")
    return digits.lstrip("0") or "0"
