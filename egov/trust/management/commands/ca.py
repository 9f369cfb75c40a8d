"""``egov ca``: set up the CA, issue and revoke certificates, publish CRLs (CA 管理命令).

    egov ca init [--suite sm|intl] [--passphrase-file F] [--force]
    egov ca issue --kind person --subject "CN=张三,O=...,C=CN" [--san dns:...] --out DIR
    egov ca issue --kind server --csr req.pem [--san dns:...] --out DIR
    egov ca revoke SERIAL --reason keyCompromise [--invalidity-date 2026-11-20T08:00+08:00]
    egov ca crl [--suite sm]
    egov ca tsa [--suite sm|intl] [--subject "CN=..."]   (time-stamp authority, RFC 3161)
    egov ca status SERIAL
    egov ca verify cert.pem

The passphrase comes from --passphrase-file, EGOV_CA_PASSPHRASE_FILE or
EGOV_CA_PASSPHRASE; there is no default.
"""

from __future__ import annotations

import getpass
import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from egov.core.models import Organisation, User
from egov.trust import selectors, services
from egov.trust.crypto import PrivateKey
from egov.trust.errors import TrustError, invalid
from egov.trust.models import Certificate
from egov.trust.pki.certificates import normalise_serial
from egov.trust.pki.profiles import Kind, Reason, reason_of
from egov.trust.tsa.services import DEFAULT_TSA_SUBJECT, set_up_time_stamping

OUTPUT_FILES = ("key.pem", "cert.pem", "chain.pem")


