from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative division (行政区划) under GB/T 2260.

    ``path`` is the chain of codes from the province down, each followed by ``/``
    (``230000/230100/230102/``), so a subtree is one indexed prefix query and the
    ancestors are one ``code IN (...)`` query.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        PREFECTURE = 2, _("地级")
        COUNTY = 3, _("县级")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=32, db_index=True)
    is_current = models.BooleanField(
        _("现行"), default=True, help_text=_("历史代码保留用于身份证号码地址码校验")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
