"""Sending to peers (出站投递): a queue per peer, in order, with backoff and signed receipts.

:func:`queue_message` signs an envelope with this node's key and keeps it
``pending``; :func:`deliver_outbound` (the worker, every minute and after each
queued message) posts each peer's oldest pending message to the peer's
``endpoint_url`` and, when the answer carries a receipt that the peer's
registered certificate signed for this very envelope, marks it ``delivered``
with the receipt. Otherwise the attempt is counted and the peer's queue waits
``min(30 s × 2^(attempts-1), 1 h)``: later messages to that peer wait too, so
a peer receives them in order. After ``MAX_ATTEMPTS`` the message is
``failed``, visible to administrators, and :func:`resend_message` queues it
again. A peer that is down for hours loses nothing: its queue just waits.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.core.permissions import require
from egov.core.services.audit import record_audit
from egov.exchange.client import MESSAGES_PATH, post_json
from egov.exchange.envelope import build_envelope, canonical, check_receipt, digest_of
from egov.exchange.errors import ErrorCode, ExchangeError
from egov.exchange.models import Member, OutboundMessage
from egov.exchange.node import node_identity
from egov.exchange.registry import message_type
from egov.exchange.selectors import MANAGE
from egov.exchange.timestamping import sending_blocked
from egov.trust import selectors as trust_selectors
from egov.trust.crypto import suite
from egov.trust.errors import TrustError

MAX_ATTEMPTS = 8
FIRST_BACKOFF = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=1)
POST_TIMEOUT_SECONDS = 30.0
MAX_PER_PEER_PER_RUN = 100
log = logging.getLogger(__name__)
Poster = Callable[[str, Any], tuple[int, Any]]


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, ... at most 1 h."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def receiving_peer(code: str, type_name: str) -> Member:
    peer = Member.objects.filter(code=code).first()
    if peer is None:
        raise ExchangeError(ErrorCode.UNKNOWN_MEMBER, "recipient", "not a member")
    if peer.status != Member.Status.ACTIVE:
        raise ExchangeError(ErrorCode.MEMBER_SUSPENDED, "recipient", "the member is suspended")
    if not peer.endpoint_url:
        raise ExchangeError(ErrorCode.INVALID_INPUT, "recipient", "the member has no endpoint")
    if message_type(type_name) is None:
        raise ExchangeError(ErrorCode.UNKNOWN_TYPE, "message_type", "not registered")
    if type_name not in peer.may_receive:
        raise ExchangeError(
            ErrorCode.TYPE_NOT_ALLOWED, "message_type", "the peer may not receive it"
        )
    return peer


def queue_message(
    *, actor: Any, recipient: str, message_type: str, payload: Mapping[str, Any]
) -> OutboundMessage:
    """Sign ``payload`` as this node and queue it for ``recipient`` (发送报文); audited."""
    peer = receiving_peer(recipient, message_type)
    require(actor, MANAGE, peer.organisation)
    node = node_identity()
    now = timezone.now().replace(microsecond=0)
    envelope = build_envelope(
        key=node.key,
        certificate=node.certificate.der,
        sender=node.code,
        recipients=[peer.code],
        message_type=message_type,
        payload=payload,
        created=now,
    )
    with transaction.atomic():
        queued = OutboundMessage.objects.create(
            message_id=envelope["id"],
            recipient=peer.code,
            message_type=message_type,
            envelope=envelope,
            envelope_digest=digest_of(suite(node.key.suite_name), canonical(envelope))["value"],
            queued_at=now,
            next_attempt_at=now,
        )
        record_audit(
            actor=actor,
            action="exchange.message_queued",
            object_type="exchange.outbound",
            object_id=envelope["id"],
            summary=f"{message_type} to {peer.code}",
            organisation=peer.organisation.code,
        )
    return queued


def checked_receipt(peer: Member, message: OutboundMessage, answer: Any) -> dict[str, Any]:
    """The answer's receipt if the peer's own, good certificate signed it for this envelope."""
    receipt = answer.get("receipt") if isinstance(answer, dict) else None
    if not isinstance(receipt, dict):
        raise ExchangeError(ErrorCode.INVALID_ENVELOPE, "receipt", "the answer has no receipt")
    certificate = check_receipt(receipt, message.envelope)
    if certificate.serial_hex != peer.certificate_serial or receipt["receiver"] != peer.code:
        raise ExchangeError(ErrorCode.CERTIFICATE_MISMATCH, "receipt", "not the peer's")
    try:
        trust_selectors.verify_certificate(certificate.der)
    except TrustError as exc:
        raise ExchangeError(ErrorCode.CERTIFICATE_UNTRUSTED, "receipt", exc.reason) from None
    return dict(receipt)


def attempt(peer: Member, message: OutboundMessage, post: Poster, now: dt.datetime) -> bool:
    """Post one message; record the receipt or the failure. True when delivered."""
    try:
        status, answer = post(peer.endpoint_url.rstrip("/") + MESSAGES_PATH, message.envelope)
        if status != 200:
            code = answer.get("code") if isinstance(answer, dict) else ""
            raise ExchangeError(ErrorCode.INVALID_INPUT, "answer", f"HTTP {status} {code}")
        receipt = checked_receipt(peer, message, answer)
    except (OSError, ExchangeError) as exc:
        message.attempts += 1
        message.last_error = str(exc)[:300]
        message.next_attempt_at = now + backoff(message.attempts)
        if message.attempts >= MAX_ATTEMPTS:
            message.state = OutboundMessage.State.FAILED
        message.save(update_fields=["attempts", "last_error", "next_attempt_at", "state"])
        return False
    message.attempts += 1
    message.receipt, message.delivered_at = receipt, now
    message.state = OutboundMessage.State.DELIVERED
    message.save(update_fields=["attempts", "receipt", "delivered_at", "state"])
    return True


def deliver_to_peer(peer: Member, post: Poster, now: dt.datetime) -> int:
    """Deliver the peer's pending messages in order until one fails or is not yet due."""
    delivered = 0
    for _ in range(MAX_PER_PEER_PER_RUN):
        head = OutboundMessage.objects.filter(
            recipient=peer.code, state=OutboundMessage.State.PENDING
        ).first()
        if head is None or head.next_attempt_at > now or not attempt(peer, head, post, now):
            break
        delivered += 1
    return delivered


