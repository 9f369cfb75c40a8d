from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A domain event in the outbox (事件发件箱), written in the publisher's transaction."""

    event_type = models.CharField(max_length=64, db_index=True)
    aggregate = models.CharField(
        max_length=128, db_index=True, help_text=_("事件所属对象，如案件号；同一对象的事件按序投递")
    )
    payload = models.JSONField()
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("领域事件")
        verbose_name_plural = _("领域事件")

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type} {self.aggregate}"


class SubscriberPosition(models.Model):
    """How far a subscriber has read the outbox: every event up to ``last_event_id`` is done."""

    subscriber = models.CharField(max_length=64, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.subscriber} @ {self.last_event_id}"


class Delivery(models.Model):
    """An event a subscriber failed to handle, waiting to be retried with backoff."""

    subscriber = models.CharField(max_length=64)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="deliveries")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "event"], name="one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["subscriber", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subscriber}: event {self.event_id} (attempt {self.attempts})"


class DeadLetter(models.Model):
    """An event a subscriber gave up on after the maximum number of attempts (死信)."""

    subscriber = models.CharField(max_length=64)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="dead_letters")
    attempts = models.PositiveIntegerField()
    last_error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]
        verbose_name = _("死信")
        verbose_name_plural = _("死信")

    def __str__(self) -> str:
        return f"{self.subscriber}: event {self.event_id} gave up after {self.attempts} attempts"
