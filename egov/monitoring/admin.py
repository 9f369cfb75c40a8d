"""Administrators register the systems and sites to probe (系统与网站清单)."""

from __future__ import annotations

from django.contrib import admin

from egov.monitoring.models import ProbedSystem


@admin.register(ProbedSystem)
class ProbedSystemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "target", "is_active", "last_ok", "last_checked_at"]
    list_filter = ["kind", "is_active", "last_ok"]
    search_fields = ["code", "name", "target"]
    readonly_fields = [
        "last_checked_at",
        "last_ok",
        "last_seconds",
        "last_status_code",
        "last_error",
        "failing_since",
        "certificate_expires",
    ]
