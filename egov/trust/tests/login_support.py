"""Helpers of the certificate login tests: a staff holder with a key, signing as the helper does."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from egov.core.models import SecurityEvent
from egov.core.testing import make_staff
from egov.trust import services
from egov.trust.crypto import PrivateKey, suite
from egov.trust.login import challenge_bytes
from egov.trust.models import Certificate
from egov.trust.tests.conftest import PASSPHRASE

NONCE_PATTERN = re.compile(r'id="nonce" value="([^"]+)"')


@dataclass
class Holder:
    user: Any
    key: PrivateKey
    certificate: Certificate

    @property
    def pem(self) -> str:
        return self.certificate.certificate_pem


def staff_holder(
    suite_name: str = "sm", username: str = "clerk_cert", roles: tuple[str, ...] = ("clerk",)
) -> Holder:
    """A 道里区 staff member holding a person certificate of ``suite_name``, with the key."""
    user = make_staff(username, "230102-GOV", roles)
    return Holder(user, *person_certificate(suite_name, holder=user, name=username))


def person_certificate(
    suite_name: str, *, holder: Any, name: str, kind: str = "person", days: int | None = None
) -> tuple[PrivateKey, Certificate]:
    crypto = suite(suite_name)
    key = crypto.generate_key()
    certificate = services.issue_certificate(
        actor="ca-officer",
        suite_name=suite_name,
        kind=kind,
        subject=f"CN={name},C=CN",
        public_key_der=crypto.public_key_der(key),
        passphrase=PASSPHRASE,
        holder=holder,
        days=days,
    )
    return key, certificate


def sign_nonce(key: PrivateKey, nonce: str) -> str:
    """What ``egov login-sign`` prints: base64 of the suite's signature over the challenge."""
    return base64.b64encode(suite(key.suite_name).sign(key, challenge_bytes(nonce))).decode()


def challenge(client: Client) -> str:
    """Open the certificate login page and read the nonce it shows."""
    response = client.get(reverse("trust:certificate_login"))
    assert response.status_code == 200
    return NONCE_PATTERN.search(response.content.decode()).group(1)


def submit(client: Client, certificate: str, signature: str, **extra: Any) -> Any:
    data = {"certificate": certificate, "signature": signature, **extra}
    return client.post(reverse("trust:certificate_login"), data)


def security_kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def latest_event() -> SecurityEvent:
    return SecurityEvent.objects.order_by("pk").last()
