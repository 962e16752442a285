from django.apps import AppConfig


class InspectionConfig(AppConfig):
    """网站自查: the national website rules evaluated per organisation, availability probes, link checks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.inspection"
    verbose_name = "网站自查"

    def ready(self) -> None:
        import datetime as dt

        from gongkai.core.periodic import register_periodic

        from .services import send_digests

        register_periodic("inspection.weekly_digest", dt.timedelta(days=7), send_digests)
