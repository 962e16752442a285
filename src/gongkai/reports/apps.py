from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = _("年度报告")

    def ready(self) -> None:
        from django.conf import settings

        from .spec import add_format_dir

        # Formats an operator adds as data files (GONGKAI_REPORT_FORMAT_DIRS), beside the shipped ones.
        for directory in getattr(settings, "REPORT_FORMAT_DIRS", []):
            add_format_dir(directory)
