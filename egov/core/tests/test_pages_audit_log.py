"""The audit log page (审计日志): auditors read entries within their scope; others are refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import User
from egov.core.services.audit import record_audit


def audit_page(client: Client, user: User, query: str = "") -> object:
    client.force_login(user)
    return client.get(reverse("core:audit_log") + query)


@pytest.mark.django_db
def test_clerk_is_refused(client: Client, clerk_harbin_daoli: User) -> None:
    assert audit_page(client, clerk_harbin_daoli).status_code == 403


@pytest.mark.django_db
def test_provincial_auditor_reads_every_entry(
    client: Client, auditor_province: User, make_organisation: object
) -> None:
    make_organisation("230200-GOV")
    record_audit(actor="system", action="test.harbin", organisation="230100-GOV")
    record_audit(actor="system", action="test.qiqihar", organisation="230200-GOV")

    page = audit_page(client, auditor_province).content.decode()

    assert "test.harbin" in page
    assert "test.qiqihar" in page


@pytest.mark.django_db
def test_city_auditor_reads_only_the_city(
    client: Client, auditor_harbin: User, make_organisation: object
) -> None:
    make_organisation("230102-GOV")
    make_organisation("230200-GOV")
    record_audit(actor="system", action="test.daoli", organisation="230102-GOV")
    record_audit(actor="system", action="test.qiqihar", organisation="230200-GOV")

    page = audit_page(client, auditor_harbin).content.decode()

    assert "test.daoli" in page
    assert "test.qiqihar" not in page


@pytest.mark.django_db
def test_filter_by_action(client: Client, auditor_province: User) -> None:
    record_audit(actor="system", action="test.first")
    record_audit(actor="system", action="test.second")

    page = audit_page(client, auditor_province, "?action=test.second").content.decode()

    assert "test.second" in page
    assert "test.first" not in page
