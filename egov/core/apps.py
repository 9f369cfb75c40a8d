from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Regions, organisations, people and roles, calendar, audit chain, event outbox."""

    name = "egov.core"
    label = "core"
    verbose_name = "核心 Core"

    def ready(self) -> None:
        """Record failed logins and lockouts as security events; menu entry for auditors."""
        from django.utils.translation import gettext_lazy as _

        from egov.core import auth_events
        from egov.core.menu import MenuEntry, register_menu_entry

        auth_events.connect()
        register_menu_entry(
            MenuEntry(
                "audit.view",
                _("安全事件"),
                "core:security_events",
                _("登录失败、锁定、证书吊销、权限变更等"),
            )
        )
