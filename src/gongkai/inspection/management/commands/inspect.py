"""`gongkai inspect --org CODE [--at YYYY-MM-DD] [--format text|json]`: the website self-inspection.

Exit status: 0 when no single-veto indicator fails, 1 when one does (so operators can schedule it), 2 for bad
input (unknown organisation code, malformed or future date).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.inspection import selectors, services
from gongkai.inspection.plain_text import render_text


class Command(BaseCommand):
    help = gettext_lazy("网站自查：逐项检查指标并列出问题栏目和信息；有单项否决时退出码为 1，输入有误时为 2。")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help=gettext("机构代码，如 mckjj"))
        parser.add_argument("--at", default="", help=gettext("检查日期 YYYY-MM-DD（默认今天，不能晚于今天）"))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--check-links", action="store_true",
                            help=gettext("先检测站外链接（每个主机每秒最多一次、单次超时5秒、每次最多100个，结果缓存7天）"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = selectors.organisation_for(options["org"])
            at = selectors.parse_at(options["at"])
        except selectors.BadInput as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        if options["check_links"]:
            run = services.check_organisation_links(org, at)
            self.stderr.write(gettext("站外链接：检测 %(checked)s 个，使用缓存 %(cached)s 个，留待下次 %(skipped)s 个") % {"checked": run.checked, "cached": run.cached, "skipped": run.skipped})
        result = selectors.inspection(org, at)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(result), ending="")
        if result.vetoes:
            sys.exit(1)
