"""Monitoring's tables: sign-ins as seen by monitoring, and security incidents (安全事件处置).

Foreign keys point only to core (users, organisations); evidence refers to
security events and sign-ins by id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignIn(models.Model):
    """A successful sign-in (登录记录): who, from where, when, holding which roles.

    Recorded from Django's ``user_logged_in`` (password and certificate logins
    alike) so that the correlation rules can tell an unusual hour or a new
    address; ``privileged`` is whether the account held a privileged role then.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="monitored_sign_ins",
    )
    username = models.CharField(_("用户名"), max_length=150)
    signed_in_at = models.DateTimeField(_("登录时间"))
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    entrance = models.CharField(_("入口"), max_length=200, blank=True)
    roles = models.JSONField(_("角色"), default=list, blank=True)
    privileged = models.BooleanField(_("特权账户"), default=False)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        indexes = [
            models.Index(fields=["privileged", "signed_in_at"], name="monitoring_signin_priv_time"),
            models.Index(fields=["user", "signed_in_at"], name="monitoring_signin_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.signed_in_at:%Y-%m-%d %H:%M} {self.ip_address or ''}"


class Incident(models.Model):
    """A security incident (安全事件) correlated from security events, and its handling."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处置")
        ACKNOWLEDGED = "acknowledged", _("已确认")
        CLOSED = "closed", _("已关闭")

    class Severity(models.TextChoices):
        MEDIUM = "medium", _("中")
        HIGH = "high", _("高")

    rule_code = models.CharField(_("关联规则"), max_length=64)
    subject = models.CharField(_("对象"), max_length=200, help_text=_("IP 地址或用户名"))
    fingerprint = models.CharField(max_length=64, unique=True)
    severity = models.CharField(_("严重程度"), max_length=16, choices=Severity.choices)
    summary = models.CharField(_("摘要"), max_length=255)
    evidence = models.JSONField(_("证据"), default=dict)
    window_start = models.DateTimeField(_("开始时间"))
    window_end = models.DateTimeField(_("结束时间"))
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_incidents",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("发现时间"))
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("处置说明"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("安全事件处置")
        verbose_name_plural = _("安全事件处置")
        indexes = [
            models.Index(fields=["status", "opened_at"], name="monitoring_incident_status"),
            models.Index(fields=["rule_code", "subject"], name="monitoring_incident_subject"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.rule_code} {self.subject} ({self.status})"


class ProbedSystem(models.Model):
    """A system or site in the inventory (系统与网站清单), probed over HTTP, TCP or TLS.

    Registered by administrators (Django admin); the probe task keeps the last
    result on the row. ``target`` is a URL for HTTP, ``host:port`` for TCP and TLS.
    """

    class Kind(models.TextChoices):
        HTTP = "http", _("HTTP(S) 网站")
        TCP = "tcp", _("TCP 端口")
        TLS = "tls", _("TLS 服务")

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("探测方式"), max_length=8, choices=Kind.choices)
    target = models.CharField(
        _("地址"), max_length=500, help_text=_("HTTP 为网址，TCP/TLS 为 主机:端口")
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="probed_systems",
    )
    expected_status = models.PositiveSmallIntegerField(
        _("期望状态码"), null=True, blank=True, help_text=_("留空：小于 400 即为正常")
    )
    verify_tls = models.BooleanField(_("校验证书"), default=True)
    timeout_seconds = models.FloatField(_("超时（秒）"), default=5.0)
    is_active = models.BooleanField(_("启用"), default=True)
    last_checked_at = models.DateTimeField(_("最近探测"), null=True, blank=True)
    last_ok = models.BooleanField(_("正常"), null=True, blank=True)
    last_seconds = models.FloatField(_("响应时间（秒）"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    failing_since = models.DateTimeField(_("异常开始"), null=True, blank=True)
    certificate_expires = models.DateTimeField(_("证书到期"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("探测对象")
        verbose_name_plural = _("探测对象")

    def __str__(self) -> str:
        return f"{self.code} ({self.kind} {self.target})"
