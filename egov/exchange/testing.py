"""Test helpers of the exchange (交换测试辅助): a CA, this node's identity, members.

Used by the exchange's tests and by apps that plug into it (supervision's
exchange tests); real keys and certificates from the real CA services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from egov.core.testing import make_organisation
from egov.exchange import services
from egov.exchange.envelope import build_envelope
from egov.exchange.models import Member
from egov.trust import selectors as trust_selectors
from egov.trust import services as trust_services
from egov.trust.crypto import PrivateKey, suite
from egov.trust.pki.encoding import to_pem

CA_PASSPHRASE = "exchange-test-ca-passphrase"  # noqa: S105 - a test CA's, not a secret
NODE_CODE = "egov-platform"


def ensure_ca(suite_name: str = "sm") -> None:
    if trust_selectors.active_authority(suite_name, "issuing") is not None:
        return
    trust_services.initialise_ca(
        actor="ca-officer", suite_name=suite_name, passphrase=CA_PASSPHRASE
    )


def system_certificate(
    common_name: str, organisation: Any, suite_name: str = "sm", days: int | None = None
) -> tuple[PrivateKey, Any]:
    """A fresh key and a ``system`` certificate of our CA for it."""
    ensure_ca(suite_name)
    key = suite(suite_name).generate_key()
    certificate = trust_services.issue_certificate(
        actor="ca-officer",
        suite_name=suite_name,
        kind="system",
        subject=f"CN={common_name},O=test,C=CN",
        public_key_der=key.public_key().to_der(),
        passphrase=CA_PASSPHRASE,
        organisation=organisation,
        days=days,
    )
    return key, certificate


def write_node_identity(directory: Path, suite_name: str = "sm") -> Any:
    """This node's key.pem and cert.pem in ``directory``, as ``egov ca issue`` writes them."""
    organisation = make_organisation("230000-GOV")
    key, certificate = system_certificate(NODE_CODE, organisation, suite_name)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "key.pem").write_bytes(key.to_pem())
    (directory / "cert.pem").write_text(certificate.certificate_pem, encoding="utf-8")
    return certificate


@dataclass
class TestMember:
    """A registered member with its key: it builds envelopes it signs."""

    member: Member
    key: PrivateKey
    certificate: Any

    @property
    def code(self) -> str:
        return self.member.code

    def envelope(
        self,
        payload: dict[str, Any],
        *,
        message_type: str = "document",
        created: dt.datetime,
        recipients: tuple[str, ...] = (NODE_CODE,),
        message_id: str | None = None,
    ) -> dict[str, Any]:
        return build_envelope(
            key=self.key,
            certificate=self.certificate.certificate_pem,
            sender=self.code,
            recipients=recipients,
            message_type=message_type,
            payload=payload,
            created=created,
            message_id=message_id,
        )


def make_member(
    code: str,
    organisation_code: str,
    may_send: tuple[str, ...] = ("document",),
    suite_name: str = "sm",
    *,
    may_receive: tuple[str, ...] = (),
    endpoint_url: str = "",
) -> TestMember:
    organisation = make_organisation(organisation_code)
    key, certificate = system_certificate(code, organisation, suite_name)
    member = services.register_member(
        actor="system",
        code=code,
        name=f"{code} system",
        organisation_code=organisation_code,
        certificate_serial=certificate.serial,
        may_send=may_send,
        may_receive=may_receive,
        endpoint_url=endpoint_url,
    )
    return TestMember(member, key, certificate)


def key_pem(key: PrivateKey) -> str:
    return key.to_pem().decode("ascii")


__all__ = ["CA_PASSPHRASE", "NODE_CODE", "TestMember", "make_member", "to_pem"]


def ensure_tsa(suite_name: str = "sm") -> Any:
    """Our own time-stamping unit for ``suite_name``, certified by the test CA."""
    from egov.trust.tsa.services import set_up_time_stamping

    ensure_ca(suite_name)
    return set_up_time_stamping(actor="ca-officer", suite_name=suite_name, passphrase=CA_PASSPHRASE)
