"""The catalog's numbered pages: a total, page numbers, a 栏目 filter, and a page that does not exist answered 404.

Counting is bounded (catalog.selectors.COUNT_CAP): past the cap the total reads "以上" and 下一页 goes on by keyset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.catalog import selectors as cat
from tests.portal.factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(site: dict[str, Any]) -> Any:
    base = timezone.now() - dt.timedelta(days=30)
    for i in range(45):
        make_item(site["news"], f"分页测试信息{i:02d}", published_at=base + dt.timedelta(hours=i // 3))
    return site["news"]


def test_numbered_pages_cover_every_item_once(news: Any) -> None:
    qs = cat.column_items(news)
    total = qs.count()
    first = cat.numbered_page(qs, 1, size=20)
    assert first is not None and first.total == total == 50 and first.page_count == 3
    assert not first.total_is_lower_bound and first.next_cursor is None
    seen = [i.pk for n in (1, 2, 3) for i in cat.numbered_page(qs, n, size=20).items]  # type: ignore[union-attr]
    assert seen == list(qs.order_by("-published_at", "-id").values_list("pk", flat=True))
    assert cat.numbered_page(qs, 4, size=20) is None and cat.numbered_page(qs, 0, size=20) is None
    assert cat.numbered_page(qs.none(), 1) is not None  # an empty list still has its page one


def test_a_capped_count_says_so_and_goes_on_by_keyset(news: Any) -> None:
    qs = cat.column_items(news)
    last = cat.numbered_page(qs, 2, size=10, cap=20)
    assert last is not None and last.total == 20 and last.total_is_lower_bound and last.page_count == 2
    assert last.next_cursor is not None
    rest = cat.page_of(qs, cursor=last.next_cursor, size=30)
    ordered = list(qs.order_by("-published_at", "-id").values_list("pk", flat=True))
    assert [i.pk for i in rest.items] == ordered[20:50]
    assert cat.numbered_page(qs, 3, size=10, cap=20) is None


def test_catalog_shows_total_page_numbers_and_keeps_filters(client: Client, news: Any) -> None:
    response = client.get("/catalog/?organisation=yckjj&page=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "第 2 页，共" in html and "条信息" in html
    assert 'aria-current="page"' in html and "organisation=yckjj&amp;page=3" in html
    assert "organisation=yckjj&amp;page=1" in html  # 上一页 keeps the filter


def test_column_filter(client: Client, site: dict[str, Any], news: Any) -> None:
    response = client.get("/catalog/?organisation=yckjj&column=zcwj")
    titles = [i.title for i in response.context["page"].items]
    assert titles and all("意见" in t or "解读" in t or "一图读懂" in t for t in titles)
    assert '<option value="zcwj" selected>' in response.content.decode()
    unscoped = client.get("/catalog/?column=zcwj")
    assert "栏目须与发布机构一同选择" in unscoped.content.decode()


@pytest.mark.parametrize("page", ["999", "0", "abc", "-1", "1e3"])
def test_a_page_that_does_not_exist_is_answered_as_such(client: Client, news: Any, page: str) -> None:
    response = client.get(f"/catalog/?organisation=yckjj&page={page}")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "目录共" in html
    assert "organisation=yckjj&amp;page=" in html  # a way to the last page, filter kept
