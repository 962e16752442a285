"""``gongkai website-report``: the website annual report (政府网站工作年度报表) of one site and year.

    gongkai website-report --org CODE --year YYYY [--format json|html|md|docx|pdf|xlsx] [--out FILE]

Prints (or writes) the site's published report on that year if there is one, else a report computed fresh from the
platform's data; its warnings go to standard error. Unknown organisation, bad year: exit 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.reports.render import OUTPUT_FORMATS

from .report import Command as ReportCommand

WEBSITE = "website"


class Command(ReportCommand):
    help = gettext_lazy("输出政府网站工作年度报表（已发布的，或按平台数据计算）。Render a site's website annual report.")
    requires_system_checks = "__all__"  # type: ignore[assignment]  # it reads the database, unlike `report check`

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help=gettext("机构代码（网站所属机构）"))
        parser.add_argument("--year", type=int, required=True, help=gettext("报表年度"))
        parser.add_argument("--format", dest="output_format", choices=OUTPUT_FORMATS, default="json",
                            help=gettext("输出格式"))
        parser.add_argument("--out", help=gettext("输出文件；省略则写到标准输出（docx、pdf、xlsx 须指定）"))

    def handle(self, *args: Any, **options: Any) -> None:
        self._build(options, family=WEBSITE)
