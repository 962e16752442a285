from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "gongkai.sites"
    label = "gongkai_sites"  # "sites" is django.contrib.sites' label
    verbose_name = _("网站")

    def ready(self) -> None:
        from .selectors import connect_signals

        connect_signals()
