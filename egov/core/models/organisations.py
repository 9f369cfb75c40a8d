from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A government body (机构): a government, its general office, a department.

    ``path`` holds the ids from the root down, each followed by ``/``, so the
    subtree of an organisation is one indexed prefix query.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        GENERAL_OFFICE = "general_office", _("办公厅（室）")
        DEPARTMENT = "department", _("工作部门")
        EGOV_OFFICE = "egov_office", _("电子政务办")
        SUPERVISION = "supervision", _("监察机关")

    code = models.CharField(_("机构代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name
