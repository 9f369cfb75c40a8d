"""Django admin for the event outbox (事件发件箱): read-only, plus retrying dead letters."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.core.models import DeadLetter, Delivery, Event, SubscriberPosition
from egov.core.services.outbox import retry_dead_letter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators look; the worker and services write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "event_type", "aggregate", "occurred_at"]
    list_filter = ["event_type"]
    search_fields = ["aggregate"]
    show_full_result_count = False


@admin.register(SubscriberPosition)
class SubscriberPositionAdmin(ReadOnlyAdmin):
    list_display = ["subscriber", "last_event_id", "updated_at"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["subscriber", "event", "attempts", "next_attempt_at"]
    list_filter = ["subscriber"]
    list_select_related = ["event"]


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnlyAdmin):
    list_display = ["id", "subscriber", "event", "attempts", "failed_at", "resolved_at"]
    list_filter = ["subscriber", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["event"]
    readonly_fields = ["subscriber", "event", "attempts", "last_error", "failed_at", "resolved_at"]
    actions = ["retry"]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        """Retrying needs the model's change permission (administrators)."""
        return request.user.has_perm("core.change_deadletter")

    @admin.action(description=_("重新投递所选死信"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[DeadLetter]) -> None:
        """Re-queue each selected, unresolved dead letter (重新投递)."""
        requeued = 0
        for letter in queryset.filter(resolved_at__isnull=True):
            try:
                retry_dead_letter(actor=request.user, dead_letter=letter)
            except ValidationError as refusal:
                self.message_user(request, f"#{letter.pk}: {refusal.messages[0]}", messages.WARNING)
            else:
                requeued += 1
        self.message_user(request, _("已重新投递 %(n)d 条死信") % {"n": requeued}, messages.SUCCESS)
