"""Sending alerts by e-mail and SMS (预警提醒发送).

E-mail goes through Django's mail backend (``EMAIL_BACKEND``, set by
``EGOV_EMAIL_BACKEND``; the console backend by default). SMS goes through a
pluggable gateway named by the setting ``EGOV_SMS_BACKEND`` (a dotted path to
a class with ``send(phone, text)``); the default one only logs the message,
so a province plugs in its SMS gateway without touching this module.

Alerts are written with no channels; :func:`deliver_pending_alerts` claims
each one (a conditional UPDATE, so two workers never send the same alert),
sends it to the recipient's e-mail address and the phone of their staff
profile when they have one, and records the channels used. It runs after the
scan's transaction has committed: a message is never sent for a rolled-back
alert.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from egov.supervision.models import Alert

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "egov.supervision.statistics.notify.LoggingSmsBackend"
WORKBENCH, EMAIL, SMS = "workbench", "email", "sms"
SUBJECT_PREFIX = "【电子监察】"


class SmsBackend(Protocol):
    """An SMS gateway: sends one text to one phone number, raises on failure."""

    def send(self, phone: str, text: str) -> None: ...


class LoggingSmsBackend:
    """The default gateway: writes the message to the log (no SMS is sent)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend:
    """For tests: keeps every message in :attr:`outbox` as ``(phone, text)``."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def sms_backend() -> SmsBackend:
    """The configured SMS gateway (``EGOV_SMS_BACKEND``)."""
    path = getattr(settings, "EGOV_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND
    return import_string(path)()


@dataclass(frozen=True)
class Delivery:
    """What one delivery run sent."""

    alerts: int
    emails: int
    sms: int


def phone_of(alert: Alert) -> str:
    staff = getattr(alert.recipient, "staff", None)
    return (getattr(staff, "phone", "") or "").strip()


def claim(alert: Alert) -> bool:
    """Take the alert for sending; False if another worker already did."""
    return bool(Alert.objects.filter(pk=alert.pk, channels=[]).update(channels=[WORKBENCH]))


def send_alert(alert: Alert, gateway: SmsBackend) -> list[str]:
    """Send one claimed alert; the channels that succeeded (workbench always)."""
    channels = [WORKBENCH]
    email = (alert.recipient.email or "").strip()
    if email:
        try:
            send_mail(SUBJECT_PREFIX + alert.message[:60], alert.message, None, [email])
            channels.append(EMAIL)
        except Exception:  # a mail server failure must not stop the other alerts
            logger.exception("alert %s: e-mail to %s failed", alert.pk, email)
    phone = phone_of(alert)
    if phone:
        try:
            gateway.send(phone, SUBJECT_PREFIX + alert.message)
            channels.append(SMS)
        except Exception:  # same for the SMS gateway
            logger.exception("alert %s: SMS to %s failed", alert.pk, phone)
    return channels


def pending_alerts() -> list[Alert]:
    return list(
        Alert.objects.filter(channels=[])
        .select_related("recipient", "recipient__staff")
        .order_by("pk")
    )


def deliver_pending_alerts() -> Delivery:
    """Send every alert not yet sent by e-mail and SMS; what was sent."""
    gateway = sms_backend()
    alerts = emails = texts = 0
    for alert in pending_alerts():
        if not claim(alert):
            continue
        channels = send_alert(alert, gateway)
        Alert.objects.filter(pk=alert.pk).update(channels=channels)
        alerts += 1
        emails += EMAIL in channels
        texts += SMS in channels
    return Delivery(alerts=alerts, emails=emails, sms=texts)
