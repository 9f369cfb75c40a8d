"""Administrators register the systems and sites to probe (系统与网站清单)."""

from __future__ import annotations

from django.contrib import admin

from egov.monitoring.models import ProbedSystem
from egov.monitoring.services import PROBE_FIELDS


@admin.register(ProbedSystem)
class ProbedSystemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "target", "is_active", "last_ok", "last_checked_at"]
    list_filter = ["kind", "is_active", "last_ok"]
    search_fields = ["code", "name", "target"]
    readonly_fields = PROBE_FIELDS  # written by the probes, never by hand
