"""Registering, suspending and reinstating members: checked, permitted, audited."""

from __future__ import annotations

import pytest

from egov.core.errors import ForbiddenError
from egov.core.models import AuditEntry
from egov.core.testing import make_organisation
from egov.exchange import services
from egov.exchange.errors import ExchangeError
from egov.exchange.models import Member
from egov.exchange.testing import CA_PASSPHRASE, system_certificate
from egov.trust import services as trust_services
from egov.trust.crypto import suite

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(node):
    return system_certificate("daoli-market", make_organisation("230102-SCJG"))[1]


def register(actor="system", **changes):
    fields = {
        "code": "daoli-market",
        "name": "道里区市场监管审批",
        "organisation_code": "230102-SCJG",
        "may_send": ["case-event", "document"],
    } | changes
    return services.register_member(actor=actor, **fields)


def test_an_administrator_registers_a_member_with_its_system_certificate(
    certificate, admin_province
):
    member = register(admin_province, certificate_serial=certificate.serial.upper())
    assert member.certificate_serial == certificate.serial
    assert member.may_send == ["case-event", "document"]
    assert member.status == "active"
    entry = AuditEntry.objects.get(action="exchange.member_registered")
    assert entry.object_id == "daoli-market"


def test_a_clerk_may_not_register_members(certificate, clerk_harbin_daoli):
    with pytest.raises(ForbiddenError):
        register(clerk_harbin_daoli, certificate_serial=certificate.serial)
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"code": "Bad Code"}, "invalid_input", "code"),
        ({"name": " "}, "invalid_input", "name"),
        ({"may_send": ["weather"]}, "unknown_type", "may_send"),
        ({"organisation_code": "999999-GOV"}, "organisation_not_found", "organisation_code"),
        ({"certificate_serial": "abc123"}, "invalid_input", "certificate_serial"),
        ({"kind": "robot"}, "invalid_input", "kind"),
    ],
)
def test_bad_input_is_refused_naming_the_field(certificate, changes, code, field):
    with pytest.raises(ExchangeError) as refused:
        register(**({"certificate_serial": certificate.serial} | changes))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not Member.objects.exists()


def test_only_a_good_system_certificate_will_do(node):
    organisation = make_organisation("230102-SCJG")
    key = suite("sm").generate_key()
    person = trust_services.issue_certificate(
        actor="ca-officer", suite_name="sm", kind="person", subject="CN=张三,C=CN",
        public_key_der=key.public_key().to_der(), passphrase=CA_PASSPHRASE,
    )  # fmt: skip
    with pytest.raises(ExchangeError) as refused:
        register(certificate_serial=person.serial)
    assert "not a system one" in refused.value.reason
    _, system = system_certificate("revoked-one", organisation)
    trust_services.revoke_certificate(actor="ca", serial=system.serial, reason="superseded")
    with pytest.raises(ExchangeError) as refused:
        register(certificate_serial=system.serial)
    assert refused.value.reason == "the certificate is revoked"
    assert not Member.objects.exists()


def test_a_code_is_registered_once(certificate):
    register(certificate_serial=certificate.serial)
    with pytest.raises(ExchangeError) as refused:
        register(certificate_serial=certificate.serial, name="again")
    assert refused.value.code == "duplicate_member_code"
    assert Member.objects.get().name == "道里区市场监管审批"


def test_suspend_and_reinstate_are_audited(certificate):
    register(certificate_serial=certificate.serial)
    services.suspend_member(actor="system", code="daoli-market", reason="证书疑似泄露")
    assert Member.objects.get().status == "suspended"
    services.reinstate_member(actor="system", code="daoli-market")
    assert Member.objects.get().status == "active"
    actions = list(
        AuditEntry.objects.filter(object_type="exchange.member")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "exchange.member_registered",
        "exchange.member_suspended",
        "exchange.member_active",
    ]


def test_an_administrator_of_another_city_does_not_see_the_member(certificate, make_staff):
    admin_qiqihar = make_staff("admin_qiqihar", "230200-GOV", ("administrator",))
    register(certificate_serial=certificate.serial)
    with pytest.raises(ExchangeError) as refused:
        services.suspend_member(actor=admin_qiqihar, code="daoli-market")
    assert refused.value.code == "member_not_found"
    assert Member.objects.get().status == "active"
