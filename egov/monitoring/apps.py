from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Information security monitoring (信息安全监控): health, metrics, security incidents."""

    name = "egov.monitoring"
    label = "monitoring"
    verbose_name = _("信息安全监控")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Plug into core (ADR 0013): actions, menu entries, sign-in receiver, checks, demo."""
        from egov.core.demo import register_demo_loader
        from egov.core.menu import MenuEntry, register_menu_entry
        from egov.core.policy import register_action
        from egov.monitoring import checks, signins
        from egov.monitoring.demo import load_demo_monitoring
        from egov.monitoring.permissions import ACTION_ROLES, VIEW_INCIDENTS, VIEW_SYSTEMS

        for action, roles in ACTION_ROLES.items():
            register_action(action, roles)
        register_menu_entry(
            MenuEntry(
                VIEW_INCIDENTS,
                _("安全事件处置"),
                "monitoring:incidents",
                _("由安全事件关联出的可疑行为：确认、关闭"),
            )
        )
        register_menu_entry(
            MenuEntry(
                VIEW_SYSTEMS,
                _("系统与网站探测"),
                "monitoring:systems",
                _("清单中系统与网站的可用性、响应时间、证书到期"),
            )
        )
        signins.connect()
        checks.register()
        register_demo_loader("monitoring.inventory_and_incidents", load_demo_monitoring)
