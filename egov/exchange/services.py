"""Writes of the exchange's members (交换成员管理): register, suspend, reinstate; audited.

Administrators manage members (``apikey.manage``, the same right as the API
keys they succeed, ADR 0060). A member holds a ``system`` certificate of our
CA, named by its serial; its ``may_send`` / ``may_receive`` lists name
registered message types. Suspension takes effect at the next message: every
inbound message reads the member's status in its own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from egov.core.models import ExternalSystem, Organisation
from egov.core.permissions import require
from egov.core.services.audit import record_audit
from egov.exchange.errors import ErrorCode, ExchangeError
from egov.exchange.models import Member
from egov.exchange.registry import registered_names
from egov.exchange.selectors import MANAGE
from egov.trust import selectors as trust_selectors
from egov.trust.errors import TrustError

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
URL_PATTERN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(/[^\s?#]*)?$")


def invalid(field: str, reason: str) -> ExchangeError:
    return ExchangeError(ErrorCode.INVALID_INPUT, field, reason)


def checked_types(types: Iterable[str], field: str) -> list[str]:
    """Registered message type names, sorted, once each."""
    if isinstance(types, str) or not all(isinstance(t, str) for t in types):
        raise invalid(field, "a list of message type names")
    chosen = sorted(set(types))
    unknown = [name for name in chosen if name not in registered_names()]
    if unknown:
        raise ExchangeError(ErrorCode.UNKNOWN_TYPE, field, f"not registered: {', '.join(unknown)}")
    return chosen


def checked_certificate(serial: str) -> str:
    """The serial of a good ``system`` certificate of our CA, normalised."""
    try:
        status = trust_selectors.certificate_status(serial)
    except TrustError as exc:
        raise invalid("certificate_serial", exc.reason) from None
    if status.kind != "system":
        raise invalid("certificate_serial", f"a {status.kind} certificate, not a system one")
    if status.status != "good":
        raise invalid("certificate_serial", f"the certificate is {status.status}")
    return status.serial


def checked_endpoint(url: str) -> str:
    """A peer's base URL: http(s), no query or fragment; empty for systems that only send."""
    if not isinstance(url, str) or len(url) > 200:
        raise invalid("endpoint_url", "at most 200 characters")
    if url and (not URL_PATTERN.match(url)):
        raise invalid("endpoint_url", "an http:// or https:// address without query")
    return url


def checked_code(code: str) -> str:
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise invalid("code", "2-64 lower-case letters, digits or '-'")
    return code


def register_member(
    *,
    actor: Any,
    code: str,
    name: str,
    organisation_code: str,
    certificate_serial: str,
    may_send: Iterable[str] = (),
    may_receive: Iterable[str] = (),
    kind: str = Member.Kind.SYSTEM,
    external_system_code: str = "",
    endpoint_url: str = "",
) -> Member:
    """Register a member (登记交换成员) owned by an organisation; audited."""
    checked_code(code)
    if not isinstance(name, str) or not name.strip() or len(name) > 128:
        raise invalid("name", "required, at most 128 characters")
    if kind not in Member.Kind.values:
        raise invalid("kind", f"one of {', '.join(Member.Kind.values)}")
    sending, receiving = (
        checked_types(may_send, "may_send"),
        checked_types(may_receive, "may_receive"),
    )
    with transaction.atomic():
        organisation = Organisation.objects.filter(code=organisation_code, is_active=True).first()
        if organisation is None:
            raise ExchangeError(
                ErrorCode.ORGANISATION_NOT_FOUND, "organisation_code", "no such organisation"
            )
        require(actor, MANAGE, organisation)
        serial = checked_certificate(certificate_serial)
        if Member.objects.filter(code=code).exists():
            raise ExchangeError(ErrorCode.DUPLICATE_MEMBER_CODE, "code", "a member has this code")
        system = None
        if external_system_code:
            system = ExternalSystem.objects.filter(code=external_system_code).first()
            if system is None:
                raise invalid("external_system_code", "no such external system")
        member = Member.objects.create(
            code=code,
            name=name.strip(),
            kind=kind,
            organisation=organisation,
            certificate_serial=serial,
            may_send=sending,
            may_receive=receiving,
            external_system=system,
            endpoint_url=endpoint_url,
        )
        record_audit(
            actor=actor,
            action="exchange.member_registered",
            object_type="exchange.member",
            object_id=code,
            summary=f"{name} ({kind}) certificate {serial}; sends {', '.join(sending) or '-'}",
            organisation=organisation.code,
        )
    return member


def access_member(actor: Any, code: str, *, lock: bool = False) -> Member:
    """The member ``code`` if the actor may manage it; missing and forbidden look alike."""
    query = Member.objects.select_related("organisation")
    member = (query.select_for_update() if lock else query).filter(code=code).first()
    if member is None:
        raise ExchangeError(ErrorCode.MEMBER_NOT_FOUND, "code", "no such member")
    try:
        require(actor, MANAGE, member.organisation)
    except Exception:
        raise ExchangeError(ErrorCode.MEMBER_NOT_FOUND, "code", "no such member") from None
    return member


def set_member_status(*, actor: Any, code: str, status: str, reason: str = "") -> Member:
    """Suspend (暂停) or reinstate (恢复) a member; its next message sees the new status."""
    if status not in Member.Status.values:
        raise invalid("status", f"one of {', '.join(Member.Status.values)}")
    with transaction.atomic():
        member = access_member(actor, code, lock=True)
        if member.status == status:
            return member
        member.status = status
        member.save(update_fields=["status", "updated_at"])
        record_audit(
            actor=actor,
            action=f"exchange.member_{status}",
            object_type="exchange.member",
            object_id=code,
            summary=reason[:200] or status,
            organisation=member.organisation.code,
        )
    return member


def suspend_member(*, actor: Any, code: str, reason: str = "") -> Member:
    return set_member_status(actor=actor, code=code, status=Member.Status.SUSPENDED, reason=reason)


def reinstate_member(*, actor: Any, code: str, reason: str = "") -> Member:
    return set_member_status(actor=actor, code=code, status=Member.Status.ACTIVE, reason=reason)
