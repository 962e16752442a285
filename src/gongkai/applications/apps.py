from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """`migrate` also creates the database cache table the rate limits use (createcachetable is idempotent)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from gongkai.core.calendar_services import on_calendar_changed

        from .services import recompute_open_deadlines

        def recompute(change: Any) -> None:
            recompute_open_deadlines(change)

        on_calendar_changed(recompute)

        import datetime as dt

        from gongkai.core.periodic import register_periodic

        from .services import send_reminders

        register_periodic("applications.reminders", dt.timedelta(hours=6), send_reminders)
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="gongkai.applications.cachetable")
