from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Online approval (网上审批): service catalogue, applications, case workflow."""

    name = "egov.approvals"
    label = "approvals"
    verbose_name = _("网上审批")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Plug into core: permission actions, menu, demo data (ADR 0013), calendar subscriber."""
        from egov.approvals import subscribers
        from egov.approvals.demo import load_demo_catalogue
        from egov.approvals.demo_cases import load_demo_cases
        from egov.approvals.permissions import ACTION_ROLES, VIEW_CASE
        from egov.core.demo import register_demo_loader
        from egov.core.menu import MenuEntry, register_menu_entry
        from egov.core.policy import register_action

        for action, roles in ACTION_ROLES.items():
            register_action(action, roles)
        register_menu_entry(
            MenuEntry(VIEW_CASE, _("网上审批"), "approvals:queue", _("待办案件、时限亮灯、办理"))
        )
        register_menu_entry(
            MenuEntry(VIEW_CASE, _("审批统计"), "approvals:statistics", _("收件、办结、按时率"))
        )
        register_menu_entry(
            MenuEntry("account.view", _("我的办件"), "approvals:my_cases", _("申办事项与办理进度"))
        )
        register_demo_loader("approvals.catalogue", load_demo_catalogue)
        register_demo_loader("approvals.cases", load_demo_cases)
        subscribers.register()
