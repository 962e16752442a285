from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy

from gongkai.orgs.selectors import organisations_in_order


class Command(BaseCommand):
    help = gettext_lazy("列出所有机构：每行一个，机构代码在前。Lists organisations, one a line, code first.")  # type: ignore[assignment]

    def handle(self, *args: Any, **options: Any) -> None:
        for org in organisations_in_order():
            self.stdout.write(f"{org.code}\t{org.name}")
