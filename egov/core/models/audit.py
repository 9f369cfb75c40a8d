from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One link of the append-only audit chain (审计链).

    ``entry_hash`` is SM3 over the previous entry's hash and this entry's fields,
    so an edited, deleted or inserted row breaks the chain at that point.
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

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor} {self.action} {self.object_type}:{self.object_id}"
