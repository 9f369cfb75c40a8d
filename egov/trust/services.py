"""Writes of the trust app (CA 服务): set up the CA, issue, revoke, publish CRLs.

Each function takes keyword-only arguments, runs in one transaction and
records who did what in the audit chain. Private keys never reach the audit
chain, a log or a return value other than the caller's own new key. The CA
keys are PKCS#8 PEM encrypted with the CA passphrase; every signing operation
asks for it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from asn1crypto import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov.core.events import publish
from egov.core.services.audit import actor_identity, record_audit
from egov.core.services.security import record_security_event
from egov.trust.crypto import CryptoError, CryptoSuite, PrivateKey, suite
from egov.trust.errors import ErrorCode, TrustError, invalid
from egov.trust.models import Certificate, CertificateAuthority, RevocationList
from egov.trust.pki.certificates import (
    build_certificate,
    ca_extensions,
    end_entity_extensions,
    load_certificate,
    normalise_serial,
)
from egov.trust.pki.encoding import key_identifier, load_public_key, suite_of_public_key, to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.profiles import (
    DEFAULT_DAYS,
    MAX_END_ENTITY_DAYS,
    REASON_CODES,
    Reason,
    kind_of,
    reason_of,
)
from egov.trust.pki.requests import load_request
from egov.trust.pki.revocation import RevokedEntry, build_crl

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
CRL_VALIDITY = dt.timedelta(days=7)
MIN_PASSPHRASE_LENGTH = 12
DEFAULT_ROOT_SUBJECT = "CN=电子政务根CA,O=电子政务平台,C=CN"
DEFAULT_ISSUING_SUBJECT = "CN=电子政务签发CA,O=电子政务平台,C=CN"
Role = CertificateAuthority.Role


def crl_url(suite_name: str) -> str:
    """Where the CRL of ``suite_name`` is published: ``$EGOV_PUBLIC_URL/trust/crl/<suite>.crl``."""
    base = os.environ.get("EGOV_PUBLIC_URL") or DEFAULT_PUBLIC_URL
    return f"{base.rstrip('/')}/trust/crl/{suite_name}.crl"


def crypto_suite(suite_name: str) -> CryptoSuite:
    """The crypto suite called ``suite_name``; refuses others naming ``suite``."""
    try:
        return suite(suite_name)
    except CryptoError:
        raise invalid("suite", f"unknown suite {suite_name!r}; choose sm or intl") from None


def server_wrap_key(crypto: CryptoSuite, purpose: bytes) -> bytes:
    """A key for sealing stored private keys, derived (HKDF) from the server's secret key.

    ``purpose`` keeps the keys of different uses apart (RA-generated keys, the TSA key).
    """
    return HKDF(
        algorithm=hashes.SHA256(),
        length=crypto.symmetric_key_size,
        salt=None,
        info=purpose + crypto.name.encode(),
    ).derive(settings.SECRET_KEY.encode("utf-8"))


def passphrase_bytes(passphrase: bytes | str | None, *, minimum: int = 1) -> bytes:
    """The CA passphrase as bytes; refuses a missing or short one (there is no default)."""
    if passphrase is None or not passphrase:
        raise invalid("passphrase", "required: give --passphrase-file or EGOV_CA_PASSPHRASE(_FILE)")
    value = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    if len(value) < minimum:
        raise invalid("passphrase", f"must be at least {minimum} characters")
    if b"\0" in value:
        raise invalid("passphrase", "must not contain a NUL byte")
    return value


def read_passphrase_file(path: str) -> str:
    """The passphrase in file ``path`` (one line; the trailing newline is not part of it)."""
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeError) as exc:
        raise invalid("passphrase", f"cannot read the passphrase file {path}: {exc}") from None


def passphrase_from_environment() -> str:
    """``EGOV_CA_PASSPHRASE_FILE`` (a file) or ``EGOV_CA_PASSPHRASE``; empty when neither."""
    file_name = os.environ.get("EGOV_CA_PASSPHRASE_FILE")
    if file_name:
        return read_passphrase_file(file_name)
    return os.environ.get("EGOV_CA_PASSPHRASE", "")


def unlock(authority: CertificateAuthority, passphrase: bytes | str | None) -> PrivateKey:
    """Decrypt the CA's private key; a wrong passphrase is refused naming ``passphrase``."""
    password = passphrase_bytes(passphrase)
    try:
        return crypto_suite(authority.suite).load_private_key_pem(
            authority.private_key_pem.encode("ascii"), password=password
        )
    except CryptoError:
        raise TrustError(
            ErrorCode.WRONG_PASSPHRASE, "passphrase", "wrong passphrase for the CA key"
        ) from None


def subject_name(text: str, field: str) -> x509.Name:
    try:
        return parse_subject(text)
    except TrustError as exc:
        raise invalid(field, exc.reason) from None


