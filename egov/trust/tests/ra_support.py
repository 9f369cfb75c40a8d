"""Shared pieces of the RA tests (注册审核测试): requests, counts of what was written, officers.

Import the fixtures you use into the test module (``from ... import ra_officer``).
"""

from __future__ import annotations

from typing import Any

import pytest

from egov.core.models import AuditEntry, Event, User
from egov.core.testing import make_staff
from egov.trust import registration
from egov.trust.crypto import PrivateKey, suite
from egov.trust.models import Certificate, CertificateApplication, RevocationList
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.requests import build_request
from egov.trust.tests.conftest import PASSPHRASE

P12_PASSWORD = "p12-password-2026"


def csr_for(subject: str, suite_name: str = "sm") -> tuple[str, PrivateKey]:
    """A PEM request for ``subject`` and the key that signed it."""
    crypto = suite(suite_name)
    key = crypto.generate_key()
    der = build_request(crypto, key, parse_subject(subject))
    return to_pem(der, "CERTIFICATE REQUEST"), key


def written() -> dict[str, int]:
    """How many rows each table the RA writes holds (refusals must leave them alone)."""
    return {
        "applications": CertificateApplication.objects.count(),
        "certificates": Certificate.objects.count(),
        "crls": RevocationList.objects.count(),
        "audit": AuditEntry.objects.count(),
        "events": Event.objects.count(),
        "revoked": Certificate.objects.filter(status="revoked").count(),
        "issued": CertificateApplication.objects.filter(status="issued").count(),
        "rejected": CertificateApplication.objects.filter(status="rejected").count(),
        "sealed": CertificateApplication.objects.filter(sealed_private_key__isnull=False).count(),
    }


def apply_generated(user: Any, kind: str = "person", suite_name: str = "sm") -> Any:
    return registration.apply_for_certificate(
        actor=user, kind=kind, suite_name=suite_name, pkcs12_password=P12_PASSWORD
    )


def issued_for(user: Any, officer: Any, kind: str = "person", suite_name: str = "sm") -> Any:
    """An application of ``user`` with a generated key, approved by ``officer``."""
    application = apply_generated(user, kind, suite_name)
    return registration.approve_application(
        actor=officer,
        number=application.number,
        identity_check="核验身份证原件",
        passphrase=PASSPHRASE,
    )


@pytest.fixture
def ra_officer(ra_officer_province: User) -> User:
    """An RA officer for the whole province (黑龙江省人民政府); the named test user."""
    return ra_officer_province


@pytest.fixture
def staff_daoli(db: None) -> User:
    """A staff member of 道里区人民政府 with no RA role."""
    return make_staff("staff_daoli", "230102-GOV", roles=["clerk"], display_name="李四")
