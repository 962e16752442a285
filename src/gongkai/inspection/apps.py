from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class InspectionConfig(AppConfig):
    """网站自查: the national website rules evaluated per organisation, availability probes, link checks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.inspection"
    verbose_name = gettext_lazy("网站自查")

    def ready(self) -> None:
        import datetime as dt
        from dataclasses import asdict

        from django.conf import settings

        from gongkai.core.periodic import register_periodic
        from gongkai.reports.sources import register_provider

        from .selectors import run_figures
        from .services import probe_round, record_runs, send_digests

        register_periodic("inspection.weekly_digest", dt.timedelta(days=7), send_digests, start_immediately=False)
        # The weekly self-inspection of every site, kept: the website annual report counts runs and problems fixed.
        register_periodic("inspection.record_runs", dt.timedelta(days=7), record_runs)
        register_provider("inspection", lambda f: asdict(run_figures(f.org, f.start, f.end)))
        # The availability indicator needs probes over the last 7 days: the site's own pages, at a gentle pace.
        register_periodic("inspection.probe", dt.timedelta(minutes=10), lambda: len(probe_round(settings.SITE_URL)))
