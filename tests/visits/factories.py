"""A small site for the visit statistics: a city, a bureau with two columns and live items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Organisation
from gongkai.review.models import Revision

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0"


def live_item(column: Column, title: str, days_ago: int = 1) -> Item:
    when = timezone.now() - dt.timedelta(days=days_ago)
    item = Item.objects.create(organisation=column.organisation, column=column, title=title, published_at=when)
    ct = ContentType.objects.get_for_model(item)
    item.live_revision = Revision.objects.create(content_type=ct, object_id=item.pk, number=1, snapshot={})
    item.go_live_at = when
    item.save()
    return item


def build_site() -> dict[str, Any]:
    city = Organisation.objects.create(code="mcs", name="明川市人民政府", index_code="MCS", kind="government")
    bureau = Organisation.objects.create(code="kjj", name="明川市科学技术局", index_code="KJJ", parent=city)
    news = Column.objects.create(organisation=bureau, slug="gzdt", name="工作动态", update_class="news")
    notices = Column.objects.create(organisation=bureau, slug="tzgg", name="通知公告", sort_order=2)
    return {
        "city": city, "bureau": bureau, "news": news, "notices": notices,
        "story": live_item(news, "科技局召开创新工作推进会"), "notice": live_item(notices, "关于申报科技计划项目的通知"),
    }
