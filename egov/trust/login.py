"""Certificate login (证书登录): challenge–response, and mutual TLS at a reverse proxy.

Challenge–response: the login page asks :func:`new_challenge` for a nonce,
kept in the session for ``EGOV_LOGIN_CHALLENGE_SECONDS`` and bound to this
host (``<random>@<host>``). The holder signs :func:`challenge_bytes` of it,
``b"egov-login:" + nonce``, with the key of their person certificate (``egov
login-sign``: SM2 with the GM/T 0009 ID and SM3, or ECDSA P-256/SHA-256) and
sends the signature (base64) with the certificate. :func:`certificate_login`
pops the challenge (single use: a replay finds none), checks the certificate
with :func:`egov.trust.selectors.verify_certificate` (our CA, in date, not
revoked: a revocation refuses the next login at once), that its holder is an
active staff user, and the signature. Every refusal is a
``cert_login_failed`` security event and nothing else.

Mutual TLS: :class:`TrustedProxyCertificateMiddleware` reads the client
certificate the TLS proxy verified (URL-encoded PEM, nginx's
``$ssl_client_escaped_cert``) from ``EGOV_TRUSTED_PROXY_CERT_HEADER``, only
when that is set and the request comes from an address in
``EGOV_TRUSTED_PROXIES``, and logs its holder in after the same checks
(the TLS handshake proved the key, so there is no challenge).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from egov.core.models import User
from egov.core.services.audit import record_audit
from egov.core.services.security import from_trusted_proxy, record_security_event
from egov.trust.crypto import CryptoError, suite
from egov.trust.errors import ErrorCode, TrustError, invalid, malformed
from egov.trust.models import Certificate
from egov.trust.pki.certificates import ParsedCertificate, load_certificate
from egov.trust.selectors import verify_certificate

LOGIN_PREFIX = b"egov-login:"
SESSION_KEY = "trust_login_challenge"
BACKEND = "django.contrib.auth.backends.ModelBackend"
MAX_SIGNATURE_BYTES = 512
MAX_CERTIFICATE_CHARS = 16_384


def challenge_bytes(nonce: str) -> bytes:
    """The exact bytes the holder signs: a domain-separation prefix, then the nonce."""
    return LOGIN_PREFIX + nonce.encode("utf-8")


def new_challenge(request: HttpRequest) -> str:
    """A fresh nonce for this session and host (``<32 hex>@<host>``), replacing any earlier one."""
    nonce = f"{secrets.token_hex(16)}@{request.get_host()}"
    request.session[SESSION_KEY] = {
        "nonce": nonce,
        "expires": time.time() + settings.EGOV_LOGIN_CHALLENGE_SECONDS,
    }
    return nonce


def take_challenge(request: HttpRequest) -> str:
    """Pop the session's nonce (single use); refuses when none was issued or it expired."""
    stored = request.session.pop(SESSION_KEY, None)
    if not isinstance(stored, dict) or not stored.get("nonce"):
        raise invalid("challenge", "no login challenge in this session (used or never issued)")
    if time.time() > float(stored.get("expires", 0)):
        raise invalid("challenge", "the login challenge expired: reload the page for a new one")
    return str(stored["nonce"])


def decode_signature(text: str) -> bytes:
    """The signature from its base64 text; refuses empty, non-base64 or oversized input."""
    compact = "".join(str(text or "").split())
    if not compact:
        raise invalid("signature", "required: the base64 output of egov login-sign")
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise malformed("signature", "not base64") from None
    if not raw or len(raw) > MAX_SIGNATURE_BYTES:
        raise malformed("signature", f"must be 1 to {MAX_SIGNATURE_BYTES} bytes")
    return raw


def staff_holder(record: Certificate) -> User:
    """The active staff user holding this person certificate; refuses any other."""
    holder = record.holder
    if record.kind != Certificate.Kind.PERSON:
        raise invalid("certificate", "only person certificates log in")
    if holder is None or holder.kind != User.Kind.STAFF or not holder.is_active:
        raise invalid("certificate", "its holder is not an active staff member")
    return holder


def check_certificate_text(certificate: str | bytes) -> str | bytes:
    if not certificate or len(certificate) > MAX_CERTIFICATE_CHARS:
        raise invalid("certificate", "required: the certificate PEM (at most 16 KB)")
    return certificate


