"""Receiving messages (接收报文): check, de-duplicate, store, publish, sign a receipt.

:func:`receive_message` takes one decoded envelope and answers an
:class:`Outcome`: ``accepted`` with the node's signed receipt, ``duplicate``
with the receipt first given for the same bytes, or ``refused`` with a reason
code (:class:`~egov.exchange.errors.ErrorCode`). The checks run cheapest and
most fundamental first: size, shape, sender (known, active), certificate (the
member's, from our CA, in date, not revoked: ``egov.trust``), signature and
digest, freshness window, recipient, type (registered, allowed to this
member), payload (the type's check). A refusal is recorded as a security
event (``access_refused``, channel ``exchange``) and stores nothing else.

An accepted message, its outbox event (the type's ``event_type``; ADR 0061)
and its receipt commit in one transaction: either all three exist or none.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from egov.core.events import publish
from egov.core.models import SecurityEvent
from egov.core.services.security import record_security_event
from egov.exchange.envelope import (
    Envelope,
    build_receipt,
    check_envelope,
    check_freshness,
    parse_envelope,
)
from egov.exchange.errors import ErrorCode, ExchangeError
from egov.exchange.models import Member, Message
from egov.exchange.node import NodeIdentity, node_identity
from egov.exchange.registry import MessageType, message_type
from egov.trust import selectors as trust_selectors
from egov.trust.errors import ErrorCode as TrustCode
from egov.trust.errors import TrustError

CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_BATCH = 100
log = logging.getLogger(__name__)

CERTIFICATE_CODES = {
    TrustCode.REVOKED: ErrorCode.CERTIFICATE_REVOKED,
    TrustCode.EXPIRED: ErrorCode.CERTIFICATE_EXPIRED,
    TrustCode.NOT_YET_VALID: ErrorCode.CERTIFICATE_EXPIRED,
}


class Status:
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


@dataclass(frozen=True)
class Outcome:
    """What became of one message."""

    status: str
    message_id: str = ""
    receipt: dict[str, Any] | None = None
    error: ExchangeError | None = None

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "message_id": self.message_id or None}
        if self.error is not None:
            return body | {"error": self.error.as_dict()}
        return body | {"receipt": self.receipt}


def sending_member(envelope: Envelope) -> Member:
    member = (
        Member.objects.select_related("organisation__region").filter(code=envelope.sender).first()
    )
    if member is None:
        raise ExchangeError(ErrorCode.UNKNOWN_MEMBER, "sender", "not a member of the exchange")
    if member.status != Member.Status.ACTIVE:
        raise ExchangeError(ErrorCode.MEMBER_SUSPENDED, "sender", "the member is suspended")
    return member


def check_certificate(envelope: Envelope, member: Member, now: dt.datetime) -> None:
    """The envelope's certificate is the member's, and trust finds it good now."""
    if envelope.certificate.serial_hex != member.certificate_serial:
        raise ExchangeError(
            ErrorCode.CERTIFICATE_MISMATCH,
            "signature.certificate",
            "not the certificate registered for this member",
        )
    try:
        trust_selectors.verify_certificate(envelope.certificate.der, at=now)
    except TrustError as exc:
        code = CERTIFICATE_CODES.get(exc.code, ErrorCode.CERTIFICATE_UNTRUSTED)
        raise ExchangeError(code, "signature.certificate", exc.reason) from None


def allowed_type(envelope: Envelope, member: Member) -> MessageType:
    registered = message_type(envelope.message_type)
    if registered is None:
        raise ExchangeError(ErrorCode.UNKNOWN_TYPE, "type", "not a registered message type")
    if envelope.message_type not in member.may_send:
        raise ExchangeError(ErrorCode.TYPE_NOT_ALLOWED, "type", "this member may not send it")
    problem = registered.check(envelope.payload)
    if problem is not None:
        field, reason = problem
        raise ExchangeError(ErrorCode.INVALID_PAYLOAD, field, reason)
    return registered


def checked(document: Any, size: int, now: dt.datetime) -> tuple[Envelope, Member, MessageType]:
    """Every check of one message, in order; the first failure raises."""
    limit = int(settings.EGOV_EXCHANGE_MAX_MESSAGE_BYTES)
    if size > limit:
        raise ExchangeError(ErrorCode.TOO_LARGE, "envelope", f"larger than {limit} bytes")
    envelope = parse_envelope(document)
    member = sending_member(envelope)
    check_certificate(envelope, member, now)
    check_envelope(envelope)
    window = dt.timedelta(seconds=int(settings.EGOV_EXCHANGE_WINDOW_SECONDS))
    check_freshness(envelope, now, window=window, skew=CLOCK_SKEW)
    if settings.EGOV_EXCHANGE_NODE_CODE not in envelope.recipients:
        raise ExchangeError(ErrorCode.WRONG_RECIPIENT, "recipients", "this node is not named")
    return envelope, member, allowed_type(envelope, member)


def earlier_outcome(envelope: Envelope) -> Outcome | None:
    """``duplicate`` with the first receipt for the same bytes; ``conflict`` for other bytes."""
    earlier = Message.objects.filter(
        direction=Message.Direction.INBOUND, message_id=envelope.message_id
    ).first()
    if earlier is None:
        return None
    if earlier.envelope_digest != envelope.envelope_digest()["value"]:
        raise ExchangeError(ErrorCode.CONFLICT, "id", "this id was received with other content")
    return Outcome(Status.DUPLICATE, envelope.message_id, receipt=earlier.receipt)


def event_payload(envelope: Envelope, member: Member) -> dict[str, Any]:
    return {
        "message_id": envelope.message_id,
        "type": envelope.message_type,
        "sender": member.code,
        "organisation": member.organisation.code,
        "region_path": member.organisation.region.path,
        "payload": envelope.payload,
    }


def store(
    envelope: Envelope, member: Member, kind: MessageType, node: NodeIdentity, now: dt.datetime
) -> Outcome:
    """Keep the message, publish its event and sign its receipt, in one transaction."""
    receipt = build_receipt(
        envelope,
        receiver=node.code,
        received=now,
        key=node.key,
        certificate_der=node.certificate.der,
    )
    with transaction.atomic(durable=True):
        earlier = earlier_outcome(envelope)
        if earlier is not None:
            return earlier
        event = publish(
            kind.event_type, event_payload(envelope, member), aggregate=f"exchange:{member.code}"
        )
        Message.objects.create(
            direction=Message.Direction.INBOUND,
            message_id=envelope.message_id,
            message_type=envelope.message_type,
            sender=member.code,
            recipients=list(envelope.recipients),
            created=envelope.created,
            received_at=now,
            digest=envelope.digest_value,
            envelope_digest=receipt["envelope_digest"]["value"],
            certificate_serial=envelope.certificate.serial_hex,
            envelope=envelope.document,
            receipt=receipt,
            event_id=event.pk,
        )
    return Outcome(Status.ACCEPTED, envelope.message_id, receipt=receipt)


def message_id_of(document: Any) -> str:
    value = document.get("id") if isinstance(document, Mapping) else None
    return value[:64] if isinstance(value, str) else ""


def record_refusal(error: ExchangeError, document: Any, request: Any) -> None:
    """The security event of a refused message: who claimed to send what, and why."""
    sender = document.get("sender") if isinstance(document, Mapping) else None
    kind = document.get("type") if isinstance(document, Mapping) else None
    record_security_event(
        kind=SecurityEvent.Kind.ACCESS_REFUSED,
        request=request,
        username=f"exchange:{sender}" if isinstance(sender, str) else "exchange",
        detail={
            "channel": "exchange",
            "code": str(error.code),
            "field": error.field,
            "reason": error.reason[:200],
            "message_id": message_id_of(document),
            "sender": sender[:64] if isinstance(sender, str) else "",
            "type": kind[:64] if isinstance(kind, str) else "",
        },
    )


def receive_message(
    document: Any, *, size: int, request: Any = None, now: dt.datetime | None = None
) -> Outcome:
    """Receive one envelope (接收报文); never raises for bad input, answers ``refused``."""
    moment = (now or timezone.now()).replace(microsecond=0)
    try:
        envelope, member, kind = checked(document, size, moment)
        return store(envelope, member, kind, node_identity(), moment)
    except ExchangeError as error:
        if error.code != ErrorCode.NODE_NOT_CONFIGURED:
            record_refusal(error, document, request)
        return Outcome(Status.REFUSED, message_id_of(document), error=error)
    except IntegrityError:
        # The same id committed by a concurrent request between our check and insert.
        return receive_message(document, size=size, request=request, now=now)
