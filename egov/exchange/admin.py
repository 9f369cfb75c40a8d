"""Members and the message log in the Django admin (交换成员与报文), read-mostly.

Members are registered and suspended through :mod:`egov.exchange.services` so
that every change is audited; the admin shows them and the messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.exchange.models import Member, Message, OutboundMessage


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "organisation", "certificate_serial", "status")
    list_filter = ("kind", "status")
    search_fields = ("code", "name", "certificate_serial")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "direction", "message_type", "sender", "message_id")
    list_filter = ("direction", "message_type")
    search_fields = ("message_id", "sender", "digest")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbound queue: undeliverable messages show ``failed`` with their last error;
    ``egov exchange resend`` queues one again (audited)."""

    list_display = ("queued_at", "recipient", "message_type", "state", "attempts", "last_error")
    list_filter = ("state", "recipient")
    search_fields = ("message_id", "recipient")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
