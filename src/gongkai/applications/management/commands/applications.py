"""`gongkai applications remind`: e-mail handlers about applications overdue or due soon (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.applications.services import send_reminders


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "依申请公开：remind [--within N] 向经办人发送已超期或N个工作日内到期的申请提醒（每个机构每天一封）。")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help=gettext("发送期限提醒邮件"))
        remind.add_argument("--within", type=int, default=3, help=gettext("提前提醒的工作日数（默认3）"))

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders(within=max(0, options["within"]))
        self.stdout.write(gettext("已发送提醒邮件：%(count)s 个机构") % {"count": sent})
