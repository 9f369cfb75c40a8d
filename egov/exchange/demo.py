"""Demo exchange data (交换演示数据): one member and a case history it sent.

``load_demo_exchange()`` (a demo loader, run by ``egov demo`` and
``egov load_demo_data``) runs :func:`send_demo_exchange` once the demo data is
committed (the gateway's transactions are durable). That is idempotent: once
the demo member exists it adds nothing. Otherwise, through the real services, it

* makes sure the platform has an SM CA (``egov.trust``) and this node's
  identity (``EGOV_EXCHANGE_NODE_DIR/key.pem`` and ``cert.pem``, a ``system``
  certificate of that CA held by the provincial e-government office), as
  ``egov ca init`` and ``egov ca issue --kind system`` would;
* registers 哈尔滨市道里区市场监督管理局's own approval system
  (:data:`MEMBER_CODE`) with a fresh ``system`` certificate, allowed to send
  ``case-event``;
* sends, through :func:`egov.exchange.inbound.receive_message`, the signed
  case events of one 食品经营许可 case (submitted, accepted, decided,
  concluded, delivered over the last working days), dated at the demo's now,
  so they are stored, receipted and published to supervision by the outbox.

The CA passphrase is ``EGOV_CA_PASSPHRASE(_FILE)`` when set, else the
documented demo-only :data:`DEMO_CA_PASSPHRASE`, which ``egov demo`` sets and
prints; a CA made before with another passphrase needs that one in the
environment. The member's private key is not kept: the demo only shows what
was received. Demo data only.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from stdnum.iso7064 import mod_11_2

from egov.core.models import Organisation
from egov.core.orgchart import department_code
from egov.core.selectors.calendar import get_working_calendar
from egov.exchange import services
from egov.exchange.envelope import build_envelope
from egov.exchange.errors import ExchangeError
from egov.exchange.inbound import Outcome, Status, receive_message
from egov.exchange.models import Member
from egov.exchange.node import node_code, node_identity
from egov.trust import selectors as trust_selectors
from egov.trust import services as trust_services
from egov.trust.crypto import PrivateKey, suite
from egov.trust.errors import TrustError
from egov.trust.tsa import services as tsa_services

DEMO_ACTOR = "demo-loader"
DEMO_CA_PASSPHRASE = "Longjiang-ca-demo-2026"  # noqa: S105 - the documented demo-only passphrase
SUITE = "sm"
SHANGHAI = ZoneInfo("Asia/Shanghai")
REGION = "230102"
DEPARTMENT = department_code(REGION, "SCJG")
NODE_OWNER = department_code("230000", "EGOV")
MEMBER_CODE = "daoli-scjg-approval"
MEMBER_NAME = "哈尔滨市道里区市场监督管理局 审批系统"
ITEM_CODE = "SCJG-001-230102"  # 食品经营许可, the demo catalogue's first item at 道里区
CASE_SEQUENCE = 901  # far above the demo cases' own sequence numbers of the day
CLERK, LEADER = "daoli-scjg-clerk-07", "daoli-scjg-leader-02"
MATERIALS = (
    ("M01", "食品经营许可申请书"),
    ("M02", "营业执照或其他主体资格证明文件复印件"),
    ("M03", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件"),
)


def ca_passphrase() -> str:
    return trust_services.passphrase_from_environment() or DEMO_CA_PASSPHRASE


def ensure_ca() -> None:
    """The SM CA, initialised with the demo passphrase when the platform has none."""
    if trust_selectors.active_authority(SUITE, "issuing") is None:
        trust_services.initialise_ca(actor=DEMO_ACTOR, suite_name=SUITE, passphrase=ca_passphrase())


def ensure_time_stamping() -> None:
    """The SM time-stamping unit (``egov ca tsa``), so the worker stamps the message log."""
    try:
        tsa_services.active_unit(SUITE)
    except TrustError:
        tsa_services.set_up_time_stamping(
            actor=DEMO_ACTOR, suite_name=SUITE, passphrase=ca_passphrase()
        )


def system_certificate(common_name: str, organisation_code: str) -> tuple[PrivateKey, Any]:
    """A fresh SM key and a ``system`` certificate of our CA for it, held by the organisation."""
    key = suite(SUITE).generate_key()
    certificate = trust_services.issue_certificate(
        actor=DEMO_ACTOR,
        suite_name=SUITE,
        kind="system",
        subject=f"CN={common_name},O={organisation_code},C=CN",
        public_key_der=key.public_key().to_der(),
        passphrase=ca_passphrase(),
        organisation=Organisation.objects.get(code=organisation_code),
    )
    return key, certificate


def ensure_node_identity() -> None:
    """This node's key.pem and cert.pem, issued and written when missing or unusable."""
    try:
        node_identity()
        return
    except ExchangeError:
        pass
    key, certificate = system_certificate(node_code(), NODE_OWNER)
    directory = Path(settings.EGOV_EXCHANGE_NODE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "key.pem").write_bytes(key.to_pem())
    (directory / "cert.pem").write_text(certificate.certificate_pem, encoding="utf-8")


def utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def working_days_back(today: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days before ``today``."""
    calendar, day = get_working_calendar(), today
    while count:
        day -= dt.timedelta(days=1)
        count -= calendar.is_working_day(day)
    return day


def case_history(now: dt.datetime) -> list[dict[str, Any]]:
    """One 食品经营许可 case of the member's department, in docs/case-events.md's format.

    Received 8 working days before today; accepted the next working day; approved,
    concluded 5 working days later; the licence delivered online the working day after.
    """
    calendar = get_working_calendar()
    received_day = working_days_back(timezone.localtime(now, SHANGHAI).date(), 8)
    accepted_day = calendar.add_working_days(received_day, 1)
    decided_day = calendar.add_working_days(accepted_day, 5)
    delivered_day = calendar.add_working_days(decided_day, 1)

    def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)

    body = f"{REGION}{received_day:%Y%m%d}{CASE_SEQUENCE:06d}"
    number = body + mod_11_2.calc_check_digit(body)
    licence = f"JY1{REGION}{received_day:%Y%m%d}{CASE_SEQUENCE:04d}"
    received, accepted, decided = (
        at(received_day, 9, 40),
        at(accepted_day, 10, 5),
        at(decided_day, 15),
    )
    steps: list[tuple[str, dt.datetime, str, str, dict[str, Any]]] = [
        ("ApplicationSubmitted", received, "submitted", "applicant", {
            "channel": "online", "applicant_kind": "enterprise", "received_at": utc(received),
            "statutory_limit_days": 20, "promised_limit_days": 10,
            "materials": [
                {"code": code, "name": name, "file_type": "pdf", "size": 184_320 + 4096 * i,
                 "sha256": uuid.uuid5(uuid.NAMESPACE_URL, number + code).hex * 2}
                for i, (code, name) in enumerate(MATERIALS)
            ],
            "fees": [],
        }),
        ("CaseAccepted", accepted, "accepted", CLERK, {
            "accepted_at": utc(accepted), "deemed": False, "note": "材料齐全，符合法定形式",
            "deadline": calendar.add_working_days(accepted_day, 10).isoformat(), "limit_days": 10,
        }),
        ("CaseDecided", decided, "approved", LEADER, {
            "decision": "approve", "licence_number": licence, "decided_at": utc(decided),
            "working_days_used": 5, "on_time": True,
        }),
        ("CaseConcluded", at(decided_day, 16, 30), "concluded", CLERK, {
            "concluded_at": utc(at(decided_day, 16, 30)), "decision": "approve",
            "working_days_used": 5, "on_time": True,
        }),
        ("CaseDelivered", at(delivered_day, 10), "delivered", CLERK, {
            "method": "online", "delivered_at": utc(at(delivered_day, 10)),
        }),
    ]  # fmt: skip
    return [
        {
            "schema_version": 1,
            "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{number}/{kind}")),
            "type": kind,
            "occurred_at": utc(when),
            "case_number": number,
            "item_code": ITEM_CODE,
            "department_code": DEPARTMENT,
            "region_code": REGION,
            "actor": {
                "kind": "applicant" if actor == "applicant" else "external",
                "id": actor if actor != "applicant" else "applicant",
                "organisation": "" if actor == "applicant" else DEPARTMENT,
            },
            "status": status,
            "data": data,
        }
        for kind, when, status, actor, data in steps
    ]


def wire_size(envelope: dict[str, Any]) -> int:
    """The envelope's size as a member would post it (compact UTF-8 JSON)."""
    return len(json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def send_case_history(key: PrivateKey, certificate_pem: str) -> list[Outcome]:
    """Each event signed by the member and received by the gateway, at the demo's now."""
    now = timezone.now().replace(microsecond=0)
    outcomes = []
    for event in case_history(now):
        envelope = build_envelope(
            key=key,
            certificate=certificate_pem,
            sender=MEMBER_CODE,
            recipients=(node_code(),),
            message_type="case-event",
            payload=event,
            created=now,
        )
        outcome = receive_message(envelope, size=wire_size(envelope), now=now)
        if outcome.status != Status.ACCEPTED:
            raise RuntimeError(f"the demo case event {event['type']} was refused: {outcome.error}")
        outcomes.append(outcome)
    return outcomes


def load_demo_exchange() -> None:
    """Demo loader: register the member and send its messages once the demo data is committed.

    The gateway receives each message in its own durable transaction, which cannot nest
    in the demo's one (as the demo cases, egov.approvals.demo_cases, wait for it too).
    """
    transaction.on_commit(send_demo_exchange)


def send_demo_exchange() -> int:
    """The demo member and its case history; the number of messages sent (0 when loaded)."""
    if Member.objects.filter(code=MEMBER_CODE).exists():
        return 0
    ensure_ca()
    ensure_time_stamping()
    ensure_node_identity()
    key, certificate = system_certificate(MEMBER_CODE, DEPARTMENT)
    services.register_member(
        actor=DEMO_ACTOR,
        code=MEMBER_CODE,
        name=MEMBER_NAME,
        organisation_code=DEPARTMENT,
        certificate_serial=certificate.serial,
        may_send=("case-event",),
    )
    return len(send_case_history(key, certificate.certificate_pem))