def new_serial() -> int:
    """A random positive 128-bit serial not used yet (RFC 5280: at least 64 random bits)."""
    while True:
        serial = secrets.randbits(128)
        if serial and not Certificate.objects.filter(serial=format(serial, "x")).exists():
            return serial


def _create_authority(
    crypto: CryptoSuite,
    *,
    role: str,
    name: x509.Name,
    key: PrivateKey,
    parent: CertificateAuthority | None,
    signing_key: PrivateKey,
    password: bytes,
    now: dt.datetime,
) -> CertificateAuthority:
    public_key_der = crypto.public_key_der(key)
    issuer_key_der = crypto.public_key_der(signing_key)
    issuer = (
        name
        if parent is None
        else x509.Name.load(load_certificate(parent.certificate_pem).subject_der)
    )
    not_after = now + dt.timedelta(days=DEFAULT_DAYS[role])
    if parent is not None:
        not_after = min(not_after, parent.not_after)
    serial = secrets.randbits(128) | 1
    der = build_certificate(
        crypto,
        signing_key=signing_key,
        serial=serial,
        subject=name,
        issuer=issuer,
        public_key_der=public_key_der,
        not_before=now,
        not_after=not_after,
        extensions=ca_extensions(
            crypto,
            public_key_der=public_key_der,
            issuer_key_der=issuer_key_der,
            path_length=1 if parent is None else 0,
        ),
    )
    parsed = load_certificate(der)
    return CertificateAuthority.objects.create(
        suite=crypto.name,
        role=role,
        subject=parsed.subject,
        serial=parsed.serial_hex,
        key_identifier=key_identifier(crypto, public_key_der).hex(),
        certificate_pem=to_pem(der, "CERTIFICATE"),
        private_key_pem=key.to_pem(password).decode("ascii"),
        not_before=parsed.not_before,
        not_after=parsed.not_after,
        parent=parent,
    )


def initialise_ca(
    *,
    actor: Any,
    suite_name: str,
    passphrase: bytes | str | None,
    root_subject: str = DEFAULT_ROOT_SUBJECT,
    issuing_subject: str = DEFAULT_ISSUING_SUBJECT,
    force: bool = False,
) -> tuple[CertificateAuthority, CertificateAuthority]:
    """Create the root CA and the issuing CA it signs for one suite (建立根CA与签发CA).

    Refuses when the suite already has an active CA, unless ``force``: then the
    old pair is retired (kept, inactive, so its certificates stay on record).
    """
    crypto = crypto_suite(suite_name)
    password = passphrase_bytes(passphrase, minimum=MIN_PASSPHRASE_LENGTH)
    root_name = subject_name(root_subject, "root_subject")
    issuing_name = subject_name(issuing_subject, "issuing_subject")
    with transaction.atomic():
        existing = CertificateAuthority.objects.select_for_update().filter(
            suite=crypto.name, is_active=True
        )
        if list(existing) and not force:
            raise TrustError(
                ErrorCode.CA_EXISTS,
                "suite",
                f"suite {crypto.name!r} already has a CA; use --force to replace it",
            )
        existing.update(is_active=False)
        now = timezone.now().replace(microsecond=0)
        root_key, issuing_key = crypto.generate_key(), crypto.generate_key()
        root = _create_authority(
            crypto, role=Role.ROOT, name=root_name, key=root_key, parent=None,
            signing_key=root_key, password=password, now=now,
        )  # fmt: skip
        issuing = _create_authority(
            crypto, role=Role.ISSUING, name=issuing_name, key=issuing_key, parent=root,
            signing_key=root_key, password=password, now=now,
        )  # fmt: skip
        for authority in (root, issuing):
            record_audit(
                actor=actor,
                action="trust.ca_initialised",
                object_type="certificate_authority",
                object_id=f"{authority.suite}:{authority.role}:{authority.serial}",
                summary=f"{authority.role} CA {authority.subject} ({authority.suite})"
                + (", replacing the previous CA" if force else ""),
            )
        write_crl(issuing, issuing_key, now)
    return root, issuing


def active_issuing_ca(suite_name: str, *, lock: bool = False) -> CertificateAuthority:
    """The active issuing CA of ``suite_name``; refuses when ``egov ca init`` has not run."""
    query = CertificateAuthority.objects.filter(suite=suite_name, role=Role.ISSUING, is_active=True)
    authority = (query.select_for_update() if lock else query).first()
    if authority is None:
        raise TrustError(
            ErrorCode.NO_CA, "suite", f"no CA for suite {suite_name!r}: run egov ca init first"
        )
    return authority


