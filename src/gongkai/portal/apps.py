from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = gettext_lazy("门户")

    def ready(self) -> None:
        from . import static_site
        from .page_cache import connect_signals

        connect_signals()
        static_site.connect()
