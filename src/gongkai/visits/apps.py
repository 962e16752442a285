from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class VisitsConfig(AppConfig):
    """网站访问统计: page views and unique visitors counted by the platform itself, as daily aggregates."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.visits"
    verbose_name = gettext_lazy("访问统计")

    def ready(self) -> None:
        import datetime as dt

        from gongkai.core.periodic import register_periodic

        from .services import close_days

        register_periodic("visits.close_days", dt.timedelta(hours=1), close_days)
