"""Members of the exchange and the messages they sent (交换成员与报文).

Foreign keys point only to ``core``; a member's certificate is referred to by
its serial (the natural key of ``egov.trust``), as DESIGN.md asks.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Member(models.Model):
    """A department's own system or a peer platform allowed to exchange messages (交换成员)."""

    class Kind(models.TextChoices):
        SYSTEM = "system", _("部门业务系统")
        PEER = "peer", _("对等平台")

    class Status(models.TextChoices):
        ACTIVE = "active", _("启用")
        SUSPENDED = "suspended", _("暂停")

    code = models.CharField(_("成员代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.SYSTEM)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="exchange_members"
    )
    certificate_serial = models.CharField(
        _("系统证书序列号"), max_length=40, help_text=_("本平台CA签发的系统证书（十六进制）")
    )
    may_send = models.JSONField(_("可发送的报文类型"), default=list, blank=True)
    may_receive = models.JSONField(_("可接收的报文类型"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    endpoint_url = models.URLField(
        _("接收地址"),
        blank=True,
        help_text=_("对等平台的地址，出站报文发往其 /api/v1/exchange/messages"),
    )
    external_system = models.OneToOneField(
        "core.ExternalSystem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_member",
        help_text=_("以接口密钥报送办件事件的同一系统（轻量凭证，ADR 0060）"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("交换成员")
        verbose_name_plural = _("交换成员")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LogBatch(models.Model):
    """One time-stamped batch of message-log entries (日志批次时间戳), RFC 9162 tree + RFC 3161.

    ``root`` is the batch tree's root over the entries' digests (docs/exchange.md,
    "Message log"), ``token`` the DER time-stamp token over it; each entry keeps
    its leaf index and inclusion proof.
    """

    suite = models.CharField(_("密码套件"), max_length=8)
    root = models.CharField(_("根哈希"), max_length=128)
    token = models.BinaryField(_("时间戳令牌"))
    size = models.PositiveIntegerField(_("条目数"))
    stamped_at = models.DateTimeField(_("加盖时间"), db_index=True)

    class Meta:
        verbose_name = _("日志时间戳批次")
        verbose_name_plural = _("日志时间戳批次")
        ordering = ["-stamped_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.stamped_at:%Y-%m-%d %H:%M:%S} {self.size} {self.root[:16]}"


class LogStamping(models.Model):
    """The message log's time-stamping state (日志时间戳状态): one row, what the last run met."""

    last_success_at = models.DateTimeField(_("最近成功"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("最近失败"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("日志时间戳状态")
        verbose_name_plural = _("日志时间戳状态")

    def __str__(self) -> str:
        return f"stamped {self.last_success_at}, failed {self.last_failure_at}"


class StampedEntry(models.Model):
    """What a message-log entry keeps of its batch: the batch, leaf index and proof."""

    log_batch = models.ForeignKey(
        LogBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leaf_index = models.PositiveIntegerField(_("叶序号"), null=True, blank=True)
    proof = models.JSONField(_("包含性证明"), null=True, blank=True)

    class Meta:
        abstract = True


class Message(StampedEntry):
    """One message through the gateway with its envelope and the receipt (报文记录)."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("接收")
        OUTBOUND = "out", _("发送")

    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    message_id = models.UUIDField(_("报文标识"))
    message_type = models.CharField(_("报文类型"), max_length=64)
    sender = models.CharField(_("发送方"), max_length=64)
    recipients = models.JSONField(_("接收方"), default=list)
    created = models.DateTimeField(_("生成时间"))
    received_at = models.DateTimeField(_("接收时间"))
    digest = models.CharField(_("内容摘要"), max_length=64)
    envelope_digest = models.CharField(_("信封摘要"), max_length=64)
    certificate_serial = models.CharField(_("签名证书序列号"), max_length=40)
    envelope = models.JSONField(_("信封"))
    receipt = models.JSONField(_("回执"))
    event_id = models.BigIntegerField(_("发布的事件"), null=True, blank=True)

    class Meta:
        verbose_name = _("交换报文")
        verbose_name_plural = _("交换报文")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "message_id"], name="exchange_message_once_per_direction"
            )
        ]
        indexes = [
            models.Index(fields=["sender", "received_at"], name="exchange_msg_sender_time"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.message_type} {self.message_id}"


class OutboundMessage(StampedEntry):
    """A message this node sends to one peer, queued until the peer's receipt is held (出站报文).

    Delivered only when the peer's signed receipt for this envelope's digest is
    kept here (as Estonia's DHX defines delivery). Messages to one peer go in
    order: a later one waits while an earlier one is pending.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待投递")
        DELIVERED = "delivered", _("已投递")
        FAILED = "failed", _("投递失败")

    message_id = models.UUIDField(_("报文标识"))
    recipient = models.CharField(_("接收方"), max_length=64)
    message_type = models.CharField(_("报文类型"), max_length=64)
    envelope = models.JSONField(_("信封"))
    envelope_digest = models.CharField(_("信封摘要"), max_length=64)
    queued_at = models.DateTimeField(_("入队时间"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    receipt = models.JSONField(_("回执"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("出站报文")
        verbose_name_plural = _("出站报文")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id", "recipient"], name="exchange_outbound_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["state", "recipient", "id"], name="exchange_outbound_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.message_type} {self.message_id} {self.state}"
