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
