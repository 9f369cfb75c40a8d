"""load_demo_data with a password from the environment, and the command that prints the accounts.

Apart from test_demo_data.py, whose tests share one demo loaded with the default password.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from egov.core.demo import DEFAULT_DEMO_PASSWORD, load_demo_data
from egov.core.models import User

pytestmark = pytest.mark.django_db


def test_the_password_comes_from_the_environment_when_set(monkeypatch):
    monkeypatch.setenv("EGOV_DEMO_PASSWORD", "Another-demo-password-7")
    accounts = load_demo_data()
    assert User.objects.get(username="clerk_daoli").check_password("Another-demo-password-7")
    assert {a.password for a in accounts} == {"Another-demo-password-7"}


def test_the_command_prints_the_accounts(monkeypatch):
    monkeypatch.delenv("EGOV_DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["username", "password", "role", "organisation", "kind"]
    row = next(line.split() for line in lines if line.startswith("clerk_daoli "))
    assert row == ["clerk_daoli", DEFAULT_DEMO_PASSWORD, "clerk", "哈尔滨市道里区人民政府", "staff"]
