from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The exchange gateway (交换平台): members, signed envelopes, inbox, receipts."""

    name = "egov.exchange"
    label = "exchange"
    verbose_name = _("互联互通")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the platform's own message type (``document``); domain apps add theirs."""
        from egov.exchange import documents

        documents.register()
