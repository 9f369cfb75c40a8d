"""Approvals plugs into core: its menu entries for case handlers, its demo catalogue."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.approvals.models import ServiceItem
from egov.core.demo import load_demo_data

pytestmark = pytest.mark.django_db


def test_a_clerk_sees_the_approval_queue_in_the_workbench_menu(
    client: Client, clerk_harbin_daoli, auditor_province
) -> None:
    client.force_login(clerk_harbin_daoli)
    assert 'href="/approvals/"' in client.get("/workbench/").content.decode()

    client.force_login(auditor_province)
    assert 'href="/approvals/"' not in client.get("/workbench/").content.decode()


def test_the_platform_demo_data_includes_the_demo_catalogue() -> None:
    load_demo_data()

    assert ServiceItem.objects.count() >= 60
    assert ServiceItem.objects.values("department").distinct().count() >= 12
