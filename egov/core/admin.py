"""Django admin for the core app.

The audit chain and the event outbox register theirs in their own modules,
imported here; other core models are registered below. Writes that matter go
through the services, so the admin records them in the audit chain and checks
:func:`~egov.core.permissions.may` like every other entrance: regions are
read-only (they come from the GB/T 2260 datasets), organisations are added by
``create_organisation``, roles are granted and revoked by ``grant_role`` /
``revoke_role``, and API keys are issued by an action that shows the key once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.core import admin_audit, admin_outbox  # noqa: F401  registers their ModelAdmins
from egov.core.models import (
    ApiKey,
    ExternalSystem,
    Organisation,
    PublicAccount,
    Region,
    RoleAssignment,
    SecurityEvent,
    StaffProfile,
    User,
)
from egov.core.services.apikeys import issue_api_key, revoke_api_key
from egov.core.services.organisations import create_organisation
from egov.core.services.people import grant_role, revoke_role


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, searched and filtered; changed only through services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent", "is_current"]
    list_filter = ["level", "is_current"]
    search_fields = ["code", "name"]


ORGANISATION_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "region",
    "parent",
    "path",
    "is_active",
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations are added through ``create_organisation`` (path, audit, checks)."""

    list_display = ["code", "name", "kind", "region", "parent", "is_active"]
    list_filter = ["kind", "is_active", "region__level"]
    search_fields = ["code", "name", "short_name"]
    raw_id_fields = ["parent"]
    autocomplete_fields = ["region"]
    fields = ORGANISATION_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["path"] if obj is None else list(ORGANISATION_FIELDS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        created = create_organisation(
            actor=request.user,
            code=obj.code,
            name=obj.name,
            kind=obj.kind,
            region_code=obj.region_id,
            parent_code=obj.parent.code if obj.parent is not None else None,
            short_name=obj.short_name,
        )
        obj.pk, obj.path = created.pk, created.path


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Granting (add) and revoking (delete) roles are audited privilege changes."""

    list_display = ["user", "role", "organisation", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__code", "organisation__name"]
    raw_id_fields = ["user", "organisation"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        granted = grant_role(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            organisation_code=obj.organisation.code,
        )
        obj.pk = granted.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        revoke_role(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            organisation_code=obj.organisation.code,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for assignment in queryset.select_related("user", "organisation"):
            self.delete_model(request, assignment)


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    readonly_fields = ["organisation", "title", "phone"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    can_delete = False
    readonly_fields = ["role", "organisation", "granted_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PublicAccountInline(admin.StackedInline):
    model = PublicAccount
    can_delete = False
    readonly_fields = ["resident_id", "credit_code", "phone", "region"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """Accounts are created by the people services; shown here with their roles."""

    list_display = ["username", "display_name", "kind", "is_active", "is_superuser", "last_login"]
    list_filter = ["kind", "is_active", "is_superuser"]
    search_fields = ["username", "display_name"]
    exclude = ["password", "user_permissions", "groups"]
    inlines = [StaffProfileInline, RoleInline, PublicAccountInline]


@admin.register(ExternalSystem)
class ExternalSystemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "organisation", "is_active", "created_at"]
    search_fields = ["code", "name"]
    actions = ["issue_key"]

    @admin.action(description=_("为所选系统签发接口密钥（仅显示一次）"))
    def issue_key(self, request: HttpRequest, queryset: QuerySet[ExternalSystem]) -> None:
        for system in queryset:
            _key, secret = issue_api_key(actor=request.user, system_code=system.code)
            messages.warning(request, f"{system.code}: {secret}")


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["system", "prefix", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "system__code"]
    actions = ["revoke"]

    @admin.action(description=_("吊销所选密钥"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset.filter(revoked_at__isnull=True):
            revoke_api_key(actor=request.user, prefix=api_key.prefix)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """Security events are written by ``record_security_event`` only; read here."""

    list_display = ["occurred_at", "kind", "username", "organisation", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "occurred_at"
