from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The exchange gateway (交换平台): members, signed envelopes, inbox, receipts."""

    name = "egov.exchange"
    label = "exchange"
    verbose_name = _("互联互通")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the platform's own message type (``document``; domain apps add theirs),
        and the demo member with its case history, after the domain apps' demo data."""
        from egov.core.demo import DemoSetting, register_demo_loader, register_demo_setting
        from egov.exchange import documents
        from egov.exchange.demo import DEMO_CA_PASSPHRASE, load_demo_exchange

        documents.register()
        register_demo_setting(
            DemoSetting(
                "EGOV_CA_PASSPHRASE",
                DEMO_CA_PASSPHRASE,
                "passphrase of the demo's own CA (演示CA口令)",
            )
        )
        register_demo_loader("exchange.member_and_messages", load_demo_exchange)
