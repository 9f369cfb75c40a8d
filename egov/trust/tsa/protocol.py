"""RFC 3161 time-stamp protocol (时间戳协议): requests, tokens, responses, verification.

Pure: no Django. asn1crypto's ``tsp`` and ``cms`` modules hold the structures;
our crypto suites sign and verify (SM2-with-SM3 or ECDSA P-256 with SHA-256),
as for certificates (ADR 0011, ADR 0063).

* :func:`parse_request` reads a TimeStampReq, refusing it with a
  :class:`TimeStampRefusedError` carrying the RFC 3161 failInfo bit.
* :func:`build_token` signs a TSTInfo as CMS SignedData with the TSA key, with
  the content-type, message-digest and ESSCertIDv2 signing-certificate
  attributes (RFC 5816).
* :func:`granted` / :func:`rejection` wrap a token or a refusal as TimeStampResp.
* :func:`build_request` and :func:`verify_response` / :func:`verify_token` are
  the client's side: they check the signature, the TSA certificate's critical
  id-kp-timeStamping, its chain to the caller's trusted CA certificates, the
  imprint and the nonce.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from asn1crypto import cms, core, tsp, x509

from egov.trust.crypto import CryptoSuite, PrivateKey, suite
from egov.trust.errors import ErrorCode, TrustError, malformed
from egov.trust.pki.certificates import ParsedCertificate, load_certificate
from egov.trust.pki.cms import DIGEST_OIDS, SHA256_OID, SIGNATURE_OIDS, SM3_OID
from egov.trust.pki.encoding import PARSE_ERRORS, verify_signature
from egov.trust.pki.profiles import TSA_POLICY

SHA384_OID = "2.16.840.1.101.3.4.2.2"
SHA512_OID = "2.16.840.1.101.3.4.2.3"
SHA1_OID = "1.3.14.3.2.26"
IMPRINT_SIZES = {SHA256_OID: 32, SHA384_OID: 48, SHA512_OID: 64, SM3_OID: 32}
"""Hash algorithms we time-stamp, with their digest sizes. SHA-1 and MD5 are refused."""
HASH_NAMES = {SHA256_OID: "sha256", SHA384_OID: "sha384", SHA512_OID: "sha512", SM3_OID: "sm3"}
MAX_REQUEST_BYTES = 4096
"""A TimeStampReq with a SHA-512 imprint, a nonce and a policy is under 200 bytes."""
MAX_NONCE_BITS = 256
ACCURACY_SECONDS = 1
TIME_STAMPING_EKU = "time_stamping"
FIELD = "token"


class FailInfo(StrEnum):
    """The RFC 3161 PKIFailureInfo bits we answer with (asn1crypto's names)."""

    BAD_ALG = "bad_alg"
    BAD_REQUEST = "bad_request"
    BAD_DATA_FORMAT = "bad_data_format"
    UNACCEPTED_POLICY = "unaccepted_policy"
    UNACCEPTED_EXTENSION = "unaccepted_extensions"
    SYSTEM_FAILURE = "system_failure"


class TimeStampRefusedError(ValueError):
    """A request the TSA rejects: the failInfo bit and a reason for statusString."""

    def __init__(self, fail_info: FailInfo, reason: str) -> None:
        super().__init__(f"{fail_info}: {reason}")
        self.fail_info = fail_info
        self.reason = reason


def digest_of(hash_oid: str, data: bytes) -> bytes:
    """``data`` hashed with the algorithm ``hash_oid`` (SHA-2 family or SM3)."""
    if hash_oid == SM3_OID:
        return suite("sm").digest(data)
    name = HASH_NAMES.get(hash_oid)
    if name is None:
        raise TimeStampRefusedError(FailInfo.BAD_ALG, f"unsupported hash algorithm {hash_oid}")
    return hashlib.new(name, data).digest()


# --- the request --------------------------------------------------------------------


@dataclass(frozen=True)
class TimeStampRequest:
    """What a TimeStampReq asks (时间戳请求)."""

    hash_oid: str
    digest: bytes
    nonce: int | None
    cert_req: bool
    policy: str | None


def _load_request(der: bytes) -> tsp.TimeStampReq:
    if len(der) > MAX_REQUEST_BYTES:
        raise TimeStampRefusedError(FailInfo.BAD_REQUEST, f"larger than {MAX_REQUEST_BYTES} bytes")
    try:
        request = tsp.TimeStampReq.load(der, strict=True)
        request.native  # noqa: B018 - parses every field now, so bad DER fails here
    except PARSE_ERRORS:
        raise TimeStampRefusedError(FailInfo.BAD_DATA_FORMAT, "not a DER TimeStampReq") from None
    return request


def parse_request(der: bytes) -> TimeStampRequest:
    """Read a DER TimeStampReq; refuses with the failInfo RFC 3161 names for each fault."""
    request = _load_request(der)
    if request["version"].native != "v1":
        raise TimeStampRefusedError(FailInfo.BAD_REQUEST, "version must be 1")
    algorithm = request["message_imprint"]["hash_algorithm"]
    hash_oid = algorithm["algorithm"].dotted
    if hash_oid not in IMPRINT_SIZES:
        raise TimeStampRefusedError(FailInfo.BAD_ALG, f"unsupported hash algorithm {hash_oid}")
    if algorithm["parameters"].native is not None:
        raise TimeStampRefusedError(FailInfo.BAD_ALG, "hash algorithm parameters must be absent")
    digest = request["message_imprint"]["hashed_message"].native
    if len(digest) != IMPRINT_SIZES[hash_oid]:
        raise TimeStampRefusedError(
            FailInfo.BAD_DATA_FORMAT,
            f"hashed message is {len(digest)} bytes; {HASH_NAMES[hash_oid]} gives "
            f"{IMPRINT_SIZES[hash_oid]}",
        )
    nonce = request["nonce"].native
    if nonce is not None and (nonce < 0 or nonce.bit_length() > MAX_NONCE_BITS):
        raise TimeStampRefusedError(
            FailInfo.BAD_REQUEST, f"nonce must be 0 to {MAX_NONCE_BITS} bits"
        )
    policy = request["req_policy"].dotted if request["req_policy"].native is not None else None
    if policy is not None and policy != TSA_POLICY:
        raise TimeStampRefusedError(FailInfo.UNACCEPTED_POLICY, f"we time-stamp under {TSA_POLICY}")
    if request["extensions"].native:
        raise TimeStampRefusedError(FailInfo.UNACCEPTED_EXTENSION, "no extensions are supported")
    return TimeStampRequest(
        hash_oid=hash_oid,
        digest=digest,
        nonce=nonce,
        cert_req=bool(request["cert_req"].native),
        policy=policy,
    )


def build_request(
    digest: bytes, hash_oid: str, *, nonce: int | None = None, cert_req: bool = True
) -> bytes:
    """A DER TimeStampReq for ``digest`` (computed with ``hash_oid``)."""
    fields: dict[str, object] = {
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": hash_oid}, "hashed_message": digest},
        "cert_req": cert_req,
    }
    if nonce is not None:
        fields["nonce"] = nonce
    der: bytes = tsp.TimeStampReq(fields).dump()
    return der


def new_nonce() -> int:
    """A random 64-bit nonce, as ``openssl ts -query`` makes."""
    return secrets.randbits(64)


# --- the token ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimeStampingKey:
    """The TSA's key, its certificate (DER) and suite: what signs tokens."""

    crypto: CryptoSuite
    private_key: PrivateKey
    certificate_der: bytes

    @cached_property
    def _parts(self) -> tuple[bytes, bytes, int, bytes]:
        """DER of the subject, the issuer and the ESS attribute, and the serial: made once.

        asn1crypto re-encodes a parsed certificate's parts each time they are put
        into a new structure (milliseconds per token); loading saved DER does not.
        """
        certificate = x509.Certificate.load(self.certificate_der)
        ess = _signing_certificate(self.crypto, certificate).dump()
        return (
            certificate.subject.dump(),
            certificate.issuer.dump(),
            certificate.serial_number,
            ess,
        )


def _tst_info(
    request: TimeStampRequest, *, serial: int, gen_time: dt.datetime, tsa_name: x509.Name
) -> tsp.TSTInfo:
    fields: dict[str, object] = {
        "version": "v1",
        "policy": TSA_POLICY,
        "message_imprint": {
            "hash_algorithm": {"algorithm": request.hash_oid},
            "hashed_message": request.digest,
        },
        "serial_number": serial,
        "gen_time": gen_time.astimezone(dt.UTC).replace(microsecond=0),
        "accuracy": {"seconds": ACCURACY_SECONDS},
        "tsa": x509.GeneralName(name="directory_name", value=tsa_name),
    }
    if request.nonce is not None:
        fields["nonce"] = request.nonce
    return tsp.TSTInfo(fields)


def _signing_certificate(crypto: CryptoSuite, certificate: x509.Certificate) -> cms.CMSAttribute:
    """The ESSCertIDv2 attribute (RFC 5035): the TSA certificate's hash, issuer and serial."""
    cert_id: dict[str, object] = {
        "cert_hash": digest_of(DIGEST_OIDS[crypto.name], certificate.dump()),
        "issuer_serial": {
            "issuer": [x509.GeneralName(name="directory_name", value=certificate.issuer)],
            "serial_number": certificate.serial_number,
        },
    }
    if crypto.name != "intl":  # SHA-256 is the default and, being DER, left out
        cert_id["hash_algorithm"] = {"algorithm": DIGEST_OIDS[crypto.name]}
    return cms.CMSAttribute({"type": "signing_certificate_v2", "values": [{"certs": [cert_id]}]})


def build_token(
    signer: TimeStampingKey, request: TimeStampRequest, *, serial: int, gen_time: dt.datetime
) -> bytes:
    """The DER time-stamp token (时间戳令牌): a TSTInfo in SignedData signed by the TSA."""
    crypto = signer.crypto
    subject_der, issuer_der, certificate_serial, ess_der = signer._parts
    content = _tst_info(
        request, serial=serial, gen_time=gen_time, tsa_name=x509.Name.load(subject_der)
    )
    content_der = content.dump()
    digest_oid = DIGEST_OIDS[crypto.name]
    attributes = cms.CMSAttributes(
        sorted(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
                cms.CMSAttribute(
                    {"type": "message_digest", "values": [digest_of(digest_oid, content_der)]}
                ),
                cms.CMSAttribute.load(ess_der),
            ],
            key=lambda item: item.dump(),  # DER orders a SET OF by encoding
        )
    )
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": {
                "issuer_and_serial_number": {
                    "issuer": x509.Name.load(issuer_der),
                    "serial_number": certificate_serial,
                }
            },
            "digest_algorithm": {"algorithm": digest_oid},
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": SIGNATURE_OIDS[crypto.name]},
            "signature": crypto.sign(signer.private_key, attributes.dump()),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": digest_oid}],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(content_der),
            },
            "certificates": (
                [x509.Certificate.load(signer.certificate_der)] if request.cert_req else None
            ),
            "signer_infos": [signer_info],
        }
    )
    der: bytes = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    return der


