"""Admin views of the approvals app: read-only; changes go through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.approvals.models import Case, ServiceItem


class ReadOnlyAdmin(admin.ModelAdmin):
    """Look, never touch: every write must go through a service that audits it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "department",
        "kind",
        "statutory_limit_days",
        "promised_limit_days",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("code", "base_code", "name")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "item", "department", "status", "received_at", "accepted_at")
    list_filter = ("status", "channel")
    search_fields = ("number", "applicant_name")
    date_hierarchy = "received_at"
