"""Reads of the visit statistics (访问统计): per day, totals over a period, rankings of columns, items and kinds.

Unique visitors are daily: a period's visitors are the sum of its days' unique visitors (the daily salt is
discarded, so nobody — the platform included — can tell that two days' visitors were the same person). The open
days (today, and yesterday for a few minutes after midnight) are counted from their marks as they stand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalog import selectors as catalog_selectors
from gongkai.orgs.models import Organisation

from .models import DailyVisits, Scope, VisitorMark
from .services import first_open_day

_MARK_FIELD: dict[str, str] = {Scope.KIND: "kind", Scope.COLUMN: "column_id", Scope.ITEM: "item_id"}


@dataclass(frozen=True)
class Day:
    day: dt.date
    views: int
    visitors: int


@dataclass(frozen=True)
class Ranked:
    """One column, item or page kind with its views and (daily, summed) visitors in a period."""

    key: str
    views: int
    visitors: int


def _open_visitors(org_ids: list[int], start: dt.date, end: dt.date, scope: str) -> dict[tuple[dt.date, str], int]:
    """Unique visitors of the open days in [start, end], per (day, key), summed over the organisations."""
    first_open = max(start, first_open_day())
    if first_open > end:
        return {}
    marks = VisitorMark.objects.filter(organisation_id__in=org_ids, day__gte=first_open, day__lte=end)
    field = _MARK_FIELD.get(scope)
    if field == "column_id":
        marks = marks.filter(column_id__gt=0)
    elif field == "item_id":
        marks = marks.filter(item_id__gt=0)
    columns = ["day", "organisation_id", *([field] if field else [])]
    found: dict[tuple[dt.date, str], int] = defaultdict(int)
    for row in marks.values_list(*columns).annotate(n=Count("visitor", distinct=True)):
        day, key, n = row[0], (str(row[2]) if field else ""), row[-1]
        found[(day, key)] += n
    return found


def _rows(org_ids: list[int], start: dt.date, end: dt.date, scope: str) -> Iterable[tuple[dt.date, str, int, int]]:
    rows = DailyVisits.objects.filter(organisation_id__in=org_ids, scope=scope, day__gte=start, day__lte=end)
    return rows.values_list("day", "key").annotate(v=Sum("views"), u=Sum("visitors")).order_by()


def _per_day_key(org_ids: Iterable[int], start: dt.date, end: dt.date, scope: str) -> dict[tuple[dt.date, str], list[int]]:
    ids = list(org_ids)
    figures: dict[tuple[dt.date, str], list[int]] = {}
    for day, key, views, visitors in _rows(ids, start, end, scope):
        figures[(day, key)] = [views or 0, visitors or 0]
    # An open day's rows hold its views so far and no visitors yet; its visitors are its marks (a closed day
    # has no marks left, and marks for a day arriving after it closed are dropped by the flush).
    for (day, key), n in _open_visitors(ids, start, end, scope).items():
        figures.setdefault((day, key), [0, 0])[1] += n
    return figures


def days(org_ids: Iterable[int], start: dt.date, end: dt.date) -> list[Day]:
    """Every day from `start` to `end` with the sites' views and unique visitors (zero where none came)."""
    figures = _per_day_key(org_ids, start, end, Scope.SITE)
    out = []
    day = start
    while day <= end:
        views, visitors = figures.get((day, ""), [0, 0])
        out.append(Day(day, views, visitors))
        day += dt.timedelta(days=1)
    return out


def totals(org_ids: Iterable[int], start: dt.date, end: dt.date) -> tuple[int, int]:
    """(page views, sum of daily unique visitors) of the sites in the period."""
    figures = _per_day_key(org_ids, start, end, Scope.SITE)
    return sum(v for v, _u in figures.values()), sum(u for _v, u in figures.values())


def ranking(
    org_ids: Iterable[int], start: dt.date, end: dt.date, scope: str, *, limit: int | None = 10
) -> list[Ranked]:
    """Columns, items or page kinds (`scope`) by views in the period, most viewed first."""
    summed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_day, key), (views, visitors) in _per_day_key(org_ids, start, end, scope).items():
        summed[key][0] += views
        summed[key][1] += visitors
    ranked = sorted((Ranked(key, v, u) for key, (v, u) in summed.items()), key=lambda r: (-r.views, -r.visitors, r.key))
    return ranked[:limit] if limit is not None else ranked