def http_post(url: str, body: Any) -> tuple[int, Any]:
    return post_json(url, body, timeout=POST_TIMEOUT_SECONDS)


def deliver_outbound(*, post: Poster = http_post, now: dt.datetime | None = None) -> int:
    """One pass over every peer with pending messages (出站投递); how many were delivered.

    Sends nothing while the message log could not be time-stamped for longer
    than ``EGOV_EXCHANGE_TIMESTAMP_MAX_AGE`` (:func:`timestamping.sending_blocked`).
    At least once: two workers may post the same message, which the peer
    de-duplicates by id (the second answer carries the same receipt).
    """
    moment = now or timezone.now()
    if sending_blocked(moment):
        log.warning("not sending: the message log could not be time-stamped for too long")
        return 0
    codes = (
        OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING)
        .values_list("recipient", flat=True)
        .distinct()
    )
    delivered = 0
    for peer in Member.objects.filter(code__in=list(codes)):
        if peer.status == Member.Status.ACTIVE and peer.endpoint_url:
            delivered += deliver_to_peer(peer, post, moment)
    return delivered


def resend_message(*, actor: Any, message_id: str, recipient: str) -> OutboundMessage:
    """Queue a failed message again (重新发送), at the head of its peer's queue; audited."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(message_id=message_id, recipient=recipient)
            .first()
        )
        peer = Member.objects.filter(code=recipient).first()
        if message is None or peer is None:
            raise ExchangeError(ErrorCode.INVALID_INPUT, "message_id", "no such outbound message")
        require(actor, MANAGE, peer.organisation)
        if message.state != OutboundMessage.State.FAILED:
            raise ExchangeError(ErrorCode.INVALID_INPUT, "message_id", f"is {message.state}")
        message.state, message.attempts = OutboundMessage.State.PENDING, 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["state", "attempts", "next_attempt_at"])
        record_audit(
            actor=actor,
            action="exchange.message_resent",
            object_type="exchange.outbound",
            object_id=str(message_id),
            summary=f"to {recipient} after: {message.last_error}"[:200],
            organisation=peer.organisation.code,
        )
    return message
