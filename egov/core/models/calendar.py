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
