"""Our time-stamp authority (时间戳服务): set it up, answer requests, stamp batch roots.

``set_up_time_stamping`` has the issuing CA issue a ``time-stamping``
certificate (critical id-kp-timeStamping) for a new key and keeps the key
sealed; ``answer_query`` turns a DER TimeStampReq into a DER TimeStampResp,
recording every rejection as a security event; ``timestamp_root`` is the seam
the exchange message log calls every batch: it asks the outside TSA named by
``EGOV_TSA_URL`` when set, else ours, and returns verified token bytes.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.core.models import SecurityEvent
from egov.core.services.audit import record_audit
from egov.core.services.security import record_security_event
from egov.trust import selectors, services
from egov.trust.crypto import CryptoError, suite
from egov.trust.errors import ErrorCode, TrustError, invalid
from egov.trust.models import Certificate, TimeStampingUnit
from egov.trust.pki.certificates import load_certificate
from egov.trust.pki.cms import DIGEST_OIDS
from egov.trust.pki.profiles import Kind
from egov.trust.registration import pem_blocks
from egov.trust.tsa import client
from egov.trust.tsa.protocol import (
    FailInfo,
    TimeStampingKey,
    TimeStampRefusedError,
    TimeStampRequest,
    build_token,
    granted,
    parse_request,
    rejection,
    verify_token,
)

KEY_SEAL_PURPOSE = b"egov.trust.tsa key seal v1"
DEFAULT_TSA_SUBJECT = "CN=电子政务时间戳服务,O=电子政务平台,C=CN"
TSA_URL_VARIABLE = "EGOV_TSA_URL"
TSA_TRUSTED_VARIABLE = "EGOV_TSA_TRUSTED_CERTIFICATES"


def _aad(suite_name: str, serial: str) -> bytes:
    return f"tsa:{suite_name}:{serial}".encode("ascii")


@transaction.atomic
def set_up_time_stamping(
    *,
    actor: Any,
    suite_name: str,
    passphrase: bytes | str | None,
    subject: str = DEFAULT_TSA_SUBJECT,
    days: int | None = None,
) -> TimeStampingUnit:
    """Make the TSA of ``suite_name`` (建立时间戳服务): new key, certificate, sealed key.

    A unit already active is retired (kept, inactive). Needs the CA passphrase.
    """
    crypto = services.crypto_suite(suite_name)
    key = crypto.generate_key()
    certificate = services.issue_certificate(
        actor=actor,
        suite_name=crypto.name,
        kind=Kind.TIME_STAMPING.value,
        subject=subject,
        public_key_der=crypto.public_key_der(key),
        passphrase=passphrase,
        days=days,
    )
    TimeStampingUnit.objects.select_for_update().filter(suite=crypto.name, is_active=True).update(
        is_active=False
    )
    sealed = crypto.seal(
        services.server_wrap_key(crypto, KEY_SEAL_PURPOSE),
        key.to_der(),
        aad=_aad(crypto.name, certificate.serial),
    )
    unit = TimeStampingUnit.objects.create(
        suite=crypto.name, certificate=certificate, sealed_private_key=sealed
    )
    record_audit(
        actor=actor,
        action="trust.tsa_set_up",
        object_type="certificate",
        object_id=certificate.serial,
        summary=f"time-stamping unit {certificate.subject} ({crypto.name})",
    )
    return unit


def active_unit(suite_name: str) -> TimeStampingUnit:
    """The active TSA of ``suite_name``; refuses before ``egov ca tsa`` has run."""
    unit = (
        TimeStampingUnit.objects.select_related("certificate")
        .filter(suite=suite_name, is_active=True)
        .first()
    )
    if unit is None:
        raise TrustError(
            ErrorCode.NO_CA, "suite", f"no time-stamping unit for {suite_name!r}: run egov ca tsa"
        )
    if unit.certificate.status != Certificate.Status.GOOD:
        raise TrustError(
            ErrorCode.REVOKED, "suite", "the time-stamping certificate is revoked: run egov ca tsa"
        )
    return unit


def signing_key(unit: TimeStampingUnit) -> TimeStampingKey:
    """The unit's key, unsealed, with its certificate: what signs tokens."""
    crypto = services.crypto_suite(unit.suite)
    try:
        der = crypto.open(
            services.server_wrap_key(crypto, KEY_SEAL_PURPOSE),
            bytes(unit.sealed_private_key),
            aad=_aad(unit.suite, unit.certificate.serial),
        )
    except CryptoError:
        raise TrustError(
            ErrorCode.WRONG_PASSPHRASE, "suite", "the TSA key does not open (secret key changed?)"
        ) from None
    certificate_der = load_certificate(unit.certificate.certificate_pem).der
    return TimeStampingKey(crypto, crypto.load_private_key_der(der), certificate_der)


