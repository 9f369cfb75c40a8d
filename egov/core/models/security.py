"""Security events (安全事件): failed logins, lockouts, revocations, privilege changes.

Written only by :func:`egov.core.services.security.record_security_event`;
monitoring and evaluation read them. ``detail`` never holds a secret (no
password, token, key or signature), only what an auditor needs to judge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One security-relevant occurrence, with who, from where and when."""

    class Kind(models.TextChoices):
        LOGIN_FAILED = "login_failed", _("登录失败")
        ACCOUNT_LOCKED = "account_locked", _("账户锁定")
        CERT_LOGIN_FAILED = "cert_login_failed", _("证书登录失败")
        CERT_LOGIN = "cert_login", _("证书登录")
        CERTIFICATE_REVOKED = "certificate_revoked", _("证书吊销")
        PRIVILEGE_CHANGED = "privilege_changed", _("权限变更")
        OTP_FAILED = "otp_failed", _("动态口令验证失败")
        OTP_DEVICE_CONFIRMED = "otp_device_confirmed", _("动态口令设备绑定")
        ACCESS_REFUSED = "access_refused", _("越权或无效的访问")

    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=255, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        indexes = [
            models.Index(fields=["occurred_at"], name="core_secevent_time"),
            models.Index(fields=["kind", "occurred_at"], name="core_secevent_kind_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"
