"""Outbox writes for operators (事件发件箱运维): re-queue a dead letter."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from egov.core.events import kick_worker
from egov.core.models import DeadLetter, Delivery
from egov.core.services.audit import record_audit


def retry_dead_letter(*, actor: Any, dead_letter: DeadLetter) -> Delivery:
    """Re-queue a dead-lettered event for its subscriber (重新投递死信).

    The event is parked again as a delivery due now, with a fresh attempt count;
    the dead letter is marked resolved. Later events of the same aggregate wait
    behind it again until it is delivered or dead-lettered anew. The handler may
    see the event after later events of its aggregate: handlers are idempotent.
    """
    with transaction.atomic():
        letter = DeadLetter.objects.select_for_update().filter(pk=dead_letter.pk).first()
        if letter is None or letter.resolved_at is not None:
            raise ValidationError({"dead_letter": "already resolved or does not exist"})
        if Delivery.objects.filter(subscriber=letter.subscriber, event_id=letter.event_id).exists():
            raise ValidationError({"dead_letter": "this event is already queued for retry"})
        now = timezone.now()
        delivery = Delivery.objects.create(
            subscriber=letter.subscriber,
            event_id=letter.event_id,
            attempts=0,
            next_attempt_at=now,
            last_error=f"re-queued from dead letter #{letter.pk}",
        )
        letter.resolved_at = now
        letter.save(update_fields=["resolved_at"])
        record_audit(
            actor=actor,
            action="outbox.dead_letter_retried",
            object_type="core.DeadLetter",
            object_id=str(letter.pk),
            summary=f"重新投递事件 #{letter.event_id} 给订阅者 {letter.subscriber}",
        )
        transaction.on_commit(kick_worker, robust=True)
    return delivery
