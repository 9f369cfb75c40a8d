from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditChainAppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry (审计记录不可修改)."""


def refuse(operation: str) -> NoReturn:
    raise AuditChainAppendOnlyError(
        f"The audit chain is append-only: {operation} of audit entries is refused. "
        "Append new entries with egov.core.services.audit.record_audit."
    )


class AuditEntryQuerySet(models.QuerySet):
    """Audit entries may be read and appended, never updated or deleted."""

    def update(self, **kwargs: Any) -> NoReturn:
        refuse("update")

    def delete(self) -> NoReturn:
        refuse("delete")

    def bulk_update(self, objs: Any, fields: Any, batch_size: Any = None) -> NoReturn:
        refuse("bulk update")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> NoReturn:
        refuse("bulk create (each entry must be chained by record_audit)")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        refuse("update_or_create")


class AuditEntry(models.Model):
    """One link of the append-only audit chain (审计链).

    ``entry_hash`` is SM3 over the previous entry's hash and this entry's fields,
    so an edited, deleted or inserted row breaks the chain at that point.
    ``entry_mac`` is HMAC-SM3 over ``entry_hash`` with the audit key, so a row
    appended by someone without the key is found out (ADR 0036); it is NULL on
    entries written before the key existed.
    Written only by :func:`egov.core.services.audit.record_audit`; the ORM
    refuses to update or delete entries, and a database trigger refuses raw SQL
    UPDATE/DELETE (and TRUNCATE on PostgreSQL).
    """

    sequence = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.CharField(_("操作人"), max_length=150)
    organisation = models.CharField(_("机构"), max_length=32, blank=True)
    action = models.CharField(_("动作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象"), max_length=128, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # NULL, not "": an entry written before the audit key existed (ADR 0036). Nullable
    # also lets SQLite add the column in place, keeping the append-only triggers.
    entry_mac = models.CharField(max_length=64, null=True)  # noqa: DJ001  see above

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            refuse("update")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        refuse("delete")


class AuditCheckpoint(models.Model):
    """The chain's head at one moment, MAC'd with the audit key (审计链检查点).

    The same checkpoint is appended to a file outside the database
    (``EGOV_AUDIT_CHECKPOINT_DIR``); ``egov audit verify`` reads both copies and
    fails if the chain no longer reaches the newest one (ADR 0036).
    """

    sequence = models.BigIntegerField(_("序号"), db_index=True)
    head_hash = models.CharField(_("链头哈希"), max_length=64)
    taken_at = models.DateTimeField(_("记录时间"))
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence", "-taken_at"]
        verbose_name = _("审计链检查点")
        verbose_name_plural = _("审计链检查点")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.head_hash[:16]} {self.taken_at:%Y-%m-%d %H:%M}"
