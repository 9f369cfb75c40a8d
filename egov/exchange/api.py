"""The exchange API (/api/v1/exchange): signed messages in, signed receipts out (交换接口).

``POST /messages`` takes one envelope (docs/exchange.md) or a batch
``{"messages": [envelope, ...]}`` of up to 100. There is no API key or
session: the envelope's signature by the member's system certificate is the
authentication. One envelope answers 200 with the receipt (``accepted``, or
``duplicate`` with the first receipt) or an error in the platform's format
with the reason code: 400 (malformed, stale, bad payload...), 403 (unknown or
suspended member, certificate or signature refused, type not allowed), 409 (the
id was used for other bytes), 413 (too large), 503 (this node has no key). A
batch answers 200 with one result per envelope; the good ones are kept.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from egov.core.api_errors import ErrorOut, problem
from egov.core.errors import ErrorCode as CoreCode
from egov.core.errors import ForbiddenError
from egov.core.pagination import paginated
from egov.core.schema_text import CodeText, NameText, NoteText
from egov.core.typed_requests import signed_in_user
from egov.exchange import inbound, selectors, services
from egov.exchange.envelope import SCHEMA_PATH
from egov.exchange.errors import ErrorCode, ExchangeError
from egov.exchange.logproof import entry_digest
from egov.exchange.models import Member, Message, OutboundMessage

router = Router(tags=["exchange"])

FORBIDDEN = frozenset(
    {
        ErrorCode.UNKNOWN_MEMBER,
        ErrorCode.MEMBER_SUSPENDED,
        ErrorCode.CERTIFICATE_MISMATCH,
        ErrorCode.CERTIFICATE_UNTRUSTED,
        ErrorCode.CERTIFICATE_EXPIRED,
        ErrorCode.CERTIFICATE_REVOKED,
        ErrorCode.BAD_SIGNATURE,
        ErrorCode.DIGEST_MISMATCH,
        ErrorCode.TYPE_NOT_ALLOWED,
        ErrorCode.WRONG_RECIPIENT,
    }
)
STATUS_OF = {ErrorCode.TOO_LARGE: 413, ErrorCode.CONFLICT: 409, ErrorCode.NODE_NOT_CONFIGURED: 503}


def http_status(code: ErrorCode) -> int:
    return 403 if code in FORBIDDEN else STATUS_OF.get(code, 400)


class SignatureOut(Schema):
    algorithm: str
    certificate: str = Field(description="the receiving node's certificate, DER, base64")
    value: str = Field(description="signature over the receipt without this member, base64")


class DigestOut(Schema):
    algorithm: str
    value: str


class ReceiptOut(Schema):
    """The node's signed receipt (回执), bound to the message's digests (docs/exchange.md)."""

    version: int
    kind: str
    message_id: str
    sender: str
    receiver: str
    received: str
    digest: DigestOut
    envelope_digest: DigestOut
    signature: SignatureOut


class MessageOut(Schema):
    status: str = Field(description="accepted, or duplicate (the first receipt again)")
    message_id: str
    receipt: ReceiptOut


class ResultOut(Schema):
    index: int
    status: str = Field(description="accepted, duplicate or refused")
    message_id: str | None
    receipt: ReceiptOut | None = None
    error: ErrorOut | None = None


class BatchOut(Schema):
    accepted: int
    duplicate: int
    refused: int
    results: list[ResultOut]


def envelope_schema() -> dict[str, Any]:
    whole = json.loads(Path(SCHEMA_PATH).read_text(encoding="utf-8"))
    return {key: value for key, value in whole.items() if not key.startswith("$")}


def refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_body(body: bytes) -> Any:
    try:
        return json.loads(body or b"", parse_constant=refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ExchangeError(ErrorCode.MALFORMED_JSON, "body", "not JSON") from None


def batch_of(parsed: Any) -> list[Any] | None:
    """The envelopes of a batch body, or None for a single envelope; refuses a bad batch."""
    if not isinstance(parsed, dict) or "messages" not in parsed:
        return None
    messages = parsed["messages"]
    if not isinstance(messages, list) or not messages:
        raise ExchangeError(ErrorCode.INVALID_INPUT, "messages", "a non-empty list of envelopes")
    if len(messages) > inbound.MAX_BATCH:
        raise ExchangeError(
            ErrorCode.TOO_LARGE, "messages", f"at most {inbound.MAX_BATCH} envelopes per batch"
        )
    return messages


def size_of(document: Any) -> int:
    return len(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def answer_batch(request: HttpRequest, messages: list[Any]) -> dict[str, Any]:
    outcomes = [inbound.receive_message(m, size=size_of(m), request=request) for m in messages]
    results = [{"index": i, **outcome.as_dict()} for i, outcome in enumerate(outcomes)]
    return {
        status: sum(1 for o in outcomes if o.status == status)
        for status in (inbound.Status.ACCEPTED, inbound.Status.DUPLICATE, inbound.Status.REFUSED)
    } | {"results": results}


@router.post(
    "/messages",
    auth=None,
    response={
        200: MessageOut | BatchOut,
        400: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        503: ErrorOut,
    },
    summary="Send signed messages (发送报文): one envelope or a batch",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "description": "One envelope (docs/exchange.md) or "
                        '{"messages": [1 to 100 envelopes]}.',
                        "oneOf": [
                            envelope_schema(),
                            {
                                "type": "object",
                                "required": ["messages"],
                                "properties": {
                                    "messages": {
                                        "type": "array",
                                        "minItems": 1,
                                        "maxItems": inbound.MAX_BATCH,
                                        "items": {"type": "object"},
                                    }
                                },
                            },
                        ],
                    }
                }
            },
        }
    },
)
def post_messages(request: HttpRequest) -> Status:
    """Receive a signed envelope or a batch; answer signed receipts."""
    try:
        parsed = parse_body(request.body)
        messages = batch_of(parsed)
    except ExchangeError as error:
        inbound.record_refusal(error, None, request)
        return Status(http_status(error.code), error.as_dict())
    if messages is not None:
        return Status(200, answer_batch(request, messages))
    outcome = inbound.receive_message(parsed, size=len(request.body), request=request)
    if outcome.error is not None:
        return Status(http_status(outcome.error.code), outcome.error.as_dict())
    return Status(200, outcome.as_dict())


# --- Members (交换成员): administrators, signed in -------------------------------------


class MemberOut(Schema):
    code: str
    name: str
    kind: str
    organisation: str = Field(description="the owning organisation's code")
    certificate_serial: str
    may_send: list[str]
    may_receive: list[str]
    status: str = Field(description="active or suspended")


class MemberIn(Schema):
    code: CodeText
    name: NameText
    organisation_code: CodeText
    certificate_serial: CodeText = Field(description="a good system certificate of our CA")
    may_send: list[CodeText] = Field([], max_length=50)
    may_receive: list[CodeText] = Field([], max_length=50)
    kind: str = Field("system", json_schema_extra={"enum": ["system", "peer"]})
    external_system_code: CodeText = ""
    endpoint_url: str = Field("", max_length=200, description="a peer's base URL, http(s)")


class ReasonIn(Schema):
    reason: NoteText = ""


MEMBER_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def member_body(member: Member) -> dict[str, Any]:
    return {
        "code": member.code,
        "name": member.name,
        "kind": member.kind,
        "organisation": member.organisation.code,
        "certificate_serial": member.certificate_serial,
        "may_send": member.may_send,
        "may_receive": member.may_receive,
        "status": member.status,
    }


def member_answer(change: Callable[[], Member], success: int = 200) -> Status:
    """Run a member service: its member, or the refusal in the error format."""
    try:
        return Status(success, member_body(change()))
    except ExchangeError as error:
        found = error.code not in {ErrorCode.MEMBER_NOT_FOUND, ErrorCode.ORGANISATION_NOT_FOUND}
        return Status(400 if found else 404, error.as_dict())
    except ForbiddenError:
        return Status(403, problem(CoreCode.PERMISSION_DENIED, "not allowed", None))


@router.get("/members", response={200: list[MemberOut], 403: ErrorOut}, auth=django_auth)
def list_members(request: HttpRequest) -> Any:
    """The members the signed-in administrator manages (交换成员列表)."""
    return [member_body(m) for m in selectors.members_managed_by(signed_in_user(request))]


@router.post("/members", response={201: MemberOut, **MEMBER_ERRORS}, auth=django_auth)
def register(request: HttpRequest, body: MemberIn) -> Status:
    """Register a member (登记交换成员) with its system certificate's serial."""
    actor = signed_in_user(request)
    return member_answer(lambda: services.register_member(actor=actor, **body.dict()), success=201)