class TimeStampResp(tsp.TimeStampResp):  # type: ignore[misc]  # asn1crypto has no types
    """TimeStampResp as RFC 3161 2.4.2 has it: the token is OPTIONAL (absent on rejection).

    asn1crypto 1.5 declares it mandatory, so a rejection could be neither built nor read.
    """

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def granted(token: bytes) -> bytes:
    """A TimeStampResp with status granted and ``token``."""
    response = TimeStampResp(
        {"status": {"status": "granted"}, "time_stamp_token": cms.ContentInfo.load(token)}
    )
    der: bytes = response.dump()
    return der


def rejection(fail_info: FailInfo, reason: str) -> bytes:
    """A TimeStampResp with status rejection, the failInfo bit and ``reason``."""
    response = TimeStampResp(
        {
            "status": {
                "status": "rejection",
                "status_string": [reason[:200]],
                "fail_info": {fail_info.value},
            }
        }
    )
    der: bytes = response.dump()
    return der


# --- verification (the client's side) ----------------------------------------------


@dataclass(frozen=True)
class VerifiedToken:
    """A token that checked out (已验证的时间戳)."""

    der: bytes
    gen_time: dt.datetime
    serial: int
    policy: str
    hash_oid: str
    digest: bytes
    nonce: int | None
    tsa_certificate: ParsedCertificate


