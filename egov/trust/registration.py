"""The registration authority (RA 注册审核): apply, review, issue, deliver, renew, revoke.

A person or an organisation applies for a certificate (证书申请) with a
PKCS#10 request, or asks the platform to make the key pair; an RA officer
(role ``ra_officer``, within their organisation's subtree) checks the
applicant's identity and approves or rejects (审核), never their own
application (four-eyes, 双人原则); approval issues the certificate through
:func:`egov.trust.services.issue_certificate`. The holder downloads the
certificate and chain (PEM) and, once, the PKCS#12 of a generated key.

A generated private key is stored only as PKCS#8 encrypted under the
applicant's PKCS#12 password, sealed again under a key derived from the
server's secret key, and erased at its first download (ADR 0016). It never
reaches a log, an API answer or the audit chain.

Every write takes keyword-only arguments, runs in one durable transaction,
and appends an audit entry and a domain event.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from asn1crypto import pem
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.core.events import publish
from egov.core.models import Region, User
from egov.core.permissions import may, scopes_for
from egov.core.services.audit import record_audit
from egov.core.text_input import (
    NOTE_MAX,
    PEM_MAX,
    TextInputError,
    character_name,
    check_text,
    refused_character,
)
from egov.trust import services
from egov.trust.crypto import CryptoError, CryptoSuite
from egov.trust.errors import ErrorCode, TrustError, invalid
from egov.trust.models import Certificate, CertificateApplication
from egov.trust.pki.applicants import ExpectedSubject, check_requested_subject
from egov.trust.pki.certificates import normalise_serial
from egov.trust.pki.encoding import to_der, to_pem
from egov.trust.pki.pkcs12 import build_pfx
from egov.trust.pki.profiles import Reason, reason_of
from egov.trust.pki.requests import REQUEST_LABELS, load_request

REVIEW = "trust.ra_review"
"""List, approve and reject certificate applications in one's subtree (审核证书申请)."""
REVOKE = "trust.ra_revoke"
"""Revoke any certificate in one's subtree with any RFC 5280 reason (吊销证书)."""

Status = CertificateApplication.Status
Method = CertificateApplication.Method
Identity = CertificateApplication.IdentityType
# Keyed by the account kinds (str values of User.Kind).
KINDS_BY_ACCOUNT: dict[str, tuple[str, ...]] = {
    User.Kind.STAFF: ("person", "org-seal"),
    User.Kind.CITIZEN: ("person",),
    User.Kind.ENTERPRISE: ("org-seal",),
}
HOLDER_REASONS = (
    Reason.UNSPECIFIED,
    Reason.KEY_COMPROMISE,
    Reason.AFFILIATION_CHANGED,
    Reason.SUPERSEDED,
    Reason.CESSATION_OF_OPERATION,
)
"""Reasons a holder may give; the others (CA compromise, hold...) are the RA's."""
MIN_PASSWORD, MAX_PASSWORD = 8, 128
MAX_PENDING = 5
"""Applications one account may have waiting for review (each may hold a generated key)."""
MAX_NOTE = NOTE_MAX  # identity-check records, notes, reasons (characters)
KEY_WRAP_INFO = b"egov.trust.registration key wrap v1"


# --- who applies --------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """What the platform knows of an applicant, shown to the RA officer."""

    name: str
    identity_type: str
    identity_number: str
    organisation: Any
    region_code: str
    subject: ExpectedSubject


def known_region(code: str) -> str:
    """``code`` or its nearest enclosing region we know (city, then province); else ""."""
    if len(code) != 6 or not code.isdigit():
        return ""
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if Region.objects.filter(code=candidate).exists():
            return candidate
    return ""


def _staff_applicant(user: Any, kind: str) -> Applicant:
    profile = getattr(user, "staff", None)
    if profile is None:
        raise invalid("applicant", "this staff account belongs to no organisation")
    organisation = profile.organisation
    if kind == "org-seal":
        return Applicant(
            organisation.name, Identity.ORGANISATION, organisation.code, organisation, "",
            ExpectedSubject(organisation.name, organisation.name),
        )  # fmt: skip
    name = user.display_name or user.username
    return Applicant(
        name, Identity.STAFF, f"{organisation.code} {profile.title}".strip(), organisation, "",
        ExpectedSubject(name, organisation.name),
    )  # fmt: skip