def validity_days(
    kind: str, days: int | None, *, now: dt.datetime, ca: CertificateAuthority
) -> dt.datetime:
    """notAfter for ``days`` (default by kind), within 1..MAX and the issuing CA's life."""
    if days is None:
        days = DEFAULT_DAYS[kind]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_END_ENTITY_DAYS:
        raise invalid("days", f"must be a whole number from 1 to {MAX_END_ENTITY_DAYS}")
    not_after = now + dt.timedelta(days=days)
    if not_after > ca.not_after:
        raise invalid("days", f"would outlive the issuing CA (valid until {ca.not_after:%Y-%m-%d})")
    return not_after


def issue_certificate(
    *,
    actor: Any,
    suite_name: str,
    kind: str,
    subject: str,
    public_key_der: bytes,
    passphrase: bytes | str | None,
    days: int | None = None,
    sans: Iterable[str] = (),
    holder: Any = None,
    organisation: Any = None,
) -> Certificate:
    """Issue an end-entity certificate (签发证书) for ``public_key_der``, from the issuing CA."""
    crypto = crypto_suite(suite_name)
    chosen_kind = kind_of(kind)
    name = subject_name(subject, "subject")
    if suite_of_public_key(public_key_der) != crypto.name:
        raise invalid("public_key", f"not a key of the {crypto.name!r} suite")
    load_public_key(public_key_der)  # refuses a point that is not on the curve
    sans = list(sans)
    with transaction.atomic():
        issuing = active_issuing_ca(crypto.name)
        signing_key = unlock(issuing, passphrase)
        now = timezone.now().replace(microsecond=0)
        not_after = validity_days(chosen_kind, days, now=now, ca=issuing)
        issuing_public = load_certificate(issuing.certificate_pem)
        der = build_certificate(
            crypto,
            signing_key=signing_key,
            serial=new_serial(),
            subject=name,
            issuer=x509.Name.load(issuing_public.subject_der),
            public_key_der=public_key_der,
            not_before=now,
            not_after=not_after,
            extensions=end_entity_extensions(
                crypto,
                kind=chosen_kind,
                public_key_der=public_key_der,
                issuer_key_der=issuing_public.public_key_der,
                crl_url=crl_url(crypto.name),
                sans=sans,
            ),
        )
        parsed = load_certificate(der)
        certificate = Certificate.objects.create(
            serial=parsed.serial_hex,
            suite=crypto.name,
            kind=chosen_kind.value,
            subject=parsed.subject,
            not_before=parsed.not_before,
            not_after=parsed.not_after,
            issuer=issuing,
            certificate_pem=to_pem(der, "CERTIFICATE"),
            holder=holder,
            organisation=organisation,
        )
        record_audit(
            actor=actor,
            action="trust.certificate_issued",
            object_type="certificate",
            object_id=certificate.serial,
            summary=f"{chosen_kind.value} certificate for {certificate.subject} ({crypto.name})",
            organisation=getattr(organisation, "code", "") or "",
        )
        publish(
            "CertificateIssued",
            {
                "serial": certificate.serial,
                "suite": certificate.suite,
                "kind": certificate.kind,
                "subject": certificate.subject,
                "not_after": certificate.not_after.isoformat(),
                "issuer_serial": issuing.serial,
            },
            aggregate=f"certificate:{certificate.serial}",
        )
    return certificate


def issue_from_request(
    *,
    actor: Any,
    csr: bytes | str,
    kind: str,
    passphrase: bytes | str | None,
    days: int | None = None,
    sans: Iterable[str] = (),
    holder: Any = None,
    organisation: Any = None,
) -> Certificate:
    """Issue a certificate for a PKCS#10 request (按证书申请签发) after checking its signature.

    The suite follows the request's key (SM2 -> ``sm``, P-256 -> ``intl``); the
    subject is the request's, held to the same rules as a typed one.
    """
    request = load_request(csr)
    return issue_certificate(
        actor=actor,
        suite_name=request.suite_name,
        kind=kind,
        subject=request.subject,
        public_key_der=request.public_key_der,
        passphrase=passphrase,
        days=days,
        sans=sans,
        holder=holder,
        organisation=organisation,
    )


def revoked_time(serial: str, revoked_at: dt.datetime | None) -> dt.datetime:
    """A revoked certificate's revocation time; revoke_certificate always records one."""
    if revoked_at is None:
        raise ValueError(f"certificate {serial} is revoked but has no revocation time")
    return revoked_at


