from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Disaster recovery (容灾备份): snapshots, verification, restore, drills."""

    name = "egov.backup"
    label = "backup"
    verbose_name = "容灾备份 Backup"

    def ready(self) -> None:
        """Plug into core's permissions, menu, demo, readiness and gauges (ADR 0013, 0043)."""
        from egov.backup import readiness
        from egov.backup.demo import DEMO_BACKUP_PASSWORD, load_demo_backup
        from egov.core.demo import DemoSetting, register_demo_loader, register_demo_setting
        from egov.core.menu import MenuEntry, register_menu_entry
        from egov.core.policy import ADMINISTRATOR, register_action

        register_action("backup.manage", [ADMINISTRATOR])
        register_menu_entry(
            MenuEntry(
                "backup.manage",
                _("容灾备份"),
                "backup:overview",
                _("备份快照、校验、恢复演练与 RPO/RTO"),
            )
        )
        readiness.register()
        register_demo_setting(
            DemoSetting(
                "EGOV_BACKUP_PASSWORD",
                DEMO_BACKUP_PASSWORD,
                "password of the demo's own backup repository (演示备份库口令)",
            )
        )
        register_demo_loader("backup.snapshot_and_drill", load_demo_backup)
