"""`gongkai mailbox-reminders`: e-mail staff about letters whose reply limit is near or past (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.interaction.services import send_due_reminders


class Command(BaseCommand):
    help = "向承办人发送局长信箱来信到期提醒邮件（每封来信提醒一次）。Sends reply-limit reminders to staff."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"已发送到期提醒 {sent} 封。")
