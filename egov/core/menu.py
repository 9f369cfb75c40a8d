"""The staff workbench menu (工作台菜单): core's entries, and those apps register.

An app adds its own entries from its ``AppConfig.ready`` with
:func:`register_menu_entry`, so core never imports the modules above it.
Each entry is shown only to users who ``may`` do its action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    """A workbench menu entry, shown only to users who ``may`` do its action."""

    action: str
    label: Any
    url_name: str
    description: Any


_entries: list[MenuEntry] = [
    MenuEntry("workbench.view", _("工作台首页"), "core:workbench", _("本人机构、角色与可用功能")),
    MenuEntry("audit.view", _("审计日志"), "core:audit_log", _("审计链记录：谁、何时、做了什么")),
    MenuEntry(
        "outbox.manage", _("事件投递"), "admin:core_deadletter_changelist", _("失败事件与重试")
    ),
    MenuEntry(
        "organisation.manage",
        _("机构管理"),
        "admin:core_organisation_changelist",
        _("行政区划与机构"),
    ),
    MenuEntry("admin.view", _("系统管理"), "admin:index", _("系统后台")),
]


def register_menu_entry(entry: MenuEntry) -> None:
    """Add an app's entry to the menu, before the administration entries; once only."""
    if entry in _entries:
        return
    first_admin = next(i for i, e in enumerate(_entries) if e.url_name.startswith("admin:"))
    _entries.insert(first_admin, entry)


def menu_entries() -> tuple[MenuEntry, ...]:
    """Every registered entry, in menu order."""
    return tuple(_entries)
