from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self) -> None:
        from .page_cache import connect_signals

        connect_signals()
