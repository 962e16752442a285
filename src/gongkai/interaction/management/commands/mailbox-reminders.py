"""`gongkai mailbox-reminders`: e-mail staff about letters whose reply limit is near or past (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext, gettext_lazy

from gongkai.interaction.services import send_due_reminders


class Command(BaseCommand):
    help = gettext_lazy("向承办人发送局长信箱来信到期提醒邮件（每封来信提醒一次）。Sends reply-limit reminders to staff.")  # type: ignore[assignment]

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        self.stdout.write(gettext("已发送到期提醒 %(count)s 封。") % {"count": sent})