def _refuse(reason: str, code: ErrorCode = ErrorCode.BAD_SIGNATURE) -> TrustError:
    return TrustError(code, FIELD, reason)


def verify_response(
    response_der: bytes,
    *,
    digest: bytes,
    trusted: Sequence[bytes | str],
    hash_oid: str | None = None,
    nonce: int | None = None,
) -> VerifiedToken:
    """Read a TimeStampResp: refuses a non-granted status, then :func:`verify_token`."""
    try:
        response = TimeStampResp.load(response_der, strict=True)
        status = response["status"]["status"].native
        token = response["time_stamp_token"]
        token_der = token.dump() if token.native is not None else b""
    except PARSE_ERRORS:
        raise malformed(FIELD, "not a DER TimeStampResp") from None
    if status not in {"granted", "granted_with_mods"} or not token_der:
        text = "; ".join(response["status"]["status_string"].native or [])
        fail = sorted(response["status"]["fail_info"].native or [])
        raise _refuse(f"the TSA answered {status} {fail} {text}".strip(), ErrorCode.INVALID_INPUT)
    return verify_token(token_der, digest=digest, trusted=trusted, hash_oid=hash_oid, nonce=nonce)


def _signed_data(token_der: bytes) -> tuple[cms.SignedData, cms.SignerInfo, tsp.TSTInfo]:
    try:
        info = cms.ContentInfo.load(token_der, strict=True)
        if info["content_type"].native != "signed_data":
            raise malformed(FIELD, "not a CMS SignedData")
        signed_data = info["content"]
        encap = signed_data["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise malformed(FIELD, "the signed content is not a TSTInfo")
        tst_info = encap["content"].parsed
        tst_info.native  # noqa: B018 - parses every field now
        signers = list(signed_data["signer_infos"])
    except TrustError:
        raise
    except PARSE_ERRORS:
        raise malformed(FIELD, "not a DER time-stamp token") from None
    if len(signers) != 1:
        raise malformed(FIELD, "must have exactly one signer")
    return signed_data, signers[0], tst_info


def _attribute(signer: cms.SignerInfo, name: str) -> Any:
    """The one value of signed attribute ``name`` (an asn1crypto object), or None."""
    values = [a["values"] for a in signer["signed_attrs"] if a["type"].native == name]
    if len(values) > 1 or (values and len(values[0]) != 1):
        raise malformed(FIELD, f"more than one signed {name} attribute")
    return values[0][0] if values else None


def _tsa_certificate(
    signed_data: cms.SignedData, signer: cms.SignerInfo, extra: Sequence[bytes]
) -> tuple[ParsedCertificate, x509.Certificate]:
    sid = signer["sid"]
    if sid.name != "issuer_and_serial_number":
        raise malformed(FIELD, "the signer must be named by issuer and serial number")
    wanted = (sid.chosen["issuer"].dump(), sid.chosen["serial_number"].native)
    candidates = [
        c.chosen.dump() for c in signed_data["certificates"] or [] if c.name == "certificate"
    ]
    for der in [*candidates, *extra]:
        certificate = x509.Certificate.load(der)
        if (certificate.issuer.dump(), certificate.serial_number) == wanted:
            return load_certificate(der, FIELD), certificate
    raise _refuse("the TSA's certificate is neither in the token nor given", ErrorCode.MALFORMED)


def _check_time_stamping_usage(certificate: x509.Certificate) -> None:
    """RFC 3161 2.3: extendedKeyUsage is critical and holds id-kp-timeStamping only."""
    found = [
        e
        for e in certificate["tbs_certificate"]["extensions"]
        if e["extn_id"].native == "extended_key_usage"
    ]
    if len(found) != 1 or not found[0]["critical"].native:
        raise _refuse("the signer's certificate lacks a critical extendedKeyUsage")
    if found[0]["extn_value"].parsed.native != [TIME_STAMPING_EKU]:
        raise _refuse("the signer's certificate is not for time-stamping only (id-kp-timeStamping)")


def _cert_hash_matches(attribute: Any, certificate: x509.Certificate) -> bool:
    if not isinstance(attribute, tsp.SigningCertificateV2 | tsp.SigningCertificate):
        return False
    first = attribute["certs"][0]
    if isinstance(attribute, tsp.SigningCertificate):
        hash_oid = SHA1_OID  # ESSCertID (RFC 2634): SHA-1 names the certificate, nothing more
    else:
        hash_oid = first["hash_algorithm"]["algorithm"].dotted
    if hash_oid == SHA1_OID:
        computed = hashlib.sha1(certificate.dump(), usedforsecurity=False).digest()
    else:
        computed = digest_of(hash_oid, certificate.dump())
    return hmac.compare_digest(computed, first["cert_hash"].native)


def _check_signature(
    signer: cms.SignerInfo, tst_der: bytes, certificate: ParsedCertificate
) -> None:
    content_type = _attribute(signer, "content_type")
    if content_type is None or content_type.native != "tst_info":
        raise _refuse("the signed content-type is not id-ct-TSTInfo")
    digest_oid = signer["digest_algorithm"]["algorithm"].dotted
    message_digest = _attribute(signer, "message_digest")
    if message_digest is None or not hmac.compare_digest(
        digest_of(digest_oid, tst_der),
        message_digest.native,
    ):
        raise _refuse("the message digest does not match the TSTInfo")
    attributes_der = b"\x31" + signer["signed_attrs"].dump()[1:]  # [0] IMPLICIT back to SET OF
    if not verify_signature(
        signer["signature_algorithm"]["algorithm"].dotted,
        certificate.public_key_der,
        attributes_der,
        signer["signature"].native,
        FIELD,
    ):
        raise _refuse("the signature does not verify with the TSA's certificate")


def _issuer_in(trusted: list[ParsedCertificate], child: ParsedCertificate) -> ParsedCertificate:
    for candidate in trusted:
        if candidate.subject_der == child.issuer_der and child.signed_by(candidate.public_key_der):
            return candidate
    raise _refuse(f"no trusted CA issued {child.subject}", ErrorCode.UNKNOWN_ISSUER)


def check_chain(
    certificate: ParsedCertificate, trusted: Sequence[bytes | str], at: dt.datetime
) -> None:
    """``certificate`` chains up to a self-signed one among ``trusted``, all valid ``at``."""
    anchors = [load_certificate(item, "trusted") for item in trusted]
    current = certificate
    for _depth in range(len(anchors) + 1):
        current.check_validity(at)
        issuer = _issuer_in(anchors, current)
        if issuer.subject_der == issuer.issuer_der:
            issuer.check_validity(at)
            return
        current = issuer
    raise _refuse("the chain of trust does not end", ErrorCode.UNKNOWN_ISSUER)


def _check_request_match(
    tst_info: tsp.TSTInfo, *, digest: bytes, hash_oid: str | None, nonce: int | None
) -> None:
    imprint = tst_info["message_imprint"]
    if hash_oid is not None and imprint["hash_algorithm"]["algorithm"].dotted != hash_oid:
        raise _refuse(
            "the token's hash algorithm is not the one asked for", ErrorCode.INVALID_INPUT
        )
    if not hmac.compare_digest(imprint["hashed_message"].native, digest):
        raise _refuse("the token time-stamps other data (message imprint differs)")
    if nonce is not None and tst_info["nonce"].native != nonce:
        raise _refuse("the token's nonce is not ours (replayed or mixed up)")


def verify_token(
    token_der: bytes,
    *,
    digest: bytes,
    trusted: Sequence[bytes | str],
    hash_oid: str | None = None,
    nonce: int | None = None,
    tsa_certificates: Sequence[bytes] = (),
) -> VerifiedToken:
    """Check a time-stamp token over ``digest``; refuses with :class:`TrustError` saying why.

    ``trusted`` are the CA certificates the caller trusts (root and issuing), one
    certificate (DER or PEM) per item;
    ``tsa_certificates`` the TSA's own when the token does not carry it.
    """
    signed_data, signer, tst_info = _signed_data(token_der)
    try:
        return _verify_parts(
            token_der, signed_data, signer, tst_info,
            digest=digest, trusted=trusted, hash_oid=hash_oid, nonce=nonce,
            tsa_certificates=tsa_certificates,
        )  # fmt: skip
    except TrustError:
        raise
    except PARSE_ERRORS:  # asn1crypto parses lazily: a fault deep inside shows up here
        raise malformed(FIELD, "not a well-formed time-stamp token") from None


def _verify_parts(
    token_der: bytes,
    signed_data: cms.SignedData,
    signer: cms.SignerInfo,
    tst_info: tsp.TSTInfo,
    *,
    digest: bytes,
    trusted: Sequence[bytes | str],
    hash_oid: str | None,
    nonce: int | None,
    tsa_certificates: Sequence[bytes],
) -> VerifiedToken:
    _check_request_match(tst_info, digest=digest, hash_oid=hash_oid, nonce=nonce)
    parsed, certificate = _tsa_certificate(signed_data, signer, tsa_certificates)
    _check_time_stamping_usage(certificate)
    signing_certificate = _attribute(signer, "signing_certificate_v2") or _attribute(
        signer, "signing_certificate"
    )
    if not _cert_hash_matches(signing_certificate, certificate):
        raise _refuse("the ESS signing-certificate attribute does not name the signer")
    _check_signature(signer, tst_info.dump(), parsed)
    gen_time = tst_info["gen_time"].native
    check_chain(parsed, trusted, gen_time)
    return VerifiedToken(
        der=token_der,
        gen_time=gen_time,
        serial=tst_info["serial_number"].native,
        policy=tst_info["policy"].dotted,
        hash_oid=tst_info["message_imprint"]["hash_algorithm"]["algorithm"].dotted,
        digest=digest,
        nonce=tst_info["nonce"].native,
        tsa_certificate=parsed,
    )
