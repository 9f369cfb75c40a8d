"""Django admin for the audit chain (审计链): read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.core.models import AuditCheckpoint, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Auditors read the chain here; nobody adds, changes or deletes entries."""

    list_display = [
        "sequence",
        "occurred_at",
        "actor",
        "organisation",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "organisation", "object_id", "summary"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    """The checkpoints of the chain's head (ADR 0036): read-only, like the chain."""

    list_display = ["sequence", "head_hash", "taken_at"]
    date_hierarchy = "taken_at"
    show_full_result_count = False
