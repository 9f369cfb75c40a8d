"""A small client of the exchange gateway for department systems (交换客户端), no Django.

Push case events with the system's certificate and key in a few lines::

    from egov.exchange.client import ExchangeClient

    client = ExchangeClient(
        "https://egov.example.gov.cn",
        sender="daoli-market",                      # the member code we were given
        certificate_pem=open("cert.pem", "rb").read(),
        private_key_pem=open("key.pem", "rb").read(),
        node_certificate_pem=open("platform.pem", "rb").read(),  # pin the platform
    )
    delivery = client.send("case-event", event)  # raises MessageRefusedError if refused
    delivery.receipt                              # the platform's signed receipt

Every answer's receipt is checked before it is returned: signed by the node
(the pinned certificate, when given), for this message id, payload digest and
envelope bytes. A message may be sent again after a timeout: the gateway
answers ``duplicate`` with the first receipt. Needs only this package's pure
modules (``egov.exchange.envelope``, ``egov.trust.crypto``, ``egov.trust.pki``),
``rfc8785``, ``jsonschema``, ``cryptography`` and ``asn1crypto``.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from egov.exchange.envelope import build_envelope, check_receipt, load_key
from egov.exchange.errors import ErrorCode, ExchangeError
from egov.trust.pki.certificates import load_certificate

MESSAGES_PATH = "/api/v1/exchange/messages"
DEFAULT_NODE = "egov-platform"


class MessageRefusedError(Exception):
    """The gateway refused a message: HTTP status, reason code, field and reason."""

    def __init__(self, status: int, code: str, field: str | None, reason: str) -> None:
        super().__init__(f"{status} {code} {field}: {reason}")
        self.status = status
        self.code = code
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Delivery:
    """A message the gateway holds: ``accepted`` now or ``duplicate`` of an earlier send."""

    envelope: dict[str, Any]
    status: str
    receipt: dict[str, Any]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ExchangeClient:
    """Builds, signs and sends envelopes; checks the receipts."""

    def __init__(
        self,
        base_url: str,
        *,
        sender: str,
        certificate_pem: bytes | str,
        private_key_pem: bytes,
        password: bytes | None = None,
        node: str = DEFAULT_NODE,
        node_certificate_pem: bytes | str | None = None,
        timeout: float = 30.0,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.url = base_url.rstrip("/") + MESSAGES_PATH
        self.sender = sender
        self.certificate = certificate_pem
        self.key = load_key(private_key_pem, password)
        self.node = node
        self.pinned = load_certificate(node_certificate_pem).der if node_certificate_pem else None
        self.timeout = timeout
        self.clock = clock

    def envelope(
        self, message_type: str, payload: Mapping[str, Any], *, message_id: str | None = None
    ) -> dict[str, Any]:
        """A signed envelope to this client's node, dated now."""
        return build_envelope(
            key=self.key,
            certificate=self.certificate,
            sender=self.sender,
            recipients=[self.node],
            message_type=message_type,
            payload=payload,
            created=self.clock(),
            message_id=message_id,
        )

    def send(self, message_type: str, payload: Mapping[str, Any]) -> Delivery:
        """Send one message; its checked receipt, or :class:`MessageRefusedError`."""
        return self.send_envelope(self.envelope(message_type, payload))

    def send_envelope(self, envelope: dict[str, Any]) -> Delivery:
        status, body = self._post(envelope)
        if status != 200:
            raise self._refusal(status, body)
        return self._delivery(envelope, body)

    def send_batch(
        self, messages: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> list[Delivery | MessageRefusedError]:
        """Send ``(type, payload)`` pairs as one batch; per message a delivery or a refusal."""
        envelopes = [self.envelope(kind, payload) for kind, payload in messages]
        status, body = self._post({"messages": envelopes})
        if status != 200:
            raise self._refusal(status, body)
        answers: list[Delivery | MessageRefusedError] = []
        for envelope, result in zip(envelopes, body["results"], strict=True):
            if result["status"] == "refused":
                answers.append(self._refusal(200, result["error"]))
            else:
                answers.append(self._delivery(envelope, result))
        return answers

    def _delivery(self, envelope: dict[str, Any], body: Mapping[str, Any]) -> Delivery:
        receipt = body["receipt"]
        certificate = check_receipt(receipt, envelope)
        if self.pinned is not None and certificate.der != self.pinned:
            raise ExchangeError(
                ErrorCode.CERTIFICATE_MISMATCH, "receipt.signature", "not the pinned node"
            )
        if receipt["receiver"] != self.node:
            raise ExchangeError(ErrorCode.WRONG_RECIPIENT, "receipt.receiver", "another node")
        return Delivery(envelope=envelope, status=str(body["status"]), receipt=receipt)

    @staticmethod
    def _refusal(status: int, body: Any) -> MessageRefusedError:
        if not isinstance(body, Mapping):
            return MessageRefusedError(status, "unreadable_answer", None, str(body)[:200])
        return MessageRefusedError(
            status, str(body.get("code")), body.get("field"), str(body.get("message"))
        )

    def _post(self, body: Any) -> tuple[int, Any]:
        return post_json(self.url, body, timeout=self.timeout)


def post_json(url: str, body: Any, *, timeout: float) -> tuple[int, Any]:
    """POST ``body`` as JSON; the HTTP status and the decoded answer (text if not JSON).

    Connection failures (refused, timed out) raise ``OSError`` (``URLError`` is one).
    """
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the caller's configured https URL
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return int(answer.status), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return int(error.code), json.loads(text)
        except ValueError:
            return int(error.code), text.decode("utf-8", "replace")
