"""`gongkai inspect-digest [--at YYYY-MM-DD]`: the weekly self-inspection e-mail to each organisation's
administrators (schedule it weekly, e.g. with cron or a systemd timer)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.inspection import selectors, services


class Command(BaseCommand):
    help = "向各机构管理员发送网站自查周报（邮件）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", default="", help="检查日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            at = selectors.parse_at(options["at"])
        except selectors.BadInput as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        sent = services.send_digests(at)
        for s in sent:
            self.stderr.write(f"{s.organisation.code}: {len(s.recipients)} 位管理员，单项否决 {s.failed_vetoes} 项")
        self.stderr.write(f"已发送 {len(sent)} 份自查周报。")