def command_actor() -> str:
    """Who runs the command, as the audit chain records it."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return f"egov-ca:{user}"


def add_passphrase(parser: ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", help="file holding the CA passphrase")


def add_issue_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--kind", required=True, help=", ".join(k.value for k in Kind))
    parser.add_argument("--subject", help='e.g. "CN=张三,O=黑龙江省人民政府,C=CN"')
    parser.add_argument("--csr", help="PKCS#10 request (PEM/DER) instead of a new key")
    parser.add_argument("--suite", default="sm", help="sm (default) or intl, for a new key")
    parser.add_argument("--san", action="append", default=[], help="dns:…, ip:…, email:…, uri:…")
    parser.add_argument("--days", type=int)
    parser.add_argument("--holder", help="username of the holder (持证人)")
    parser.add_argument("--organisation", help="organisation code (机构代码)")
    parser.add_argument("--out", required=True, help="directory for key.pem, cert.pem, chain.pem")
    add_passphrase(parser)


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 before anything is written to it; never overwrite."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def prepare_out(directory: str, *, with_key: bool) -> Path:
    """The output directory, created if needed; refuses to overwrite earlier output."""
    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise invalid("out", f"cannot create {out}: {exc.strerror}") from None
    names = OUTPUT_FILES if with_key else OUTPUT_FILES[1:]
    taken = [name for name in names if (out / name).exists()]
    if taken:
        raise invalid("out", f"{out} already holds {', '.join(taken)}; choose an empty directory")
    return out


class Command(BaseCommand):
    help = "Certificate authority: init, issue, revoke, crl, tsa, status, verify (证书认证机构)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        init = commands.add_parser("init", help="create the root and issuing CA of a suite")
        init.add_argument("--suite", default="sm", help="sm (default) or intl")
        init.add_argument("--root-subject", default=services.DEFAULT_ROOT_SUBJECT)
        init.add_argument("--issuing-subject", default=services.DEFAULT_ISSUING_SUBJECT)
        init.add_argument("--force", action="store_true", help="retire the existing CA pair")
        add_passphrase(init)
        add_issue_arguments(commands.add_parser("issue", help="issue a certificate"))
        revoke = commands.add_parser("revoke", help="revoke a certificate and publish a CRL")
        revoke.add_argument("serial")
        revoke.add_argument("--reason", required=True, help=", ".join(r.value for r in Reason))
        revoke.add_argument(
            "--invalidity-date",
            help="since when the key is known or suspected compromised, ISO 8601 with zone",
        )
        add_passphrase(revoke)
        crl = commands.add_parser("crl", help="sign and publish a fresh CRL")
        crl.add_argument("--suite", default="sm")
        add_passphrase(crl)
        tsa = commands.add_parser("tsa", help="set up the time-stamp authority of a suite")
        tsa.add_argument("--suite", default="sm", help="sm (default) or intl")
        tsa.add_argument("--subject", default=DEFAULT_TSA_SUBJECT)
        tsa.add_argument("--days", type=int)
        add_passphrase(tsa)
        commands.add_parser("status", help="a certificate's status").add_argument("serial")
        commands.add_parser("verify", help="check a certificate against our CA").add_argument(
            "certificate"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"handle_{action}")(options)
        except TrustError as exc:
            raise CommandError(f"{exc.field}: {exc.reason}") from None

    def passphrase(self, options: dict[str, Any]) -> str:
        if options.get("passphrase_file"):
            return services.read_passphrase_file(options["passphrase_file"])
        return services.passphrase_from_environment()

    def handle_tsa(self, options: dict[str, Any]) -> None:
        unit = set_up_time_stamping(
            actor=command_actor(),
            suite_name=options["suite"],
            passphrase=self.passphrase(options),
            subject=options["subject"],
            days=options["days"],
        )
        certificate = unit.certificate
        self.stdout.write(
            f"time-stamping unit {certificate.subject} ({unit.suite}) serial {certificate.serial}, "
            f"valid until {certificate.not_after:%Y-%m-%d}; POST /tsa answers with it"
        )

    def handle_init(self, options: dict[str, Any]) -> None:
        root, issuing = services.initialise_ca(
            actor=command_actor(),
            suite_name=options["suite"],
            passphrase=self.passphrase(options),
            root_subject=options["root_subject"],
            issuing_subject=options["issuing_subject"],
            force=options["force"],
        )
        for authority in (root, issuing):
            self.stdout.write(
                f"{authority.role} CA {authority.subject} serial {authority.serial} "
                f"valid until {authority.not_after:%Y-%m-%d}"
            )

    def handle_issue(self, options: dict[str, Any]) -> None:
        out = prepare_out(options["out"], with_key=not options["csr"])
        holder, organisation = self.parties(options)
        common = {
            "actor": command_actor(),
            "kind": options["kind"],
            "passphrase": self.passphrase(options),
            "days": options["days"],
            "sans": options["san"],
            "holder": holder,
            "organisation": organisation,
        }
        written: list[Path] = []
        try:
            with transaction.atomic():
                certificate, key = self.issue(options, common)
                chain = selectors.chain_pem(certificate.suite)
                if key is not None:
                    written.append(out / "key.pem")
                    write_private(out / "key.pem", key.to_pem())
                for name, text in (("cert.pem", certificate.certificate_pem), ("chain.pem", chain)):
                    written.append(out / name)
                    (out / name).write_text(text, encoding="ascii")
        except OSError as exc:
            for path in written:
                path.unlink(missing_ok=True)
            raise CommandError(f"out: cannot write to {out}: {exc.strerror}") from None
        self.stdout.write(f"issued {certificate.kind} certificate serial {certificate.serial}")
        self.stdout.write(
            f"subject {certificate.subject}, valid until {certificate.not_after:%Y-%m-%d}"
        )
        self.stdout.write(f"wrote {', '.join(str(p) for p in written)}")

    def issue(
        self, options: dict[str, Any], common: dict[str, Any]
    ) -> tuple[Certificate, PrivateKey | None]:
        if options["csr"]:
            if options["subject"]:
                raise invalid("subject", "comes from the request; leave --subject out with --csr")
            try:
                data = Path(options["csr"]).read_bytes()
            except OSError as exc:
                raise invalid("csr", f"cannot read {options['csr']}: {exc.strerror}") from None
            return services.issue_from_request(csr=data, **common), None
        if not options["subject"]:
            raise invalid("subject", "required (or give --csr)")
        crypto = services.crypto_suite(options["suite"])
        key = crypto.generate_key()
        certificate = services.issue_certificate(
            suite_name=crypto.name,
            subject=options["subject"],
            public_key_der=crypto.public_key_der(key),
            **common,
        )
        return certificate, key

    def parties(self, options: dict[str, Any]) -> tuple[User | None, Organisation | None]:
        holder = organisation = None
        if options["holder"]:
            holder = User.objects.filter(username=options["holder"]).first()
            if holder is None:
                raise invalid("holder", f"no user {options['holder']!r}")
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise invalid(
                    "organisation", f"no organisation with code {options['organisation']!r}"
                )
        return holder, organisation

    def handle_revoke(self, options: dict[str, Any]) -> None:
        normalise_serial(options["serial"])  # bad serial or reason first, before the passphrase
        reason_of(options["reason"])
        invalidity_date = None
        if options.get("invalidity_date"):
            try:
                invalidity_date = parse_datetime(options["invalidity_date"])
            except ValueError:
                invalidity_date = None
            if invalidity_date is None:
                raise invalid("invalidity_date", "not an ISO 8601 date and time")
        passphrase = services.passphrase_bytes(self.passphrase(options))
        certificate = services.revoke_certificate(
            actor=command_actor(),
            serial=options["serial"],
            reason=options["reason"],
            passphrase=passphrase,
            invalidity_date=invalidity_date,
        )
        self.stdout.write(
            f"revoked {certificate.serial} ({certificate.revocation_reason}) at "
            f"{certificate.revoked_at:%Y-%m-%dT%H:%M:%SZ}; CRL published"
        )

    def handle_crl(self, options: dict[str, Any]) -> None:
        revocation_list = services.publish_crl(
            actor=command_actor(), suite_name=options["suite"], passphrase=self.passphrase(options)
        )
        self.stdout.write(
            f"CRL #{revocation_list.number} of {options['suite']}: "
            f"{revocation_list.revoked_count} revoked, next update "
            f"{revocation_list.next_update:%Y-%m-%dT%H:%M:%SZ}"
        )

    def handle_status(self, options: dict[str, Any]) -> None:
        status = selectors.certificate_status(options["serial"])
        self.stdout.write(f"{status.serial} {status.status} {status.kind} {status.subject}")

    def handle_verify(self, options: dict[str, Any]) -> None:
        try:
            data = Path(options["certificate"]).read_bytes()
        except OSError as exc:
            raise invalid(
                "certificate", f"cannot read {options['certificate']}: {exc.strerror}"
            ) from None
        record = selectors.verify_certificate(data)
        self.stdout.write(f"OK {record.serial} {record.kind} {record.subject}")
