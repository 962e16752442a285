"""`gongkai reset-second-factor USERNAME`: remove an account's authenticator and recovery codes (lost phone)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy

from gongkai.accounts.services import remove_second_factor


class Command(BaseCommand):
    help = gettext_lazy("解除账号的双因素认证（手机丢失且恢复码用完时）；该账号下次登录时重新启用。记入审计记录。")  # type: ignore[assignment]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("没有账号 %(username)s") % {"username": username})
        remove_second_factor(None, user)
        self.stdout.write(gettext("已解除 %(username)s 的双因素认证；其下次登录时须重新启用。") % {"username": username})
