"""Auditors find the signature records from the workbench menu; clerks do not."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_signature_page_is_in_the_auditor_menu_only(
    client: Client, auditor_province, clerk_harbin_daoli
) -> None:
    client.force_login(auditor_province)
    assert 'href="/trust/signatures/"' in client.get("/workbench/").content.decode()

    client.force_login(clerk_harbin_daoli)
    assert 'href="/trust/signatures/"' not in client.get("/workbench/").content.decode()
