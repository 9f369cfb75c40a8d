"""``egov exchange``: register, list, suspend and reinstate members; the node's status."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from egov.core.testing import make_organisation
from egov.exchange.models import Member
from egov.exchange.testing import system_certificate

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("exchange", *args, stdout=out)
    return out.getvalue()


def test_an_operator_registers_and_suspends_a_member(node, tmp_path):
    certificate = system_certificate("daoli-market", make_organisation("230102-SCJG"))[1]
    pem = tmp_path / "cert.pem"
    pem.write_text(certificate.certificate_pem, encoding="utf-8")
    added = run(
        *("add-member", "--code", "daoli-market", "--name", "道里区市场监管审批"),
        *("--organisation", "230102-SCJG", "--certificate", str(pem), "--may-send", "case-event"),
    )
    assert f"certificate {certificate.serial}" in added
    assert "daoli-market\tactive\t230102-SCJG" in run("members")
    run("suspend", "daoli-market", "--reason", "证书疑似泄露")
    assert Member.objects.get().status == "suspended"
    run("reinstate", "daoli-market")
    assert Member.objects.get().status == "active"
    assert run("status").startswith("node egov-platform, certificate ")


def test_a_refusal_is_a_command_error_naming_the_field(node, tmp_path):
    with pytest.raises(CommandError, match="code: no such member"):
        run("suspend", "nobody")
