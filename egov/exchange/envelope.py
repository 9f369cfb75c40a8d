"""Signed message envelopes and receipts (交换信封与回执): build and check, no Django.

The format is docs/exchange.md and ``data/envelope.schema.json``. In short:

* ``digest`` is the suite's hash (SM3, or SHA-256 in the international suite)
  of the RFC 8785 canonical bytes of ``payload``;
* ``signature.value`` is the sender's signature (SM2 with the GM/T 0009
  default ID and SM3, or ECDSA P-256 with SHA-256; DER, base64) over the
  RFC 8785 canonical bytes of the envelope *without* its ``signature``
  member; ``signature.certificate`` is the sender's certificate (DER, base64);
* a receipt is the same construction made by the receiving node over
  ``{version, kind: "receipt", message_id, sender, receiver, received, digest,
  envelope_digest}``, ``envelope_digest`` hashing the canonical bytes of the
  whole envelope, signature included.

Both :mod:`egov.exchange.services` (the platform) and
:mod:`egov.exchange.client` (department systems, without Django) use this
module, so what one builds the other checks byte for byte. Whether the
certificate is trusted (chain, validity, revocation) is not decided here: the
platform asks ``egov.trust``; a client pins the platform's certificate.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import rfc8785

from egov.exchange.errors import ErrorCode, ExchangeError
from egov.trust.crypto import CryptoError, CryptoSuite, PrivateKey, suite
from egov.trust.errors import TrustError
from egov.trust.pki.certificates import ParsedCertificate, load_certificate
from egov.trust.pki.encoding import load_public_key

VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "envelope.schema.json"
DIGEST_ALGORITHMS = {"sm": "sm3", "intl": "sha256"}
SIGNATURE_ALGORITHMS = {"sm": "sm2-sm3", "intl": "ecdsa-p256-sha256"}
SUITE_OF_DIGEST = {label: name for name, label in DIGEST_ALGORITHMS.items()}
SUITE_OF_SIGNATURE = {label: name for name, label in SIGNATURE_ALGORITHMS.items()}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
RECEIPT_FIELDS = ("message_id", "sender", "receiver", "received", "digest", "envelope_digest")


def canonical(value: Any) -> bytes:
    """RFC 8785 (JCS) canonical UTF-8 bytes of a JSON value; refuses what JSON cannot carry."""
    try:
        return bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise ExchangeError(
            ErrorCode.INVALID_ENVELOPE, "payload", f"not canonical JSON: {exc}"
        ) from None


def format_time(moment: dt.datetime) -> str:
    """``2026-12-03T08:00:00Z``: UTC, whole seconds, as envelopes carry it."""
    if moment.tzinfo is None:
        raise ValueError("moment: must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime(TIME_FORMAT)


def parse_time(text: str, field: str = "created") -> dt.datetime:
    try:
        return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, field, "not YYYY-MM-DDTHH:MM:SSZ") from None


def digest_of(crypto: CryptoSuite, data: bytes) -> dict[str, str]:
    """``{"algorithm", "value"}`` of ``data`` in the suite's hash."""
    return {"algorithm": DIGEST_ALGORITHMS[crypto.name], "value": crypto.digest(data).hex()}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, field: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, field, "not base64") from None


def without_signature(document: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "signature"}


def sign_document(
    document: dict[str, Any], *, key: PrivateKey, certificate_der: bytes
) -> dict[str, Any]:
    """``document`` with a ``signature`` member over the canonical bytes of the rest."""
    crypto = suite(key.suite_name)
    value = crypto.sign(key, canonical(without_signature(document)))
    signature = {
        "algorithm": SIGNATURE_ALGORITHMS[crypto.name],
        "certificate": _b64(certificate_der),
        "value": _b64(value),
    }
    return {**without_signature(document), "signature": signature}


def load_key(private_key_pem: bytes, password: bytes | None = None) -> PrivateKey:
    """The private key of either suite from PKCS#8 PEM (tries SM2 first)."""
    for name in ("sm", "intl"):
        try:
            return suite(name).load_private_key_pem(private_key_pem, password)
        except CryptoError:
            continue
    raise ExchangeError(ErrorCode.INVALID_INPUT, "private_key", "not an SM2 or P-256 key")


