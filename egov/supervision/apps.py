from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Electronic supervision (电子监察): case data from every department, rules, findings."""

    name = "egov.supervision"
    label = "supervision"
    verbose_name = _("电子监察")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Plug into core: permission actions (ADR 0013). Helpers add menu, demo, subscribers."""
        from egov.core.policy import register_action
        from egov.supervision.permissions import ACTION_ROLES

        for action, roles in ACTION_ROLES.items():
            register_action(action, roles)
        from egov.supervision.collection import internal as collection

        collection.register()  # our approvals' case events and ItemPublished, by the outbox
        from egov.supervision.collection import exchange_inbound

        exchange_inbound.register()  # departments' case events through the exchange (ADR 0061)
        register_dashboard_menu()
        register_findings_menu()
        register_rules_and_demo()
        register_notices_demo()


def register_dashboard_menu() -> None:
    """The supervision home and the statistics page in the workbench menu (S4)."""
    from egov.core.menu import MenuEntry, register_menu_entry
    from egov.supervision.permissions import VIEW

    register_menu_entry(
        MenuEntry(VIEW, _("监察总览"), "supervision:home", _("关键指标、亮灯、发现、预警、排名"))
    )
    register_menu_entry(
        MenuEntry(VIEW, _("统计分析"), "supervision:statistics", _("按地区、部门、事项统计与导出"))
    )


def register_findings_menu() -> None:
    """Findings, notices and alerts in the workbench menu (S3)."""
    from egov.core.menu import MenuEntry, register_menu_entry
    from egov.supervision.permissions import COMPLAIN, RESPOND, VIEW

    register_menu_entry(
        MenuEntry(VIEW, _("监察发现"), "supervision:findings", _("规则发现、督办、升级、黄牌红牌"))
    )
    register_menu_entry(
        MenuEntry(RESPOND, _("督办通知"), "supervision:notices", _("本部门收到的督办与反馈"))
    )
    register_menu_entry(
        MenuEntry(
            "workbench.view", _("我的提醒"), "supervision:alerts", _("办件临期、超期等预警提醒")
        )
    )
    register_menu_entry(
        MenuEntry(
            COMPLAIN, _("效能投诉"), "supervision:complaints", _("对办件办理情况的投诉及处理结果")
        )
    )


def register_rules_and_demo() -> None:
    """The rules page in the menu and the demo month, after the approvals catalogue (S2)."""
    from egov.core.demo import register_demo_loader
    from egov.core.menu import MenuEntry, register_menu_entry
    from egov.supervision.demo.month import load_demo_supervision
    from egov.supervision.permissions import VIEW

    register_menu_entry(
        MenuEntry(VIEW, _("监察规则"), "supervision:rules", _("规则、法律依据、参数与启停"))
    )
    register_demo_loader("supervision.month", load_demo_supervision)


def register_notices_demo() -> None:
    """Demo notices at each stage, after the demo month (S3)."""
    from egov.core.demo import register_demo_loader
    from egov.supervision.demo.notices import load_demo_notices

    register_demo_loader("supervision.notices", load_demo_notices)