def check_signature(record: Certificate, nonce: str, signature: bytes) -> None:
    """Refuse unless ``signature`` over the challenge verifies with the certificate's key."""
    parsed = load_certificate(record.certificate_pem)
    crypto = suite(parsed.suite_name)
    try:
        key = crypto.load_public_key_der(parsed.public_key_der)
        valid = crypto.verify(key, challenge_bytes(nonce), signature)
    except CryptoError:
        valid = False
    if not valid:
        raise TrustError(
            ErrorCode.BAD_SIGNATURE, "signature", "does not verify over this login challenge"
        )


def parsed_or_none(certificate: Any) -> ParsedCertificate | None:
    try:
        return load_certificate(certificate) if certificate else None
    except (TrustError, TypeError, ValueError):
        return None


def our_record(parsed: ParsedCertificate | None) -> Certificate | None:
    """Our record of exactly this certificate (same DER), to say whose login failed."""
    if parsed is None:
        return None
    record = Certificate.objects.filter(serial=parsed.serial_hex).select_related("holder").first()
    if record is None or load_certificate(record.certificate_pem).der != parsed.der:
        return None
    return record


def refused(request: HttpRequest, exc: TrustError, certificate: Any, method: str) -> None:
    """Record a refused certificate login (``cert_login_failed``): code, field, serial.

    When the certificate is one we issued (byte for byte), the event names its
    holder and organisation, so the auditors of that subtree see it.
    """
    parsed = parsed_or_none(certificate)
    record = our_record(parsed)
    record_security_event(
        kind="cert_login_failed",
        request=request,
        user=record.holder if record else None,
        organisation=record.organisation if record else None,
        detail={
            "method": method,
            "code": str(exc.code),
            "field": exc.field,
            "reason": exc.reason[:200],
            "serial": parsed.serial_hex if parsed else "",
        },
    )


def log_in(request: HttpRequest, user: User, record: Certificate, method: str) -> None:
    """Open the session like a password login, audited with the certificate serial."""
    with transaction.atomic(durable=True):
        record_audit(
            actor=user,
            action="auth.login",
            object_type="user",
            object_id=user.username,
            summary=f"login via certificate ({method}) serial {record.serial}",
        )
        record_security_event(
            kind="cert_login",
            request=request,
            user=user,
            detail={"method": method, "serial": record.serial},
        )
    auth_login(request, user, backend=BACKEND)


def certificate_login(*, request: HttpRequest, certificate: str | bytes, signature: str) -> User:
    """Log in by a signed challenge (证书登录); a refusal raises :class:`TrustError`."""
    try:
        nonce = take_challenge(request)
        raw_signature = decode_signature(signature)
        record = verify_certificate(check_certificate_text(certificate))
        user = staff_holder(record)
        check_signature(record, nonce, raw_signature)
    except TrustError as exc:
        refused(request, exc, certificate, "challenge")
        raise
    log_in(request, user, record, "challenge")
    return user


def proxy_certificate_login(*, request: HttpRequest, certificate: str) -> User:
    """Log in the holder of a certificate the TLS proxy verified (双向认证)."""
    try:
        record = verify_certificate(check_certificate_text(certificate))
        user = staff_holder(record)
    except TrustError as exc:
        refused(request, exc, certificate, "mutual_tls")
        raise
    log_in(request, user, record, "mutual_tls")
    return user


def header_key(name: str) -> str:
    """``X-SSL-Client-Cert`` -> ``HTTP_X_SSL_CLIENT_CERT`` (a META key is kept as it is)."""
    if name.startswith("HTTP_"):
        return name
    return "HTTP_" + name.upper().replace("-", "_")


class TrustedProxyCertificateMiddleware:
    """Log in by the client certificate a trusted TLS proxy passes (off unless configured)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = settings.EGOV_TRUSTED_PROXY_CERT_HEADER
        if name and not request.user.is_authenticated and from_trusted_proxy(request):
            value = request.META.get(header_key(name), "")
            if value and value != "(null)":
                # A refusal is recorded as a security event; the request goes on anonymous.
                with contextlib.suppress(TrustError):
                    proxy_certificate_login(request=request, certificate=unquote(value))
        return self.get_response(request)