def build_envelope(
    *,
    key: PrivateKey,
    certificate: bytes | str,
    sender: str,
    recipients: Sequence[str],
    message_type: str,
    payload: Mapping[str, Any],
    created: dt.datetime,
    message_id: str | None = None,
) -> dict[str, Any]:
    """A signed envelope (封装并签名) of ``payload`` from ``sender`` to ``recipients``."""
    crypto = suite(key.suite_name)
    parsed = load_certificate(certificate)
    if parsed.public_key_der != crypto.public_key_der(key):
        raise ExchangeError(ErrorCode.INVALID_INPUT, "private_key", "does not match certificate")
    document = {
        "version": VERSION,
        "id": message_id or str(uuid.uuid4()),
        "type": message_type,
        "sender": sender,
        "recipients": list(recipients),
        "created": format_time(created),
        "payload": dict(payload),
        "digest": digest_of(crypto, canonical(dict(payload))),
    }
    return sign_document(document, key=key, certificate_der=parsed.der)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _field_of(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required" and "'" in error.message:
        return f"{path}.{error.message.split(chr(39))[1]}".strip(".")
    return path or "envelope"


@dataclass(frozen=True)
class Envelope:
    """A structurally valid envelope, its certificate read, its signature not yet checked."""

    document: dict[str, Any]
    message_id: str
    message_type: str
    sender: str
    recipients: tuple[str, ...]
    created: dt.datetime
    payload: dict[str, Any]
    certificate: ParsedCertificate
    suite_name: str

    @property
    def digest_value(self) -> str:
        return str(self.document["digest"]["value"])

    def envelope_digest(self) -> dict[str, str]:
        """The hash of the whole envelope's canonical bytes, signature included."""
        return digest_of(suite(self.suite_name), canonical(self.document))


@lru_cache(maxsize=256)
def certificate_of(der: bytes) -> ParsedCertificate:
    """A certificate read once per process (members send the same one again and again)."""
    return load_certificate(der)


def parse_envelope(document: Any) -> Envelope:
    """Check the shape (JSON schema), read the certificate; refuses naming the field."""
    if not isinstance(document, dict):
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, "envelope", "must be a JSON object")
    errors = sorted(_validator().iter_errors(document), key=lambda e: len(e.absolute_path))
    if errors:
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, _field_of(errors[0]), errors[0].message)
    signature = document["signature"]
    try:
        certificate = certificate_of(_unb64(signature["certificate"], "signature.certificate"))
    except TrustError as exc:
        raise ExchangeError(
            ErrorCode.INVALID_ENVELOPE, "signature.certificate", exc.reason
        ) from None
    suite_name = SUITE_OF_SIGNATURE[signature["algorithm"]]
    if certificate.suite_name != suite_name:
        raise ExchangeError(
            ErrorCode.INVALID_ENVELOPE, "signature.algorithm", "does not match the certificate"
        )
    if document["digest"]["algorithm"] != DIGEST_ALGORITHMS[suite_name]:
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, "digest.algorithm", "not the suite's hash")
    return Envelope(
        document=document,
        message_id=document["id"],
        message_type=document["type"],
        sender=document["sender"],
        recipients=tuple(document["recipients"]),
        created=parse_time(document["created"]),
        payload=document["payload"],
        certificate=certificate,
        suite_name=suite_name,
    )


def check_signature(document: Mapping[str, Any], certificate: ParsedCertificate) -> None:
    """Refuse (``bad_signature``) unless ``certificate``'s key signed the canonical bytes."""
    crypto = suite(certificate.suite_name)
    value = _unb64(str(document["signature"]["value"]), "signature.value")
    key = load_public_key(certificate.public_key_der, "signature.certificate")
    if not crypto.verify(key, canonical(without_signature(document)), value):
        raise ExchangeError(
            ErrorCode.BAD_SIGNATURE, "signature.value", "does not verify over the envelope"
        )


def check_envelope(envelope: Envelope) -> None:
    """The sender's signature over the envelope, then the payload's digest."""
    check_signature(envelope.document, envelope.certificate)
    expected = suite(envelope.suite_name).digest(canonical(envelope.payload)).hex()
    if expected != envelope.digest_value:
        raise ExchangeError(ErrorCode.DIGEST_MISMATCH, "digest.value", "not the payload's digest")


def check_freshness(
    envelope: Envelope, now: dt.datetime, *, window: dt.timedelta, skew: dt.timedelta
) -> None:
    """``stale_message`` if created before ``now - window`` or after ``now + skew``."""
    if envelope.created < now - window:
        raise ExchangeError(
            ErrorCode.STALE_MESSAGE, "created", f"older than {int(window.total_seconds())} s"
        )
    if envelope.created > now + skew:
        raise ExchangeError(ErrorCode.STALE_MESSAGE, "created", "in the future")


def build_receipt(
    envelope: Envelope,
    *,
    receiver: str,
    received: dt.datetime,
    key: PrivateKey,
    certificate_der: bytes,
) -> dict[str, Any]:
    """The receiving node's signed receipt (回执), bound to the message's digests."""
    document = {
        "version": VERSION,
        "kind": "receipt",
        "message_id": envelope.message_id,
        "sender": envelope.sender,
        "receiver": receiver,
        "received": format_time(received),
        "digest": dict(envelope.document["digest"]),
        "envelope_digest": envelope.envelope_digest(),
    }
    return sign_document(document, key=key, certificate_der=certificate_der)


def check_receipt(receipt: Any, envelope: Mapping[str, Any]) -> ParsedCertificate:
    """Check a receipt's signature and that it names this envelope's id and digests.

    Returns the receiver's certificate; whether to trust it is the caller's
    decision (pin it, or check its chain).
    """
    if not isinstance(receipt, dict) or receipt.get("kind") != "receipt":
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, "receipt", "not a receipt")
    missing = [name for name in (*RECEIPT_FIELDS, "signature") if name not in receipt]
    if missing:
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, f"receipt.{missing[0]}", "missing")
    try:
        certificate = load_certificate(_unb64(receipt["signature"]["certificate"], "certificate"))
    except (TrustError, TypeError, KeyError):
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, "receipt.signature", "unreadable") from None
    check_signature(receipt, certificate)
    algorithm = (
        receipt["envelope_digest"].get("algorithm")
        if isinstance(receipt["envelope_digest"], dict)
        else None
    )
    if algorithm not in SUITE_OF_DIGEST:
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, "receipt.envelope_digest", "unknown hash")
    expected = digest_of(suite(SUITE_OF_DIGEST[algorithm]), canonical(dict(envelope)))
    if receipt["message_id"] != envelope.get("id") or receipt["digest"] != envelope.get("digest"):
        raise ExchangeError(ErrorCode.DIGEST_MISMATCH, "receipt", "for another message")
    if receipt["envelope_digest"] != expected:
        raise ExchangeError(ErrorCode.DIGEST_MISMATCH, "receipt.envelope_digest", "other bytes")
    return certificate
