import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = gettext_lazy("核心")

    def ready(self) -> None:
        from .mail import deliver_due
        from .periodic import register_periodic
        from .ratelimit import purge_expired

        register_periodic("core.mail", dt.timedelta(minutes=1), deliver_due)
        register_periodic("core.ratelimit_purge", dt.timedelta(hours=1), purge_expired)
