"""`gongkai inspect-digest [--at YYYY-MM-DD]`: the weekly self-inspection e-mail to each organisation's
administrators (schedule it weekly, e.g. with cron or a systemd timer)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.inspection import selectors, services


class Command(BaseCommand):
    help = gettext_lazy("向各机构管理员发送网站自查周报（邮件）。")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", default="", help=gettext("检查日期 YYYY-MM-DD（默认今天）"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            at = selectors.parse_at(options["at"])
        except selectors.BadInput as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        sent = services.send_digests(at)
        for s in sent:
            self.stderr.write(gettext("%(code)s: %(count)s 位管理员，单项否决 %(failed_vetoes)s 项") % {"code": s.organisation.code, "count": len(s.recipients), "failed_vetoes": s.failed_vetoes})
        self.stderr.write(gettext("已发送 %(count)s 份自查周报。") % {"count": len(sent)})
