"""Apps add workbench menu entries with register_menu_entry; may() decides who sees them."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core import menu
from egov.core.menu import MenuEntry, register_menu_entry
from egov.core.views import menu_for

pytestmark = pytest.mark.django_db

ENTRY = MenuEntry("audit.view", "审计专用入口", "core:home", "registered by a test app")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> list[MenuEntry]:
    entries = list(menu.menu_entries())
    monkeypatch.setattr(menu, "_entries", entries)
    return entries


def test_a_registered_entry_shows_to_who_may_do_its_action(
    registry: list[MenuEntry], auditor_province, clerk_harbin_daoli, client: Client
) -> None:
    register_menu_entry(ENTRY)

    assert ENTRY in [item["entry"] for item in menu_for(auditor_province)]
    assert ENTRY not in [item["entry"] for item in menu_for(clerk_harbin_daoli)]
    client.force_login(auditor_province)
    assert "审计专用入口" in client.get("/workbench/").content.decode()


def test_app_entries_come_before_the_administration_entries(registry: list[MenuEntry]) -> None:
    register_menu_entry(ENTRY)
    register_menu_entry(ENTRY)

    names = [entry.url_name for entry in menu.menu_entries()]
    assert names.count("core:home") == 1
    assert names.index("core:home") < names.index("admin:index")
