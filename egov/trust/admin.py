"""Read-only admin views of CAs, certificates and CRLs; writes go through ``egov ca``."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from egov.trust.models import (
    Certificate,
    CertificateApplication,
    CertificateAuthority,
    RevocationList,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["subject", "suite", "role", "serial", "not_after", "is_active"]
    list_filter = ["suite", "role", "is_active"]
    exclude = ["private_key_pem"]  # encrypted, but still not for display


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["serial", "subject", "kind", "suite", "status", "not_after"]
    list_filter = ["suite", "kind", "status"]
    search_fields = ["serial", "subject"]


@admin.register(RevocationList)
class RevocationListAdmin(ReadOnlyAdmin):
    list_display = ["authority", "number", "this_update", "next_update", "revoked_count"]
    exclude = ["der"]


@admin.register(CertificateApplication)
class CertificateApplicationAdmin(ReadOnlyAdmin):
    """RA applications, read-only: decisions go through the RA pages (/trust/ra/)."""

    list_display = ["number", "applicant_name", "kind", "suite", "method", "status", "created_at"]
    list_filter = ["status", "kind", "suite", "method"]
    search_fields = ["number", "applicant_name", "subject"]
    exclude = ["sealed_private_key", "public_key_der"]  # a key, even sealed, is not for display
