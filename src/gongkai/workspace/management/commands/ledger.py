"""`gongkai ledger items|applications|letters --org CODE [--from YYYY-MM-DD] [--to YYYY-MM-DD] --out FILE.xlsx`.

The workspace's ledgers (台账) from the command line, for an organisation and a period: items published in it,
applications and letters received in it. Run with the operator's rights (every organisation may be named).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.catalog.selectors import ItemFilters
from gongkai.core.spreadsheets import workbook_bytes
from gongkai.orgs.selectors import organisation_by_code
from gongkai.workspace import ledgers

# The operator at the command line reads every organisation, as a superuser would in the workspace.
OPERATOR = SimpleNamespace(is_superuser=True, is_authenticated=True, pk=None)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(gettext("日期格式应为 YYYY-MM-DD：%(value)r") % {"value": value}) from None


class Command(BaseCommand):
    help = gettext_lazy("导出台账（Excel）：已发布信息、依申请公开、局长信箱来信。Writes a ledger as xlsx.")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ledgers.KINDS)
        parser.add_argument("--org", required=True, help=gettext("机构代码（gongkai orgs 列出）"))
        parser.add_argument("--from", dest="date_from", type=_date, help=gettext("起始日期（含）"))
        parser.add_argument("--to", dest="date_to", type=_date, help=gettext("截止日期（含）"))
        parser.add_argument("--out", required=True, help=gettext("输出文件，如 ledger.xlsx"))

    def handle(self, *args: Any, **options: Any) -> None:
        org = organisation_by_code(options["org"])
        if org is None:
            raise CommandError(gettext("没有机构代码为 %(code)r 的机构（gongkai orgs 列出全部）。") % {"code": options["org"]})
        period = ledgers.Period(options["date_from"], options["date_to"])
        if period.start and period.end and period.end < period.start:
            raise CommandError(gettext("--to 不能早于 --from。"))
        kind = options["kind"]
        if kind == "items":
            sheet = ledgers.items_sheet(OPERATOR, ItemFilters(
                org=org, date_from=period.start, date_to=period.end, ever_published=True))
        elif kind == "applications":
            sheet = ledgers.applications_sheet(OPERATOR, org=org, period=period)
        else:
            sheet = ledgers.letters_sheet(OPERATOR, org=org, period=period)
        out = Path(options["out"])
        try:
            out.write_bytes(workbook_bytes([sheet]))
        except OSError as exc:
            raise CommandError(gettext("无法写入 %(out)s：%(reason)s") % {"out": out, "reason": exc.strerror}) from None
        self.stdout.write(gettext("%(filename)s：%(count)s 行 → %(out)s") % {"filename": ledgers.filename(kind, org, period), "count": len(list(sheet.rows)), "out": out})
