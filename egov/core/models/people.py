from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Staff, citizens and enterprises are kept apart by ``kind``.

    A staff user has a :class:`StaffProfile`; a citizen or enterprise user has a
    :class:`PublicAccount`. Neither kind can act as the other.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("工作人员")
        CITIZEN = "citizen", _("公众")
        ENTERPRISE = "enterprise", _("企业")

    kind = models.CharField(_("账户类别"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class StaffProfile(models.Model):
    """A staff member's place: the organisation they belong to (所属机构)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="staff"
    )
    title = models.CharField(_("职务"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class RoleAssignment(models.Model):
    """A role held at an organisation; it applies to that organisation's subtree."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("办件人员")
        DOCUMENT_CLERK = "document_clerk", _("公文收发员")
        SUPERVISOR = "supervisor", _("监察员")
        DUTY_OFFICER = "duty_officer", _("应急值班员")
        EDITOR = "editor", _("网站编辑")
        LEADER = "leader", _("领导")
        EGOV_OFFICE = "egov_office", _("电子政务办")
        RA_OFFICER = "ra_officer", _("RA 审核员")
        AUDITOR = "auditor", _("审计员")
        ADMINISTRATOR = "administrator", _("系统管理员")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="role_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} @ {self.organisation}"


class PublicAccount(models.Model):
    """A citizen's or enterprise's account data (公众/企业账户)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="public_account")
    resident_id = models.CharField(_("公民身份号码"), max_length=18, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    region = models.ForeignKey("core.Region", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("公众/企业账户")
        verbose_name_plural = _("公众/企业账户")

    def __str__(self) -> str:
        return str(self.user)
