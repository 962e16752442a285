from django.apps import AppConfig


class InspectionConfig(AppConfig):
    """网站自查: the national website rules evaluated per organisation, availability probes, link checks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.inspection"
    verbose_name = "网站自查"

    def ready(self) -> None:
        import datetime as dt

        from django.conf import settings

        from gongkai.core.periodic import register_periodic

        from .services import probe_round, send_digests

        register_periodic("inspection.weekly_digest", dt.timedelta(days=7), send_digests, start_immediately=False)
        # The availability indicator needs probes over the last 7 days: the site's own pages, at a gentle pace.
        register_periodic("inspection.probe", dt.timedelta(minutes=10), lambda: len(probe_round(settings.SITE_URL)))