def issue_token(request: TimeStampRequest, suite_name: str) -> bytes:
    """A token from our TSA of ``suite_name`` for a parsed request (签发时间戳)."""
    signer = signing_key(active_unit(suite_name))
    serial = secrets.randbits(128) | 1  # unique by randomness, as certificate serials
    return build_token(signer, request, serial=serial, gen_time=timezone.now())


def record_refusal(*, http_request: Any, fail_info: str, reason: str) -> None:
    """A refused time-stamp request as a security event (安全事件)."""
    record_security_event(
        kind=SecurityEvent.Kind.ACCESS_REFUSED,
        request=http_request,
        detail={"object": "trust.tsa", "fail_info": fail_info, "reason": reason[:200]},
    )


def answer_query(query: bytes, *, http_request: Any = None, suite_name: str | None = None) -> bytes:
    """A DER TimeStampResp for a DER TimeStampReq: granted with a token, or a rejection."""
    name = suite_name or suite().name
    try:
        return granted(issue_token(parse_request(query), name))
    except TimeStampRefusedError as refused:
        record_refusal(
            http_request=http_request, fail_info=refused.fail_info, reason=refused.reason
        )
        return rejection(refused.fail_info, refused.reason)
    except TrustError as exc:  # no unit set up, or its key does not open
        record_refusal(
            http_request=http_request, fail_info=FailInfo.SYSTEM_FAILURE, reason=exc.reason
        )
        return rejection(FailInfo.SYSTEM_FAILURE, "the time-stamping service is not available")


def outside_tsa_url() -> str:
    """``EGOV_TSA_URL``: an outside TSA to use instead of ours (empty: ours)."""
    return os.environ.get(TSA_URL_VARIABLE, "").strip()


def trusted_certificates(suite_name: str) -> list[bytes]:
    """CA certificates a token may chain to: ours, plus ``EGOV_TSA_TRUSTED_CERTIFICATES`` (PEM)."""
    found = []
    with contextlib.suppress(TrustError):  # no CA of ours in this suite: the file's only
        found.append(selectors.chain_pem(suite_name))
    path = os.environ.get(TSA_TRUSTED_VARIABLE, "").strip()
    if path:
        try:
            found.append(Path(path).read_text(encoding="ascii"))
        except (OSError, UnicodeError) as exc:
            raise invalid(TSA_TRUSTED_VARIABLE, f"cannot read {path}: {exc}") from None
    try:
        return [der for text in found for der in pem_blocks(text)]
    except ValueError:
        raise invalid(TSA_TRUSTED_VARIABLE, "not a file of PEM certificates") from None


def timestamp_root(digest: bytes, *, suite_name: str | None = None) -> bytes:
    """Time-stamp a batch root (为批次根哈希加盖时间戳): verified DER token bytes.

    ``digest`` is the root of :class:`egov.trust.tsa.merkle.HashTree` in the
    suite's hash (SM3, or SHA-256 in ``intl``). Asks ``EGOV_TSA_URL`` when set,
    else our own TSA in process; either way the token is verified before it is
    returned. Raises :class:`TrustError` when no time-stamp could be had.
    """
    crypto = services.crypto_suite(suite_name or suite().name)
    hash_oid = DIGEST_OIDS[crypto.name]
    trusted = trusted_certificates(crypto.name)
    url = outside_tsa_url()
    if url:
        return client.request_time_stamp(url, digest, hash_oid, trusted=trusted).der
    request = TimeStampRequest(
        hash_oid=hash_oid, digest=digest, nonce=None, cert_req=True, policy=None
    )
    token = issue_token(request, crypto.name)
    return verify_token(token, digest=digest, hash_oid=hash_oid, trusted=trusted).der