@router.post(
    "/members/{code}/suspend", response={200: MemberOut, **MEMBER_ERRORS}, auth=django_auth
)
def suspend(request: HttpRequest, code: str, body: ReasonIn) -> Status:
    """Suspend a member (暂停): its next message is refused ``member_suspended``."""
    actor = signed_in_user(request)
    return member_answer(
        lambda: services.suspend_member(actor=actor, code=code, reason=body.reason)
    )


@router.post(
    "/members/{code}/reinstate", response={200: MemberOut, **MEMBER_ERRORS}, auth=django_auth
)
def reinstate(request: HttpRequest, code: str, body: ReasonIn) -> Status:
    """Reinstate a suspended member (恢复)."""
    actor = signed_in_user(request)
    return member_answer(
        lambda: services.reinstate_member(actor=actor, code=code, reason=body.reason)
    )


# --- Message log (报文日志): auditors and administrators ---------------------------------


class LogEntryOut(Schema):
    message_id: str
    direction: str
    message_type: str
    sender: str
    recipients: list[str]
    created: dt.datetime
    received_at: dt.datetime
    digest: str
    envelope_digest: str
    certificate_serial: str
    envelope: dict[str, Any] = Field(description="as received: check it with docs/exchange.md")
    receipt: dict[str, Any] = Field(description="the receipt this node signed for it")

    @staticmethod
    def resolve_message_id(obj: Message) -> str:
        return str(obj.message_id)