# ---- a site's statistics for the workspace (访问统计页) ----------------------------------------------------------

KIND_LABELS = {
    "home": gettext_lazy("门户首页"), "org": gettext_lazy("机构首页"), "column": gettext_lazy("栏目页"),
    "item": gettext_lazy("信息正文页"), "catalog": gettext_lazy("公开目录"), "search": gettext_lazy("站内搜索"),
    "guide": gettext_lazy("公开指南"), "duty_list": gettext_lazy("权责清单"), "report": gettext_lazy("年度报告"),
    "website_report": gettext_lazy("网站工作年度报表"), "letter": gettext_lazy("来信选登"),
    "letters": gettext_lazy("来信选登"), "consultation": gettext_lazy("意见征集"),
    "consultations": gettext_lazy("意见征集"), "index": gettext_lazy("政民互动"), "orgs": gettext_lazy("机构列表"),
    "list": gettext_lazy("年度报告列表"),
}
MAX_PERIOD_DAYS = 366 * 3


class BadPeriod(ValueError):
    """A period that cannot be shown; the message says why, in Chinese."""


def parse_period(params: Mapping[str, str], today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period of a statistics page: `days` (the last N days to today, default 30) or `start` and `end`."""
    today = today or timezone.localdate()
    if params.get("start") or params.get("end"):
        try:
            start = dt.date.fromisoformat(params.get("start", ""))
            end = dt.date.fromisoformat(params.get("end", "") or today.isoformat())
        except ValueError:
            raise BadPeriod(_("日期格式应为 YYYY-MM-DD。")) from None
    else:
        text = params.get("days", "30")
        if not text.isdigit() or not 1 <= int(text) <= MAX_PERIOD_DAYS:
            raise BadPeriod(_("天数应在 1 至 %(n)d 之间。") % {"n": MAX_PERIOD_DAYS})
        end, start = today, today - dt.timedelta(days=int(text) - 1)
    if start > end:
        raise BadPeriod(_("开始日期不能晚于结束日期。"))
    if end > today:
        raise BadPeriod(_("结束日期不能晚于今天。"))
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise BadPeriod(_("统计期间最长 %(n)d 天。") % {"n": MAX_PERIOD_DAYS})
    return start, end


@dataclass(frozen=True)
class Named:
    label: str
    url: str
    views: int
    visitors: int


@dataclass
class SiteStatistics:
    """One organisation's site over a period: totals, every day, and what was read most."""

    organisation: Organisation
    start: dt.date
    end: dt.date
    views: int
    visitors: int
    days: list[Day]
    columns: list[Named] = field(default_factory=list)
    items: list[Named] = field(default_factory=list)
    kinds: list[Named] = field(default_factory=list)

    @property
    def daily_views(self) -> float:
        return round(self.views / max(len(self.days), 1), 1)


def site_statistics(org: Organisation, start: dt.date, end: dt.date, *, limit: int = 10) -> SiteStatistics:
    ids = [org.pk]
    views, visitors = totals(ids, start, end)
    stats = SiteStatistics(org, start, end, views, visitors, days(ids, start, end))
    top_columns = ranking(ids, start, end, Scope.COLUMN, limit=limit)
    columns = catalog_selectors.column_names([int(r.key) for r in top_columns])
    for r in top_columns:
        column = columns.get(int(r.key))
        stats.columns.append(Named(
            column.name if column else _("（已删除的栏目）"), column.get_absolute_url() if column else "", r.views, r.visitors,
        ))
    top_items = ranking(ids, start, end, Scope.ITEM, limit=limit)
    titles = catalog_selectors.item_titles([int(r.key) for r in top_items])
    for r in top_items:
        title, public = titles.get(int(r.key), (_("（已删除的信息）"), False))
        stats.items.append(Named(title, reverse("portal:item", kwargs={"pk": int(r.key)}) if public else "",
                                 r.views, r.visitors))
    stats.kinds = [Named(str(KIND_LABELS.get(r.key, r.key)), "", r.views, r.visitors)
                   for r in ranking(ids, start, end, Scope.KIND, limit=None)]
    return stats
