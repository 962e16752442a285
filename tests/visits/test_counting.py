"""Counting public page views at the server: what counts, under which site, column and item, cached pages too,
unique visitors from a daily salted hash that is forgotten when the day closes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import serializers
from django.test import Client
from django.utils import timezone

from gongkai.portal import page_cache
from gongkai.visits import selectors, services
from gongkai.visits.buffer import BUFFER
from gongkai.visits.models import DailySalt, DailyVisits, VisitorMark
from tests.visits.factories import BROWSER, PHONE

ADDRESS = "203.0.113.7"


def get(client: Client, url: str, *, agent: str = BROWSER, address: str = ADDRESS, **extra: Any) -> Any:
    return client.get(url, HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **extra)


def views_of(org: Any) -> dict[tuple[str, str], int]:
    return {(r.scope, r.key): r.views for r in DailyVisits.objects.filter(organisation=org)}


def test_an_item_page_counts_for_its_site_kind_column_and_item(client: Client, site: dict[str, Any]) -> None:
    response = get(client, site["story"].get_absolute_url())
    assert response.status_code == 200 and not response.cookies  # nothing set in the visitor's browser
    assert services.flush() == 1
    assert views_of(site["bureau"]) == {
        ("site", ""): 1, ("kind", "item"): 1, ("column", str(site["news"].pk)): 1, ("item", str(site["story"].pk)): 1,
    }


def test_platform_pages_count_for_the_root_organisation(client: Client, site: dict[str, Any]) -> None:
    get(client, "/")
    get(client, "/catalog/")
    get(client, f"/org/{site['bureau'].code}/{site['notices'].slug}/")
    services.flush()
    assert views_of(site["city"]) == {("site", ""): 2, ("kind", "home"): 1, ("kind", "catalog"): 1}
    assert views_of(site["bureau"])[("column", str(site["notices"].pk))] == 1


@pytest.mark.parametrize("case", ["bot", "script", "no agent", "prefetch", "head", "not found", "staff page",
                                  "not html"])
def test_what_is_not_a_person_reading_a_public_page_is_not_counted(
    client: Client, site: dict[str, Any], case: str
) -> None:
    item = site["story"].get_absolute_url()
    response = {
        "bot": lambda: get(client, item, agent="Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"),
        "script": lambda: get(client, item, agent="python-requests/2.32"),
        "no agent": lambda: get(client, item, agent=""),
        "prefetch": lambda: get(client, item, HTTP_SEC_PURPOSE="prefetch"),
        "head": lambda: client.head(item, HTTP_USER_AGENT=BROWSER),
        "not found": lambda: get(client, "/items/999999/"),
        "staff page": lambda: get(client, "/workspace/login/"),
        "not html": lambda: get(client, "/robots.txt"),
    }[case]()
    assert response.status_code in (200, 404)
    services.flush()
    assert not DailyVisits.objects.exists()


def test_a_cached_page_counts_as_its_view_counted_it(client: Client, site: dict[str, Any], settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    page_cache.clear()
    try:
        url = site["story"].get_absolute_url()
        assert get(client, url)[page_cache.HEADER] == "miss"
        assert get(client, url, address="198.51.100.2")[page_cache.HEADER] == "hit"
    finally:
        page_cache.clear()
    services.flush()
    counted = views_of(site["bureau"])
    assert counted[("item", str(site["story"].pk))] == counted[("column", str(site["news"].pk))] == 2
    today = timezone.localdate()
    assert selectors.totals([site["bureau"].pk], today, today) == (2, 2)


def test_unique_visitors_are_counted_per_day_from_a_salted_hash(client: Client, site: dict[str, Any]) -> None:
    url = site["story"].get_absolute_url()
    get(client, url)
    get(client, url)  # the same person again
    get(client, url, agent=PHONE)  # same address, another device: another visitor
    services.flush()  # the first hits waited for the day's salt; now the process knows it
    assert BUFFER.salt(timezone.localdate()) is not None
    get(client, url, address="198.51.100.9")  # hashed at once
    get(client, site["notice"].get_absolute_url(), address="198.51.100.9")
    services.flush()
    today = timezone.localdate()
    assert selectors.totals([site["bureau"].pk], today, today) == (5, 3)
    ranked = selectors.ranking([site["bureau"].pk], today, today, "item")
    assert [(r.key, r.views, r.visitors) for r in ranked] == [
        (str(site["story"].pk), 4, 3), (str(site["notice"].pk), 1, 1),
    ]
    assert all(re.fullmatch(r"[0-9a-f]{32}", v) for v in VisitorMark.objects.values_list("visitor", flat=True))


def test_closing_a_day_keeps_its_figures_and_forgets_every_hash_and_salt(
    client: Client, site: dict[str, Any]
) -> None:
    url = site["story"].get_absolute_url()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.2"):
        get(client, url, address=address)
    services.flush()
    today = timezone.localdate()
    assert VisitorMark.objects.exists() and DailySalt.objects.filter(day=today).exists()
    assert services.close_days() == 0  # today is still open
    midnight = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    assert services.close_days(now=midnight + dt.timedelta(minutes=5)) == 0  # the grace period for late flushes
    assert services.close_days(now=midnight + dt.timedelta(minutes=30)) == 1
    assert not VisitorMark.objects.exists() and not DailySalt.objects.filter(day__lte=today).exists()
    site_row = DailyVisits.objects.get(organisation=site["bureau"], scope="site")
    assert (site_row.views, site_row.visitors) == (3, 2)
    assert DailyVisits.objects.get(organisation=site["bureau"], scope="item").visitors == 2
    stored = serializers.serialize("json", [*DailyVisits.objects.all(), *DailySalt.objects.all()])
    assert "203.0.113" not in stored and "Mozilla" not in stored


def test_hits_of_a_closed_day_add_views_but_no_marks(site: dict[str, Any]) -> None:
    from gongkai.visits.attribution import Target

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    BUFFER.record(Target("home"), yesterday, ADDRESS, BROWSER)
    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    services.flush(now=noon)  # yesterday closed ten minutes after midnight
    assert DailyVisits.objects.get(organisation=site["city"], scope="site", day=yesterday).views == 1
    assert not VisitorMark.objects.filter(day=yesterday).exists()


def test_a_failed_flush_loses_nothing(client: Client, site: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    get(client, site["story"].get_absolute_url())

    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "store", broken)
    with pytest.raises(RuntimeError):
        services.flush()
    monkeypatch.undo()
    assert services.flush() == 1


def test_days_fill_the_period_and_sum_the_sites(client: Client, site: dict[str, Any]) -> None:
    get(client, site["story"].get_absolute_url())
    get(client, "/")
    services.flush()
    today = timezone.localdate()
    week = selectors.days([site["city"].pk, site["bureau"].pk], today - dt.timedelta(days=6), today)
    assert [d.views for d in week] == [0] * 6 + [2]
    assert week[-1].visitors == 2  # one person, two sites: a visitor of each
