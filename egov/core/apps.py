from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Regions, organisations, people and roles, calendar, audit chain, event outbox."""

    name = "egov.core"
    label = "core"
    verbose_name = "核心 Core"
