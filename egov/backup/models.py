"""Records of snapshots and restore drills (备份记录与恢复演练)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """One snapshot in one repository, with the manifest recorded when it was taken."""

    repository = models.CharField(_("备份库"), max_length=255)
    snapshot_id = models.CharField(_("快照编号"), max_length=64)
    taken_at = models.DateTimeField(_("快照时间"), db_index=True)
    engine = models.CharField(_("数据库"), max_length=16)
    manifest = models.JSONField(_("清单"))
    tables = models.PositiveIntegerField(_("表数"))
    rows = models.BigIntegerField(_("行数"))
    files = models.PositiveIntegerField(_("文件数"))
    verified_at = models.DateTimeField(_("校验时间"), null=True, blank=True)
    verification_ok = models.BooleanField(_("校验通过"), null=True)
    forgotten_at = models.DateTimeField(_("按保留策略删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("备份快照")
        verbose_name_plural = _("备份快照")
        ordering = ["-taken_at", "repository"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "snapshot_id"], name="backup_snapshot_once_per_repository"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} @ {self.repository}"


class Drill(models.Model):
    """A restore drill (恢复演练): the newest snapshot restored into a scratch instance."""

    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    repository = models.CharField(_("备份库"), max_length=255)
    snapshot_id = models.CharField(_("快照编号"), max_length=64, blank=True)
    snapshot_taken_at = models.DateTimeField(_("快照时间"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"))
    rpo_seconds = models.FloatField(_("RPO（秒）"), null=True, blank=True)
    rto_seconds = models.FloatField(_("RTO（秒）"), null=True, blank=True)
    tables_checked = models.PositiveIntegerField(_("核对表数"), default=0)
    files_checked = models.PositiveIntegerField(_("核对文件数"), default=0)
    problems = models.JSONField(_("问题"), default=list, blank=True)

    class Meta:
        verbose_name = _("恢复演练")
        verbose_name_plural = _("恢复演练")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"drill {self.started_at:%Y-%m-%d %H:%M} {self.repository}"

    @property
    def rpo_hours(self) -> float | None:
        return None if self.rpo_seconds is None else self.rpo_seconds / 3600
