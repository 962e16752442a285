"""Demo visit statistics (演示数据：访问统计) for `gongkai demo`.

A demo database has no visitors, so the past is simulated: closed daily aggregates from 1 January of last year
to yesterday for every organisation's site (more on weekdays, fewer on holidays and weekends, the city portal
busiest), spread over its page kinds, its columns and its most recent items. Real counting starts the moment the
demo portal is browsed; today's figures are the real ones.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.management.color import no_style
from django.db import connection

from gongkai.catalog.models import Column, Item
from gongkai.core.db import BulkRows
from gongkai.demo.city import DemoContext
from gongkai.orgs.models import Organisation
from gongkai.visits.models import DailyVisits, Scope

KIND_SHARES = {"item": 0.46, "column": 0.22, "org": 0.12, "home": 0.10, "search": 0.06, "guide": 0.04}
ITEMS_PER_DAY = 4


def _daily_base(org: Organisation) -> int:
    if org.parent_id is None:
        return 900
    return 260 if org.kind == Organisation.Kind.DEPARTMENT and org.parent and org.parent.parent_id is None else 120


def build(ctx: DemoContext) -> None:
    start = dt.date(ctx.today.year - 1, 1, 1)
    rows: list[dict[str, object]] = []
    total_views = 0
    for code, org in ctx.orgs.items():
        rng = ctx.rng(f"visits:{code}")
        columns = list(Column.objects.filter(organisation=org, is_active=True).order_by("sort_order", "id"))
        weights = [rng.uniform(0.5, 3.0) for _ in columns]
        items = list(Item.objects.live().filter(organisation=org).order_by("-published_at").values_list("pk", "column_id", "published_at"))
        day = start
        while day < ctx.today:
            factor = 0.45 if day.weekday() >= 5 else 1.0
            views = max(1, int(_daily_base(org) * factor * rng.uniform(0.7, 1.3)))
            visitors = max(1, int(views * rng.uniform(0.35, 0.55)))
            total_views += views
            rows.append(dict(day=day, organisation_id=org.pk, scope=Scope.SITE, key="", views=views, visitors=visitors))
            home_kind = "home" if org.parent_id is None else "org"
            kinds: Counter[str] = Counter()
            for kind, share in KIND_SHARES.items():
                kinds["org" if kind == "home" and org.parent_id is not None else kind] += int(views * share)
            kinds[home_kind] += views - sum(kinds.values())
            for kind, n in kinds.items():
                if n:
                    rows.append(dict(day=day, organisation_id=org.pk, scope=Scope.KIND, key=kind, views=n,
                                            visitors=max(1, int(n * visitors / views))))
            column_views = kinds["column"] + kinds["item"]
            if columns:
                shares = [w * rng.uniform(0.6, 1.4) for w in weights]
                total = sum(shares)
                for column, share in zip(columns, shares, strict=True):
                    n = int(column_views * share / total)
                    if n:
                        rows.append(dict(day=day, organisation_id=org.pk, scope=Scope.COLUMN, key=str(column.pk),
                                                views=n, visitors=max(1, int(n * visitors / views))))
            recent = [pk for pk, _col, published in items if published and published.date() <= day][:40]
            for pk in rng.sample(recent, min(ITEMS_PER_DAY, len(recent))):
                n = max(1, int(kinds["item"] * rng.uniform(0.02, 0.12)))
                rows.append(dict(day=day, organisation_id=org.pk, scope=Scope.ITEM, key=str(pk), views=n,
                                        visitors=max(1, int(n * 0.7))))
            day += dt.timedelta(days=1)
    # Straight into the table (bulk_create spent most of the stage preparing 90,000 model instances); the demo
    # runs on an empty database, so the ids are ours to number, and the sequence is moved past them.
    bulk = BulkRows(DailyVisits, connection.vendor)
    bulk.write([bulk.row({"id": n, **row}) for n, row in enumerate(rows, start=1)])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [DailyVisits]):
            cursor.execute(statement)
    ctx.report(f"访问统计：模拟 {start:%Y-%m-%d} 至昨日的每日汇总 {len(rows)} 行，共 {total_views} 次浏览；"
               "今天起浏览门户即真实计数。")