@router.get("/log", response={200: list[LogEntryOut], 403: ErrorOut}, auth=django_auth)
@paginated
def message_log(request: HttpRequest, sender: str = "", message_type: str = "") -> Any:
    """Received messages with envelope and receipt (报文日志), newest first; for auditors and
    administrators, of the members in their organisation's scope."""
    return selectors.message_log(signed_in_user(request), sender=sender, message_type=message_type)


class ProofOut(Schema):
    index: int = Field(description="the entry's leaf index in its batch, from 0")
    size: int = Field(description="how many entries the batch has")
    path: list[str] = Field(description="the audit path, leaf to root, hexadecimal (RFC 9162)")


class EvidenceOut(Schema):
    """All an auditor needs to prove an entry offline (离线证据): docs/exchange.md."""

    direction: str = Field(description="in (received) or out (sent, the peer's receipt held)")
    envelope: dict[str, Any]
    receipt: dict[str, Any] = Field(description="our receipt (in) or the peer's (out)")
    suite: str = Field(description="sm (SM3) or intl (SHA-256): the hash of digests and tree")
    entry_digest: str = Field(description="hash of the canonical {direction, envelope, receipt}")
    proof: ProofOut
    root: str = Field(description="the batch tree's root, hexadecimal")
    token: str = Field(description="RFC 3161 time-stamp token over the root, DER, base64")
    stamped_at: dt.datetime


def evidence_of(entry: Message | OutboundMessage) -> dict[str, Any]:
    batch, receipt = entry.log_batch, entry.receipt or {}
    assert batch is not None
    direction = "in" if isinstance(entry, Message) else "out"
    return {
        "direction": direction,
        "envelope": entry.envelope,
        "receipt": entry.receipt,
        "suite": batch.suite,
        "entry_digest": entry_digest(batch.suite, direction, entry.envelope, receipt).hex(),
        "proof": entry.proof,
        "root": batch.root,
        "token": base64.b64encode(bytes(batch.token)).decode("ascii"),
        "stamped_at": batch.stamped_at,
    }


@router.get(
    "/log/{message_id}/evidence",
    response={200: EvidenceOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=django_auth,
)
def log_evidence(request: HttpRequest, message_id: uuid.UUID, recipient: str = "") -> Any:
    """The evidence of one log entry (日志证据): envelope, receipt, inclusion proof, batch root
    and time-stamp token. Without ``recipient`` the message received; with it, the message
    sent to that member. 404 when there is none in the caller's audit scope, 409 while it
    waits for its batch (at most a minute when the TSA answers)."""
    entry = selectors.log_entry(signed_in_user(request), str(message_id), recipient)
    if entry is None:
        return Status(404, problem(ErrorCode.LOG_ENTRY_NOT_FOUND, "no such entry", "message_id"))
    if entry.log_batch is None:
        return Status(
            409, problem(ErrorCode.NOT_TIME_STAMPED, "not yet time-stamped", "message_id")
        )
    return evidence_of(entry)