def _public_applicant(user: Any, kind: str) -> Applicant:
    account = getattr(user, "public_account", None)
    if account is None:
        raise invalid("applicant", "this account has no identity on record")
    name = user.display_name or user.username
    if user.kind == User.Kind.CITIZEN:
        identity_type, number, code = Identity.RESIDENT_ID, account.resident_id, account.resident_id
        subject = ExpectedSubject(name)
    else:
        identity_type, number = Identity.CREDIT_CODE, account.credit_code
        code, subject = account.credit_code[2:8], ExpectedSubject(name, name)
    if not number:
        raise invalid("applicant", "no resident ID or credit code on record for this account")
    region = account.region_id or known_region(code[:6])
    if not region:
        raise invalid("applicant", "no region on record for this account")
    return Applicant(name, identity_type, number, None, region, subject)


def applicant_of(user: Any, kind: str) -> Applicant:
    """The applicant behind ``user`` for a certificate of ``kind``; refuses what it may not ask."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise invalid("applicant", "sign in first")
    allowed = KINDS_BY_ACCOUNT.get(user.kind, ())
    if kind not in allowed:
        raise invalid("kind", f"a {user.kind} account may apply for {' or '.join(allowed)} only")
    if user.kind == User.Kind.STAFF:
        return _staff_applicant(user, kind)
    return _public_applicant(user, kind)


# --- the generated key, sealed ---------------------------------------------------


def _wrap_key(crypto: CryptoSuite) -> bytes:
    """A key for sealing stored private keys, derived from the server's secret key."""
    return services.server_wrap_key(crypto, KEY_WRAP_INFO)


