from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    """Network trust (网络信任体系): crypto suites, CA, certificates, revocation."""

    name = "egov.trust"
    label = "trust"
    verbose_name = "网络信任 Trust"

    def ready(self) -> None:
        """Plug into core's workbench menu and permission table (ADR 0013)."""
        from egov.core.menu import MenuEntry, register_menu_entry
        from egov.core.policy import ANY_STAFF, RA_OFFICER, register_action

        register_action("trust.sign", [ANY_STAFF])
        register_menu_entry(
            MenuEntry("trust.sign", _("文件签名"), "trust:sign", _("用本人证书私钥签署文件"))
        )
        register_menu_entry(
            MenuEntry(
                "audit.view", _("签名记录"), "trust:signatures", _("谁签署了什么，查看时重新验证")
            )
        )
        register_action("trust.ra_review", [RA_OFFICER])
        register_action("trust.ra_revoke", [RA_OFFICER])
        register_menu_entry(
            MenuEntry(
                "trust.ra_review", _("证书审核"), "trust:ra_queue", _("核验身份，审核证书申请")
            )
        )
        register_menu_entry(
            MenuEntry(
                "workbench.view",
                _("我的证书"),
                "trust:my_certificates",
                _("申请、下载、更新、吊销"),
            )
        )
        register_menu_entry(
            MenuEntry(
                "account.view", _("我的证书"), "trust:my_certificates", _("申请、下载、更新、吊销")
            )
        )
