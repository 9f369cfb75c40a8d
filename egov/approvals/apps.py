from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Online approval (网上审批): service catalogue, applications, case workflow."""

    name = "egov.approvals"
    label = "approvals"
    verbose_name = _("网上审批")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egov.approvals.permissions import ACTION_ROLES
        from egov.core.policy import register_action

        for action, roles in ACTION_ROLES.items():
            register_action(action, roles)
