"""Detached CMS SignedData (RFC 5652) with asn1crypto (分离式CMS签名数据).

Pure: no Django import. :func:`build_signed_data` makes a detached signature
over a payload with the signed attributes content-type, message-digest (SM3 for
the national suite, SHA-256 for the international one) and signing-time, signed
with SM2-with-SM3 or ecdsa-with-SHA256, the signer's certificate included.
:func:`parse_signed_data` reads one back, refusing anything else with a
:class:`~egov.trust.errors.TrustError` naming the field; :func:`check_payload`
says whether it signs a given payload.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from asn1crypto import cms, x509

from egov.trust.crypto import CryptoSuite, PrivateKey
from egov.trust.crypto.international import ECDSA_WITH_SHA256_OID
from egov.trust.crypto.national import SM2_WITH_SM3_OID
from egov.trust.errors import TrustError, malformed
from egov.trust.pki.certificates import ParsedCertificate, load_certificate
from egov.trust.pki.encoding import PARSE_ERRORS, to_der, verify_signature, x509_time

SM3_OID = "1.2.156.10197.1.401"
SHA256_OID = "2.16.840.1.101.3.4.2.1"
DIGEST_OIDS = {"sm": SM3_OID, "intl": SHA256_OID}
SIGNATURE_OIDS = {"sm": SM2_WITH_SM3_OID, "intl": ECDSA_WITH_SHA256_OID}
CMS_LABELS = ("CMS", "PKCS7")
FIELD = "signature"


@dataclass(frozen=True)
class ParsedSignature:
    """The parts of a detached SignedData the platform checks (解析后的签名)."""

    certificate: ParsedCertificate
    digest_oid: str
    signature_oid: str
    signed_attrs_der: bytes
    signature: bytes
    message_digest: bytes
    signing_time: dt.datetime

    @property
    def suite_name(self) -> str:
        return self.certificate.suite_name


def _sorted_attributes(items: list[cms.CMSAttribute]) -> cms.CMSAttributes:
    """DER orders a SET OF by the encodings of its members (X.690 11.6)."""
    return cms.CMSAttributes(sorted(items, key=lambda item: item.dump()))


def _cms_time(moment: dt.datetime) -> cms.Time:
    """UTCTime before 2050, GeneralizedTime from 2050, as for certificates."""
    chosen = x509_time(moment)
    return cms.Time({chosen.name: chosen.native})


def build_signed_data(
    crypto: CryptoSuite,
    *,
    signing_key: PrivateKey,
    certificate_der: bytes,
    payload: bytes,
    signing_time: dt.datetime,
) -> bytes:
    """DER ContentInfo of a detached SignedData over ``payload`` by ``signing_key``."""
    certificate = x509.Certificate.load(certificate_der)
    digest_algorithm = {"algorithm": DIGEST_OIDS[crypto.name]}
    attributes = _sorted_attributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute({"type": "message_digest", "values": [crypto.digest(payload)]}),
            cms.CMSAttribute({"type": "signing_time", "values": [_cms_time(signing_time)]}),
        ]
    )
    signature = crypto.sign(signing_key, attributes.dump())
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": certificate.issuer,
                        "serial_number": certificate.serial_number,
                    }
                }
            ),
            "digest_algorithm": digest_algorithm,
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": SIGNATURE_OIDS[crypto.name]},
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [digest_algorithm],
            "encap_content_info": {"content_type": "data"},
            "certificates": [cms.CertificateChoices({"certificate": certificate})],
            "signer_infos": [signer],
        }
    )
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    der: bytes = info.dump()  # asn1crypto has no type hints
    return der


def _attribute(attributes: cms.CMSAttributes, name: str) -> object:
    values = [a["values"] for a in attributes if a["type"].native == name]
    if len(values) != 1 or len(values[0]) != 1:
        raise malformed(FIELD, f"needs exactly one signed {name} attribute")
    return values[0][0].native


def _signer_certificate(signed_data: cms.SignedData, signer: cms.SignerInfo) -> ParsedCertificate:
    sid = signer["sid"]
    if sid.name != "issuer_and_serial_number":
        raise malformed(FIELD, "signer must be named by issuer and serial number")
    serial = sid.chosen["serial_number"].native
    issuer_der = sid.chosen["issuer"].dump()
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue
        parsed = load_certificate(choice.chosen.dump(), FIELD)
        if parsed.serial == serial and parsed.issuer_der == issuer_der:
            return parsed
    raise malformed(FIELD, "the signer's certificate is not included")


def _read(info: cms.ContentInfo) -> ParsedSignature:
    if info["content_type"].native != "signed_data":
        raise malformed(FIELD, "not a CMS SignedData")
    signed_data = info["content"]
    if signed_data["encap_content_info"]["content"].native is not None:
        raise malformed(FIELD, "must be detached (no content inside)")
    signers = list(signed_data["signer_infos"])
    if len(signers) != 1:
        raise malformed(FIELD, "must have exactly one signer")
    signer = signers[0]
    attributes = signer["signed_attrs"]
    if not attributes:
        raise malformed(FIELD, "signed attributes are missing")
    if _attribute(attributes, "content_type") != "data":
        raise malformed(FIELD, "signed content-type must be data")
    signing_time = _attribute(attributes, "signing_time")
    message_digest = _attribute(attributes, "message_digest")
    if not isinstance(signing_time, dt.datetime) or not isinstance(message_digest, bytes):
        raise malformed(FIELD, "signing-time or message-digest is not well formed")
    return ParsedSignature(
        certificate=_signer_certificate(signed_data, signer),
        digest_oid=signer["digest_algorithm"]["algorithm"].dotted,
        signature_oid=signer["signature_algorithm"]["algorithm"].dotted,
        signed_attrs_der=b"\x31" + attributes.dump()[1:],  # [0] IMPLICIT back to SET OF
        signature=signer["signature"].native,
        message_digest=message_digest,
        signing_time=signing_time,
    )


def parse_signed_data(data: bytes | str) -> ParsedSignature:
    """Read a DER or PEM detached SignedData; refuses anything else naming ``signature``."""
    der = to_der(data, FIELD, CMS_LABELS)
    try:
        parsed = _read(cms.ContentInfo.load(der, strict=True))
    except TrustError:
        raise
    except PARSE_ERRORS:
        raise malformed(FIELD, "not a CMS SignedData") from None
    return parsed


def check_payload(crypto: CryptoSuite, parsed: ParsedSignature, payload: bytes) -> str:
    """Empty when ``parsed`` signs ``payload``; else why not (digest or signature)."""
    return check_digest(crypto, parsed, crypto.digest(payload))


def check_digest(crypto: CryptoSuite, parsed: ParsedSignature, digest: bytes) -> str:
    """Empty when ``parsed`` signs a payload whose digest is ``digest``; else why not."""
    if parsed.digest_oid != DIGEST_OIDS[crypto.name]:
        return f"digest algorithm {parsed.digest_oid} does not fit the {crypto.name} suite"
    if parsed.signature_oid != SIGNATURE_OIDS[crypto.name]:
        return f"signature algorithm {parsed.signature_oid} does not fit the {crypto.name} suite"
    if not hmac.compare_digest(digest, parsed.message_digest):
        return "message digest does not match the payload"
    if not verify_signature(
        parsed.signature_oid,
        parsed.certificate.public_key_der,
        parsed.signed_attrs_der,
        parsed.signature,
        FIELD,
    ):
        return "signature does not verify with the signer's certificate"
    return ""