def write_crl(
    authority: CertificateAuthority, signing_key: PrivateKey, now: dt.datetime
) -> RevocationList:
    """Sign and store the next CRL of ``authority`` listing every certificate it revoked."""
    with transaction.atomic():
        locked = CertificateAuthority.objects.select_for_update().get(pk=authority.pk)
        number = locked.crl_number + 1
        revoked = [
            RevokedEntry(
                int(serial, 16),
                revoked_time(serial, revoked_at),
                REASON_CODES[Reason(reason)],
                invalid_since,
            )
            for serial, revoked_at, reason, invalid_since in locked.certificates.filter(
                status=Certificate.Status.REVOKED
            ).values_list("serial", "revoked_at", "revocation_reason", "invalidity_date")
        ]
        ca = load_certificate(locked.certificate_pem)
        der = build_crl(
            crypto_suite(locked.suite),
            signing_key=signing_key,
            issuer=x509.Name.load(ca.subject_der),
            issuer_key_id=bytes.fromhex(locked.key_identifier),
            number=number,
            this_update=now,
            next_update=now + CRL_VALIDITY,
            revoked=revoked,
        )
        locked.crl_number = number
        locked.save(update_fields=["crl_number"])
        return RevocationList.objects.create(
            authority=locked,
            number=number,
            this_update=now,
            next_update=now + CRL_VALIDITY,
            der=der,
            revoked_count=len(revoked),
        )


def publish_crl(*, actor: Any, suite_name: str, passphrase: bytes | str | None) -> RevocationList:
    """Sign a fresh CRL for the suite's issuing CA (发布CRL), e.g. daily before nextUpdate."""
    crypto = crypto_suite(suite_name)
    with transaction.atomic():
        issuing = active_issuing_ca(crypto.name)
        revocation_list = write_crl(issuing, unlock(issuing, passphrase), timezone.now())
        record_audit(
            actor=actor,
            action="trust.crl_published",
            object_type="crl",
            object_id=f"{crypto.name}:{revocation_list.number}",
            summary=f"CRL #{revocation_list.number}, {revocation_list.revoked_count} revoked",
        )
    return revocation_list


def checked_invalidity_date(
    invalidity_date: dt.datetime | None, certificate: Certificate, now: dt.datetime
) -> dt.datetime | None:
    """The key-compromise time given with a revocation: aware, in the certificate's life, past."""
    if invalidity_date is None:
        return None
    if not isinstance(invalidity_date, dt.datetime) or invalidity_date.tzinfo is None:
        raise invalid("invalidity_date", "must be a date and time with a time zone")
    moment = invalidity_date.astimezone(dt.UTC).replace(microsecond=0)
    if moment > now:
        raise invalid("invalidity_date", "must not be in the future")
    if moment < certificate.not_before:
        raise invalid("invalidity_date", "must not be before the certificate's notBefore")
    return moment


def revoke_certificate(
    *,
    actor: Any,
    serial: str,
    reason: str,
    passphrase: bytes | str | None = None,
    invalidity_date: dt.datetime | None = None,
) -> Certificate:
    """Revoke a certificate (吊销证书), effective at once for status checks.

    With the CA passphrase, a new CRL is signed in the same transaction;
    without it, the CRL follows at the next ``egov ca crl``. ``invalidity_date``
    (RFC 5280 5.3.2) says since when the key is known or suspected to be
    compromised; a signature dated after it is reported ``revoked_before_signing``.
    """
    normalised = normalise_serial(serial)
    chosen = reason_of(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(serial=normalised).first()
        if certificate is None:
            raise TrustError(ErrorCode.NOT_FOUND, "serial", "no certificate with this serial")
        if certificate.status == Certificate.Status.REVOKED:
            raise TrustError(ErrorCode.ALREADY_REVOKED, "serial", "already revoked")
        now = timezone.now().replace(microsecond=0)
        invalid_since = checked_invalidity_date(invalidity_date, certificate, now)
        signing_key = unlock(certificate.issuer, passphrase) if passphrase else None
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = now
        certificate.revocation_reason = chosen.value
        certificate.invalidity_date = invalid_since
        certificate.save(
            update_fields=["status", "revoked_at", "revocation_reason", "invalidity_date"]
        )
        since = f", key invalid since {invalid_since.isoformat()}" if invalid_since else ""
        record_audit(
            actor=actor,
            action="trust.certificate_revoked",
            object_type="certificate",
            object_id=certificate.serial,
            summary=f"{certificate.subject}: {chosen.value}{since}",
        )
        publish(
            "CertificateRevoked",
            {
                "serial": certificate.serial,
                "suite": certificate.suite,
                "reason": chosen.value,
                "revoked_at": now.isoformat(),
                "invalidity_date": invalid_since.isoformat() if invalid_since else None,
            },
            aggregate=f"certificate:{certificate.serial}",
        )
        record_security_event(
            kind="certificate_revoked",
            user=certificate.holder,
            organisation=certificate.organisation,
            detail={
                "serial": certificate.serial,
                "reason": chosen.value,
                "actor": actor_identity(actor, "")[0],
            },
        )
        if signing_key is not None:
            write_crl(certificate.issuer, signing_key, now)
    return certificate
