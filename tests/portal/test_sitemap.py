"""sitemap.xml: every live item, column and organisation page; an index once past the limit."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from gongkai.catalog.selectors import live_items
from gongkai.portal import sitemaps

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml(client: Client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to check it is well formed


def locs(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{NS}loc")]


def test_sitemap_lists_live_items_columns_and_organisations(client: Client, site: dict[str, Any], settings: Any) -> None:
    settings.SITE_URL = "https://www.yinchuan.example"
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{NS}urlset"
    urls = locs(root)
    base = "https://www.yinchuan.example"
    for key in ("notice", "policy", "interpretation", "county_item"):
        assert base + site[key].get_absolute_url() in urls
    for key in ("news", "notices", "policies", "county_news"):
        assert base + site[key].get_absolute_url() in urls
    for key in ("city", "bureau", "county"):
        assert base + site[key].get_absolute_url() in urls
    for key in ("draft", "scheduled", "withdrawn"):
        assert base + site[key].get_absolute_url() not in urls
    assert len(urls) == len(set(urls))


def test_sitemap_becomes_an_index_past_the_limit(
    client: Client, site: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SITE_URL = "https://www.yinchuan.example"
    root = xml(client, "/sitemap.xml")
    total = len(locs(root))
    # Exactly at the limit: still one file.
    for cls in sitemaps.SITEMAPS.values():
        monkeypatch.setattr(cls, "limit", total)
    assert xml(client, "/sitemap.xml").tag == f"{NS}urlset"

    # One address more than the limit allows: an index of per-section files, each paginated by the limit.
    limit = 4
    for cls in sitemaps.SITEMAPS.values():
        monkeypatch.setattr(cls, "limit", limit)
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{NS}sitemapindex"
    entries = locs(index)
    items_n = live_items().count()
    assert items_n == 9  # build_site: 5 news, a notice, a policy, its interpretation, a county item
    expected_item_pages = -(-items_n // limit)
    assert entries[:expected_item_pages] == [
        "https://www.yinchuan.example/sitemap-items.xml",
        *[f"https://www.yinchuan.example/sitemap-items.xml?p={p}" for p in range(2, expected_item_pages + 1)],
    ]
    assert "https://www.yinchuan.example/sitemap-columns.xml" in entries
    assert "https://www.yinchuan.example/sitemap-orgs.xml" in entries

    # Following the index gives back every address exactly once, no section page over the limit.
    collected: list[str] = []
    for entry in entries:
        page = xml(client, entry.removeprefix("https://www.yinchuan.example"))
        assert page.tag == f"{NS}urlset"
        assert len(locs(page)) <= limit
        collected += locs(page)
    assert sorted(collected) == sorted(locs(root))
    assert client.get(f"/sitemap-items.xml?p={expected_item_pages + 1}").status_code == 404
