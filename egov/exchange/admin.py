"""Members and the message log in the Django admin (交换成员与报文), read-mostly.

Members are registered and suspended through :mod:`egov.exchange.services` so
that every change is audited; the admin shows them and the messages.
"""

from __future__ import annotations

from django.contrib import admin

from egov.core.admin_audit import ReadOnlyAdmin
from egov.exchange.models import Member, Message, OutboundMessage


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "organisation", "certificate_serial", "status")
    list_filter = ("kind", "status")
    search_fields = ("code", "name", "certificate_serial")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "direction", "message_type", "sender", "message_id")
    list_filter = ("direction", "message_type")
    search_fields = ("message_id", "sender", "digest")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """The outbound queue: undeliverable messages show ``failed`` with their last error;
    ``egov exchange resend`` queues one again (audited)."""

    list_display = ("queued_at", "recipient", "message_type", "state", "attempts", "last_error")
    list_filter = ("state", "recipient")
    search_fields = ("message_id", "recipient")
