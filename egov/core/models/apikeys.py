from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalSystem(models.Model):
    """A registered external system (外部系统): a department's approval system, a peer platform."""

    code = models.CharField(_("系统代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="external_systems"
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("外部系统")
        verbose_name_plural = _("外部系统")

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """An API key of an external system. Only a SHA-256 digest of the secret is kept."""

    system = models.ForeignKey(ExternalSystem, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")

    def __str__(self) -> str:
        return f"{self.system.code}:{self.prefix}"
