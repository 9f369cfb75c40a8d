from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day that breaks the weekly rule (工作日历例外).

    Either a public holiday on a weekday (``is_working=False``) or a weekend day
    that is a make-up working day (调休上班, ``is_working=True``). Days from a
    year whose official schedule is not yet published are ``provisional``.
    """

    date = models.DateField(_("日期"), primary_key=True)
    is_working = models.BooleanField(_("工作日"))
    name = models.CharField(_("名称"), max_length=64, blank=True)
    provisional = models.BooleanField(_("暂定"), default=False)
    source = models.CharField(_("来源"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历例外")
        verbose_name_plural = _("工作日历例外")

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_working else '休'} {self.name}"


class CalendarRevision(models.Model):
    """The calendar's revision token (工作日历版本), one row.

    Every service that changes ``CalendarDay`` rows sets a fresh random token in
    the same transaction, so a process that cached a ``WorkingCalendar`` can
    tell with one cheap query that the table changed, even after a rolled-back
    change or an import that kept the row count.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    token = models.UUIDField(_("版本标识"))
    changed_at = models.DateTimeField(_("变更时间"))

    class Meta:
        verbose_name = _("工作日历版本")
        verbose_name_plural = _("工作日历版本")

    def __str__(self) -> str:
        return f"{self.token} {self.changed_at:%Y-%m-%d %H:%M}"