def check_password(password: Any, field: str = "pkcs12_password") -> str:
    """The applicant's PKCS#12 password: 8 to 128 characters, no control characters.

    Not stripped: blanks at either end are part of the password.
    """
    if not isinstance(password, str) or not password:
        raise invalid(field, "required")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise invalid(field, f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    char = refused_character(password)
    if char is not None:
        raise invalid(field, f"control character {character_name(char)} is not allowed")
    return password


def seal_new_key(crypto: CryptoSuite, password: str, number: str) -> tuple[bytes, bytes]:
    """A new key pair: (its public key DER, its PKCS#8 under ``password``, sealed)."""
    key = crypto.generate_key()
    encrypted_pem = key.to_pem(password.encode("utf-8"))
    sealed = crypto.seal(_wrap_key(crypto), encrypted_pem, aad=number.encode("ascii"))
    return crypto.public_key_der(key), sealed


def unseal_key(application: CertificateApplication, password: str) -> tuple[bytes, bytes]:
    """(encrypted PKCS#8 DER, public key DER) of the stored key; checks the password opens it."""
    crypto = services.crypto_suite(application.suite)
    try:
        encrypted_pem = crypto.open(
            _wrap_key(crypto),
            bytes(application.sealed_private_key or b""),
            aad=application.number.encode("ascii"),
        )
    except CryptoError:
        raise TrustError(
            ErrorCode.ALREADY_DELIVERED,
            "number",
            "the stored key cannot be opened (the server key changed): revoke and apply again",
        ) from None
    try:
        key = crypto.load_private_key_pem(encrypted_pem, password=password.encode("utf-8"))
    except CryptoError:
        raise TrustError(
            ErrorCode.WRONG_PASSWORD, "password", "not the password given when applying"
        ) from None
    return pem.unarmor(encrypted_pem)[2], crypto.public_key_der(key)


# --- apply ----------------------------------------------------------------------


def check_pending_count(actor: Any) -> None:
    """Refuse a new application while :data:`MAX_PENDING` are waiting for review."""
    waiting = CertificateApplication.objects.filter(applicant_id=actor.pk, status=Status.PENDING)
    if waiting.count() >= MAX_PENDING:
        raise invalid("applicant", f"{MAX_PENDING} applications are already waiting for review")


def new_number() -> str:
    """``RA`` + the Beijing date + 6 random digits, not used yet (申请编号)."""
    day = timezone.localtime(timezone.now()).strftime("%Y%m%d")
    while True:
        number = f"RA{day}{secrets.randbelow(10**6):06d}"
        if not CertificateApplication.objects.filter(number=number).exists():
            return number


@dataclass(frozen=True)
class KeySource:
    """Where the public key comes from: a checked request, or a key made here."""

    method: str
    subject: str
    public_key_der: bytes
    csr_pem: str = ""
    sealed_private_key: bytes | None = None


def key_source(
    crypto: CryptoSuite,
    applicant: Applicant,
    *,
    csr: str | bytes | None,
    pkcs12_password: str | None,
    number: str,
) -> KeySource:
    """Check the request (signature, suite, subject) or make and seal a key pair."""
    if isinstance(csr, str | bytes) and len(csr) > PEM_MAX:
        raise invalid("csr", f"at most {PEM_MAX} characters, got {len(csr)}")
    given = csr if isinstance(csr, str | bytes) and csr.strip() else None
    if (given is not None) == bool(pkcs12_password):
        raise invalid("method", "give either a certificate request (CSR) or a PKCS#12 password")
    if given is None:
        public_key_der, sealed = seal_new_key(crypto, check_password(pkcs12_password), number)
        return KeySource(Method.GENERATED, applicant.subject.text(), public_key_der, "", sealed)
    request = load_request(given)  # malformed / bad_signature, naming "csr"
    if request.suite_name != crypto.name:
        raise invalid(
            "csr", f"the request's key is for the {request.suite_name!r} suite, not {crypto.name!r}"
        )
    check_requested_subject(request.subject, applicant.subject)
    csr_pem = to_pem(to_der(given, "csr", REQUEST_LABELS), "CERTIFICATE REQUEST")
    return KeySource(Method.CSR, request.subject, request.public_key_der, csr_pem)


def _create_application(
    *, actor: Any, kind: str, suite_name: str, source: KeySource, applicant: Applicant,
    number: str, renews: Certificate | None,
) -> CertificateApplication:  # fmt: skip
    application = CertificateApplication.objects.create(
        number=number,
        applicant=actor,
        kind=kind,
        suite=suite_name,
        subject=source.subject,
        method=source.method,
        csr_pem=source.csr_pem,
        public_key_der=source.public_key_der,
        sealed_private_key=source.sealed_private_key,
        organisation=applicant.organisation,
        region_code=applicant.region_code,
        applicant_name=applicant.name,
        identity_type=applicant.identity_type,
        identity_number=applicant.identity_number,
        renews=renews,
    )
    renewal = f", renewing {renews.serial}" if renews else ""
    record_audit(
        actor=actor,
        action="trust.certificate_applied",
        object_type="certificate_application",
        object_id=number,
        summary=f"{kind} certificate for {source.subject} ({source.method}, {suite_name}){renewal}",
        organisation=getattr(applicant.organisation, "code", ""),
    )
    publish(
        "CertificateApplied",
        {
            "number": number,
            "kind": kind,
            "suite": suite_name,
            "subject": source.subject,
            "method": source.method,
            "renews": renews.serial if renews else "",
        },
        aggregate=f"certificate_application:{number}",
    )
    return application


def apply_for_certificate(
    *,
    actor: Any,
    kind: str,
    suite_name: str = "sm",
    csr: str | bytes | None = None,
    pkcs12_password: str | None = None,
) -> CertificateApplication:
    """Apply for a certificate (申请证书) with a CSR, or with a password for a generated key."""
    crypto = services.crypto_suite(suite_name)
    applicant = applicant_of(actor, kind)
    check_pending_count(actor)
    number = new_number()
    source = key_source(crypto, applicant, csr=csr, pkcs12_password=pkcs12_password, number=number)
    with transaction.atomic(durable=True):
        return _create_application(
            actor=actor, kind=kind, suite_name=crypto.name, source=source, applicant=applicant,
            number=number, renews=None,
        )  # fmt: skip


def request_renewal(
    *,
    actor: Any,
    serial: str,
    csr: str | bytes | None = None,
    pkcs12_password: str | None = None,
) -> CertificateApplication:
    """Ask to renew one's certificate (证书更新): a new application of the same kind and suite.

    Once an officer approves it, the new certificate is issued and the old one
    revoked as ``superseded``.
    """
    old = own_certificate(actor, serial)
    if old.status == Certificate.Status.REVOKED:
        raise invalid("serial", "a revoked certificate cannot be renewed: apply for a new one")
    crypto = services.crypto_suite(old.suite)
    applicant = applicant_of(actor, old.kind)
    check_pending_count(actor)
    number = new_number()
    source = key_source(crypto, applicant, csr=csr, pkcs12_password=pkcs12_password, number=number)
    with transaction.atomic(durable=True):
        old = Certificate.objects.select_for_update().get(pk=old.pk)
        if old.renewal_applications.filter(status=Status.PENDING).exists():
            raise invalid("serial", "a renewal of this certificate is already waiting for review")
        return _create_application(
            actor=actor, kind=old.kind, suite_name=crypto.name, source=source,
            applicant=applicant, number=number, renews=old,
        )  # fmt: skip


# --- review ----------------------------------------------------------------------


def _not_found() -> TrustError:
    return TrustError(ErrorCode.NOT_FOUND, "number", "no such certificate application")


def access_application(
    actor: Any, number: str, *, lock: bool = False, review: bool = False
) -> CertificateApplication:
    """The application ``number`` if ``actor`` applied for it or reviews it; "not found" alike.

    With ``review``, only an RA officer whose subtree holds it gets it, and the
    applicant is refused as ``own_application`` (four-eyes, 双人原则).
    """
    if not isinstance(number, str) or not number.strip():
        raise invalid("number", "required")
    query = CertificateApplication.objects.select_related("organisation", "applicant", "renews")
    if lock:
        query = query.select_for_update(of=("self",))
    application = query.filter(number=number.strip()).first()
    if application is None:
        raise _not_found()
    is_applicant = application.applicant_id == getattr(actor, "pk", None)
    is_reviewer = may(actor, REVIEW, application)
    if review and is_applicant and is_reviewer:
        raise TrustError(
            ErrorCode.OWN_APPLICATION,
            "number",
            "nobody reviews their own application: another RA officer must (four-eyes)",
        )
    if is_reviewer or (is_applicant and not review):
        return application
    raise _not_found()


def _pending(application: CertificateApplication) -> None:
    if application.status != Status.PENDING:
        raise TrustError(
            ErrorCode.NOT_PENDING,
            "number",
            f"already decided ({application.status}); only a pending application can be",
        )


def _note(value: Any, field: str, *, required: bool) -> str:
    """An officer's note: typed text of at most MAX_NOTE characters (egov.core.text_input)."""
    try:
        return check_text(value, max_length=MAX_NOTE, multiline=True, required=required)
    except TextInputError as exc:
        raise invalid(field, str(exc)) from None


def _decide(
    application: CertificateApplication, actor: Any, status: str, identity_check: str, reason: str
) -> None:
    application.status = status
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.identity_check = identity_check
    application.decision_reason = reason
    application.save()


def approve_application(
    *, actor: Any, number: str, identity_check: str, passphrase: bytes | str | None, note: str = ""
) -> CertificateApplication:
    """Approve and issue (审核通过并签发): the officer records what identity they checked.

    A renewal revokes the certificate it replaces (``superseded``) and the CRL
    is republished, in the same transaction.
    """
    checked = _note(identity_check, "identity_check", required=True)
    remark = _note(note, "note", required=False)
    with transaction.atomic(durable=True):
        application = access_application(actor, number, lock=True, review=True)
        _pending(application)
        certificate = services.issue_certificate(
            actor=actor,
            suite_name=application.suite,
            kind=application.kind,
            subject=application.subject,
            public_key_der=bytes(application.public_key_der),
            passphrase=passphrase,
            holder=application.applicant,
            organisation=application.organisation,
        )
        application.certificate = certificate
        _decide(application, actor, Status.ISSUED, checked, remark)
        old = application.renews
        if old is not None and old.status == Certificate.Status.GOOD:
            services.revoke_certificate(
                actor=actor, serial=old.serial, reason=Reason.SUPERSEDED, passphrase=passphrase
            )
        record_audit(
            actor=actor,
            action="trust.certificate_application_approved",
            object_type="certificate_application",
            object_id=application.number,
            summary=f"identity checked; issued {certificate.serial}",
            organisation=getattr(application.organisation, "code", ""),
        )
        publish(
            "CertificateApplicationApproved",
            {"number": application.number, "serial": certificate.serial, "kind": application.kind},
            aggregate=f"certificate_application:{application.number}",
        )
    return application


def reject_application(
    *, actor: Any, number: str, reason: str, identity_check: str = ""
) -> CertificateApplication:
    """Reject with a reason (审核不通过); a generated key is erased at once."""
    why = _note(reason, "reason", required=True)
    checked = _note(identity_check, "identity_check", required=False)
    with transaction.atomic(durable=True):
        application = access_application(actor, number, lock=True, review=True)
        _pending(application)
        application.sealed_private_key = None
        _decide(application, actor, Status.REJECTED, checked, why)
        record_audit(
            actor=actor,
            action="trust.certificate_application_rejected",
            object_type="certificate_application",
            object_id=application.number,
            summary=f"rejected: {why}",
            organisation=getattr(application.organisation, "code", ""),
        )
        publish(
            "CertificateApplicationRejected",
            {"number": application.number, "reason": why},
            aggregate=f"certificate_application:{application.number}",
        )
    return application


# --- deliver ---------------------------------------------------------------------


def download_pkcs12(*, actor: Any, number: str, password: str) -> bytes:
    """The PKCS#12 of a generated key (下载证书文件), once: the stored key is then erased."""
    if not isinstance(password, str) or not password:
        raise invalid("password", "required")
    with transaction.atomic(durable=True):
        application = access_application(actor, number, lock=True)
        if application.applicant_id != actor.pk:
            raise _not_found()
        if application.status != Status.ISSUED or application.method != Method.GENERATED:
            raise invalid("number", "only an issued application with a generated key has a PKCS#12")
        if application.sealed_private_key is None:
            raise TrustError(
                ErrorCode.ALREADY_DELIVERED,
                "number",
                "the key was downloaded once already and is no longer kept; "
                "if it is lost, revoke the certificate and apply again",
            )
        encrypted_key_der, public_key_der = unseal_key(application, password)
        certificate = application.certificate
        assert certificate is not None  # an issued application has one
        if public_key_der != bytes(application.public_key_der):
            raise invalid("number", "the stored key does not match the certificate")
        pfx = build_pfx(
            encrypted_key_der=encrypted_key_der,
            certificate_ders=pem_blocks(certificate_chain_pem(certificate)),
            password=password,
            friendly_name=application.applicant_name,
        )
        application.sealed_private_key = None
        application.key_delivered_at = timezone.now()
        application.save(update_fields=["sealed_private_key", "key_delivered_at"])
        record_audit(
            actor=actor,
            action="trust.pkcs12_delivered",
            object_type="certificate_application",
            object_id=application.number,
            summary=f"PKCS#12 for {certificate.serial} downloaded; stored key erased",
            organisation=getattr(application.organisation, "code", ""),
        )
    return pfx


def certificate_chain_pem(certificate: Certificate) -> str:
    """The certificate, its issuing CA and the root, PEM (证书链)."""
    issuer = certificate.issuer
    parts = [certificate.certificate_pem, issuer.certificate_pem]
    if issuer.parent is not None:
        parts.append(issuer.parent.certificate_pem)
    return "".join(part if part.endswith("\n") else part + "\n" for part in parts)


def pem_blocks(text: str) -> list[bytes]:
    """The DER of each PEM block in ``text``."""
    marker = "-----END CERTIFICATE-----"
    blocks = [block.strip() + "\n" + marker + "\n" for block in text.split(marker) if block.strip()]
    return [pem.unarmor(block.encode("ascii"))[2] for block in blocks]


# --- certificates: who sees and revokes which -------------------------------------


def _scope_object(certificate: Certificate) -> Any:
    application = getattr(certificate, "application", None)
    if application is not None:
        return application
    return certificate if certificate.organisation_id else None


def may_revoke_any(actor: Any, certificate: Certificate) -> bool:
    """May ``actor`` revoke ``certificate`` as an RA officer (any reason)?"""
    scope = _scope_object(certificate)
    return scope is not None and may(actor, REVOKE, scope)


def own_certificate(actor: Any, serial: str) -> Certificate:
    """The actor's own certificate ``serial``; another's is "not found" alike."""
    certificate = Certificate.objects.filter(
        serial=normalise_serial(serial), holder_id=getattr(actor, "pk", None)
    ).first()
    if certificate is None:
        raise TrustError(ErrorCode.NOT_FOUND, "serial", "no certificate with this serial")
    return certificate


def access_certificate(actor: Any, serial: str) -> tuple[Certificate, bool]:
    """(certificate, is_holder) for its holder or an RA officer whose subtree holds it."""
    normalised = normalise_serial(serial)
    certificate = (
        Certificate.objects.select_related("issuer", "issuer__parent", "organisation")
        .filter(serial=normalised)
        .first()
    )
    if certificate is not None:
        if certificate.holder_id is not None and certificate.holder_id == getattr(
            actor, "pk", None
        ):
            return certificate, True
        scope = _scope_object(certificate)
        if scope is not None and may(actor, REVOKE, scope):
            return certificate, False
    raise TrustError(ErrorCode.NOT_FOUND, "serial", "no certificate with this serial")


def revoke(*, actor: Any, serial: str, reason: str, passphrase: bytes | str | None) -> Certificate:
    """Revoke from the web (吊销): the holder (their reasons) or an RA officer (any reason).

    Effective at once; the CRL is re-signed in the same transaction, so the
    CA passphrase is required.
    """
    chosen = reason_of(reason)
    services.passphrase_bytes(passphrase)
    with transaction.atomic(durable=True):
        certificate, _is_holder = access_certificate(actor, serial)
        if chosen not in HOLDER_REASONS and not may_revoke_any(actor, certificate):
            allowed = ", ".join(reason.value for reason in HOLDER_REASONS)
            raise invalid("reason", f"a holder may give {allowed}")
        return services.revoke_certificate(
            actor=actor, serial=certificate.serial, reason=chosen, passphrase=passphrase
        )


# --- reads -----------------------------------------------------------------------


def reviewable(actor: Any, status: str = Status.PENDING) -> QuerySet[CertificateApplication]:
    """Applications in the officer's subtrees (by organisation, else by region), oldest first."""
    grants = scopes_for(actor, REVIEW)
    if not grants:
        return CertificateApplication.objects.none()
    scope = Q()
    for grant in grants:
        regions = Region.objects.filter(path__startswith=grant.region_path).values("code")
        scope |= Q(organisation__path__startswith=grant.organisation_path)
        scope |= Q(organisation__isnull=True, region_code__in=regions)
    return (
        CertificateApplication.objects.filter(scope, status=status)
        .select_related("applicant", "organisation", "renews", "certificate")
        .order_by("created_at" if status == Status.PENDING else "-decided_at")
    )


def applications_of(actor: Any) -> QuerySet[CertificateApplication]:
    """The actor's own applications, newest first (我的申请)."""
    return (
        CertificateApplication.objects.filter(applicant_id=actor.pk)
        .select_related("certificate", "renews")
        .order_by("-created_at")
    )


def certificates_of(actor: Any) -> QuerySet[Certificate]:
    """The certificates the actor holds, newest first (我的证书)."""
    return Certificate.objects.filter(holder_id=actor.pk).order_by("-not_before", "-pk")


def near_expiry(certificate: Certificate, days: int = 30) -> bool:
    """Is a good certificate within ``days`` of its notAfter (临近到期)?"""
    return (
        certificate.status == Certificate.Status.GOOD
        and certificate.not_after - timezone.now() <= dt.timedelta(days=days)
    )
