from django.apps import AppConfig


class TrustConfig(AppConfig):
    """Network trust (网络信任体系): crypto suites, CA, certificates, revocation."""

    name = "egov.trust"
    label = "trust"
    verbose_name = "网络信任 Trust"
