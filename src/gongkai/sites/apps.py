from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "gongkai.sites"
    label = "gongkai_sites"  # "sites" is django.contrib.sites' label
    verbose_name = "网站"

    def ready(self) -> None:
        from .selectors import connect_signals

        connect_signals()
