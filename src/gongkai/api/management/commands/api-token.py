"""`gongkai api-token USERNAME --name 用途`: issue an API token for a staff member (the key is shown once);
`--revoke ID` revokes one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.api.models import ApiToken


class Command(BaseCommand):
    help = gettext_lazy("签发或吊销 API 令牌（Issue or revoke an API token）.")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="script")
        parser.add_argument("--revoke", type=int, help="revoke the token with this id")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["revoke"]:
            if not ApiToken.objects.filter(pk=options["revoke"]).update(revoked=True):
                raise CommandError(gettext("没有这个令牌。"))
            self.stdout.write(gettext("已吊销。"))
            return
        user = get_user_model().objects.filter(username=options["username"] or "").first()
        if user is None or not user.is_active:
            raise CommandError(gettext("没有这个（有效的）用户。"))
        token, key = ApiToken.issue(user, options["name"])
        self.stdout.write(gettext("令牌 %(pk)s（%(name)s）：%(key)s\n请妥善保存，此后不再显示。") % {"pk": token.pk, "name": token.name, "key": key})
