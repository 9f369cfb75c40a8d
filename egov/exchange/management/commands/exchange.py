"""``egov exchange``: members, this node's status, and sending a message (交换管理命令).

    egov exchange add-member --code daoli-market --name "道里区市场监管审批" \\
        --organisation 230102-SCJG --certificate cert.pem --may-send case-event,ItemPublished
    egov exchange suspend daoli-market [--reason "..."]
    egov exchange reinstate daoli-market
    egov exchange resend MESSAGE_ID RECIPIENT     # a failed outbound message, again
    egov exchange members
    egov exchange status
    egov exchange send --url https://... --sender daoli-market --certificate cert.pem \\
        --key key.pem --type case-event --payload event.json [--node-certificate platform.pem]

``send`` is :mod:`egov.exchange.client` on the command line: it needs no
database and prints the checked receipt as JSON.
"""

from __future__ import annotations

import getpass
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.exchange import outbound, selectors, services
from egov.exchange.client import ExchangeClient, MessageRefusedError
from egov.exchange.errors import ExchangeError
from egov.exchange.node import node_identity
from egov.exchange.timestamping import stamping_status
from egov.trust.errors import TrustError
from egov.trust.pki.certificates import load_certificate


def command_actor() -> str:
    try:
        return f"egov-exchange:{getpass.getuser()}"
    except (OSError, KeyError):
        return "egov-exchange:unknown"


def names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from None


class Command(BaseCommand):
    help = "Exchange members, node status, sending a signed message (互联互通)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add-member", help="register a member system or peer")
        add.add_argument("--code", required=True)
        add.add_argument("--name", required=True)
        add.add_argument("--organisation", required=True, help="owning organisation's code")
        add.add_argument("--certificate", required=True, help="its system certificate (PEM)")
        add.add_argument("--may-send", default="", help="message types, comma-separated")
        add.add_argument("--may-receive", default="")
        add.add_argument("--kind", default="system", help="system or peer")
        for action in ("suspend", "reinstate"):
            sub = commands.add_parser(action, help=f"{action} a member")
            sub.add_argument("code")
            sub.add_argument("--reason", default="")
        resend = commands.add_parser("resend", help="queue a failed outbound message again")
        resend.add_argument("message_id")
        resend.add_argument("recipient")
        commands.add_parser("members", help="list the members")
        commands.add_parser("status", help="this node's identity and message counts")
        send = commands.add_parser("send", help="sign and send one message (no database)")
        for name in ("--url", "--sender", "--certificate", "--key", "--type", "--payload"):
            send.add_argument(name, required=True)
        send.add_argument("--node", default="egov-platform")
        send.add_argument("--node-certificate")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "handle_" + options["action"].replace("-", "_"))
        try:
            handler(options)
        except (ExchangeError, TrustError) as exc:
            raise CommandError(f"{exc.field}: {exc.reason}") from None
        except MessageRefusedError as exc:
            raise CommandError(str(exc)) from None

    def handle_add_member(self, options: dict[str, Any]) -> None:
        serial = load_certificate(read(options["certificate"])).serial_hex
        member = services.register_member(
            actor=command_actor(),
            code=options["code"],
            name=options["name"],
            organisation_code=options["organisation"],
            certificate_serial=serial,
            may_send=names(options["may_send"]),
            may_receive=names(options["may_receive"]),
            kind=options["kind"],
        )
        self.stdout.write(f"member {member.code} registered, certificate {serial}")

    def handle_suspend(self, options: dict[str, Any]) -> None:
        services.suspend_member(
            actor=command_actor(), code=options["code"], reason=options["reason"]
        )
        self.stdout.write(f"member {options['code']} suspended")

    def handle_reinstate(self, options: dict[str, Any]) -> None:
        services.reinstate_member(
            actor=command_actor(), code=options["code"], reason=options["reason"]
        )
        self.stdout.write(f"member {options['code']} active")

    def handle_resend(self, options: dict[str, Any]) -> None:
        outbound.resend_message(
            actor=command_actor(), message_id=options["message_id"], recipient=options["recipient"]
        )
        self.stdout.write(f"{options['message_id']} queued again for {options['recipient']}")

    def handle_members(self, options: dict[str, Any]) -> None:
        for member in selectors.members():
            self.stdout.write(
                f"{member.code}\t{member.status}\t{member.organisation.code}\t"
                f"{member.certificate_serial}\tsends {','.join(member.may_send) or '-'}"
            )

    def handle_status(self, options: dict[str, Any]) -> None:
        node = node_identity()
        self.stdout.write(f"node {node.code}, certificate {node.certificate.serial_hex}")
        for direction, count in selectors.message_counts().items():
            self.stdout.write(f"{direction}\t{count}")
        stamping = stamping_status()
        self.stdout.write(f"log last time-stamped\t{stamping.last_success_at or 'never'}")
        if stamping.last_error:
            self.stdout.write(f"log last stamping error\t{stamping.last_error}")
        self.stdout.write(f"sending\t{stamping.reason or 'allowed'}")

    def handle_send(self, options: dict[str, Any]) -> None:
        try:
            payload = json.loads(read(options["payload"]))
        except ValueError:
            raise CommandError(f"{options['payload']}: not JSON") from None
        node_pem = read(options["node_certificate"]) if options["node_certificate"] else None
        client = ExchangeClient(
            options["url"],
            sender=options["sender"],
            certificate_pem=read(options["certificate"]),
            private_key_pem=read(options["key"]),
            node=options["node"],
            node_certificate_pem=node_pem,
        )
        delivery = client.send(options["type"], payload)
        self.stdout.write(json.dumps({"status": delivery.status, "receipt": delivery.receipt}))
