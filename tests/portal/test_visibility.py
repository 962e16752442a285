"""Nothing unpublished, scheduled or withdrawn is reachable by the public, by any portal URL; bad input is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.portal.factories import make_item

pytestmark = pytest.mark.django_db

HIDDEN = ("draft", "scheduled", "withdrawn")


def body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def public_urls(site: dict[str, Any]) -> list[str]:
    bureau = site["bureau"]
    urls = [
        "/", "/sitemap.xml", "/catalog/", "/catalog/?organisation=yckjj", "/search/?q=通知", bureau.get_absolute_url(),
    ]
    for col in (site["notices"], site["news"], site["policies"]):
        urls += [
            col.get_absolute_url(),
            reverse("portal:column_rss", kwargs={"code": bureau.code, "slug": col.slug}),
            reverse("portal:column_atom", kwargs={"code": bureau.code, "slug": col.slug}),
        ]
    return urls


def test_hidden_items_and_their_attachments_are_404(client: Client, site: dict[str, Any]) -> None:
    for state in HIDDEN:
        item = site[state]
        assert client.get(item.get_absolute_url()).status_code == 404, state
        for att in item.attachments.all():
            assert client.get(att.get_absolute_url()).status_code == 404, (state, att.original_name)
    # Uploaded to a live item's working copy, not yet in its reviewed version.
    assert client.get(site["hidden_attachment"].get_absolute_url()).status_code == 404


def test_hidden_items_appear_in_no_list_feed_sitemap_or_search(client: Client, site: dict[str, Any]) -> None:
    for url in public_urls(site):
        html = body(client, url)
        for state in HIDDEN:
            item = site[state]
            assert item.title not in html, (url, state)
            assert f"/items/{item.pk}/" not in html, (url, state)
    for url in ("/search/?q=草稿", "/search/?q=定时发布", "/search/?q=已撤稿", "/catalog/?q=撤稿"):
        assert "没有符合条件的信息" in body(client, url)


def test_an_item_goes_live_when_its_time_comes(client: Client, site: dict[str, Any]) -> None:
    scheduled = site["scheduled"]
    scheduled.go_live_at = timezone.now() - dt.timedelta(minutes=1)
    scheduled.save(update_fields=["go_live_at"])
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    att = scheduled.attachments.get()
    assert client.get(att.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", [
    "/org/nosuch/", "/org/nosuch/tzgg/", "/org/yckjj/nosuch/", "/org/yckjj/nosuch/rss.xml",
    "/org/yckjj/nosuch/atom.xml", "/org/nosuch/tzgg/rss.xml", "/org/nosuch/guide/", "/org/nosuch/duties/",
    "/org/yckjj/duties/nosuch/", "/org/yckjj/duties/responsibility/", "/org/yckjj/duties/power/999999/",
    "/items/999999/", "/attachments/999999/", "/items/abc/", "/sitemap-nosuch.xml", "/sitemap-items.xml?p=99",
    "/sitemap-items.xml?p=abc", "/org/yckjj/tzgg/?after=garbage", "/org/yckjj/tzgg/?after=1e400_1",
    "/org/yckjj/tzgg/?after=99999999999999999999_1", "/catalog/?after=x_y", "/search/?q=通知&page=%00", "/search/?q=通知&page=9999",
    "/sitemap.xml?p=2",
])
def test_unknown_things_and_bad_cursors_are_404_not_500(client: Client, site: dict[str, Any], url: str) -> None:
    assert client.get(url).status_code == 404


def test_inactive_column_is_404(client: Client, site: dict[str, Any]) -> None:
    news = site["news"]
    news.is_active = False
    news.save(update_fields=["is_active"])
    assert client.get(news.get_absolute_url()).status_code == 404


def test_attachment_download_headers(client: Client, site: dict[str, Any]) -> None:
    att = site["notice"].attachments.order_by("id").first()
    response = client.get(att.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 guide"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('2024年度科技项目申报指南.pdf')}" in disposition


def test_attachment_whose_file_is_gone_is_404(client: Client, site: dict[str, Any]) -> None:
    att = site["notice"].attachments.order_by("id").first()
    att.file.storage.delete(att.file.name)
    assert client.get(att.get_absolute_url()).status_code == 404


def test_script_in_search_and_filters_is_escaped(client: Client, site: dict[str, Any]) -> None:
    evil = '<script>alert("x")</script>'
    for url in (
        f"/search/?q={quote(evil)}",
        f"/catalog/?q={quote(evil)}&topic={quote(evil)}&organisation={quote(evil)}&year={quote(evil)}",
    ):
        html = body(client, url)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_catalog_ignores_invalid_filters_gently(client: Client, site: dict[str, Any]) -> None:
    html = body(client, "/catalog/?organisation=nosuch&topic=99&genre=zzz&year=abc&validity=maybe")
    for notice in ("未找到所选机构", "主题分类无效", "体裁分类无效", "年份无效", "有效性无效"):
        assert notice in html
    assert site["notice"].title in html  # the other conditions still apply: here, none
    assert "年份无效" in body(client, "/catalog/?year=99999999999999999999")
    assert "年份无效" in body(client, "/catalog/?year=١٢٣٤")  # non-ASCII digits


def test_catalog_filters_combine(client: Client, site: dict[str, Any]) -> None:
    html = body(client, "/catalog/?organisation=yckjj&genre=notice")
    assert site["notice"].title in html and site["policy"].title not in html
    html = body(client, "/catalog/?validity=valid")
    assert site["policy"].title in html and site["notice"].title not in html
    html = body(client, "/catalog/?organisation=ycs")  # the city's subtree includes its bureaus
    assert site["county_item"].title in html
    html = body(client, f"/catalog/?year={site['notice'].published_at.year}&topic=11")
    assert site["notice"].title in html and site["live_news"][0].title not in html


def test_catalog_subtree_filter_is_the_same_by_ids_and_by_path(
    client: Client, site: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small subtrees are filtered by their organisations' ids, large ones by path: the same items either way."""
    from gongkai.catalog import selectors

    by_ids = body(client, "/catalog/?organisation=ycs")
    monkeypatch.setattr(selectors, "SUBTREE_ID_LIMIT", 1)
    by_path = body(client, "/catalog/?organisation=ycs")
    assert site["county_item"].title in by_path
    assert by_ids == by_path


def test_search_matches_titles_and_document_numbers(client: Client, site: dict[str, Any]) -> None:
    def unmarked(url: str) -> str:  # matched words are highlighted with <mark> in titles and snippets
        return body(client, url).replace("<mark>", "").replace("</mark>", "")

    assert site["notice"].title in unmarked("/search/?q=" + quote("银科发〔2024〕3号"))
    assert site["policy"].title in unmarked("/search/?q=" + quote("高质量发展"))
    assert "<mark>高质量发展</mark>" in body(client, "/search/?q=" + quote("高质量发展"))  # the query as typed


def test_empty_and_overlong_search(client: Client, site: dict[str, Any]) -> None:
    html = body(client, "/search/?q=++")
    assert "请输入要查找的信息" in html
    long_query = "科" * 250
    html = body(client, "/search/?q=" + quote(long_query))
    assert "检索词过长" in html
    assert "科" * 201 not in html and "科" * 200 in html


@pytest.fixture
def many(site: dict[str, Any]) -> list[Any]:
    """45 live items in one column, several sharing the same second (the keyset's tie-break on id)."""
    base = timezone.now() - dt.timedelta(days=30)
    col = site["news"]
    items = []
    for i in range(45):
        when = base + dt.timedelta(hours=i // 3)  # three items per instant
        items.append(make_item(col, f"分页测试信息{i:02d}", published_at=when))
    return items


def test_column_keyset_pagination_has_no_duplicates_or_gaps(client: Client, site: dict[str, Any], many: list[Any]) -> None:
    url = site["news"].get_absolute_url()
    seen: list[int] = []
    pages = 0
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [i.pk for i in page.items]
        pages += 1
        html = response.content.decode()
        if pages > 1:
            assert "第一页" in html
        next_url = url + response.context["next_query"] if page.next_cursor else None
        if next_url:
            assert "下一页" in html and "?after=" in html
    expected = list(
        site["news"].items.filter(live_revision__isnull=False).order_by("-published_at", "-id").values_list("pk", flat=True)
    )
    assert seen == expected  # same order, each exactly once
    assert len(seen) == len(set(seen)) == 50 and pages == 3


def test_catalog_pagination_keeps_filters(client: Client, site: dict[str, Any], many: list[Any]) -> None:
    response = client.get("/catalog/?organisation=yckjj&genre=other")
    next_query = response.context["next_query"]
    assert "organisation=yckjj" in next_query and "genre=other" in next_query and "page=2" in next_query
    second = client.get("/catalog/" + next_query)
    assert second.status_code == 200
    first_ids = {i.pk for i in response.context["page"].items}
    assert not first_ids & {i.pk for i in second.context["page"].items}


def test_feeds_are_valid_xml_with_absolute_links(client: Client, site: dict[str, Any], settings: Any) -> None:
    settings.SITE_URL = "https://kjj.yinchuan.example"
    notices = site["notices"]
    # ElementTree on our own output (ruff S314 is about untrusted XML): a parse error means invalid XML.
    rss = ET.fromstring(body(client, reverse("portal:column_rss", kwargs={"code": "yckjj", "slug": notices.slug})))  # noqa: S314
    links = [e.text for e in rss.iter("link")]
    assert f"https://kjj.yinchuan.example{site['notice'].get_absolute_url()}" in links
    assert all(link and link.startswith("https://kjj.yinchuan.example/") for link in links)
    assert [e.text for e in rss.iter("title")][1:] == [site["notice"].title]

    atom_ns = "{http://www.w3.org/2005/Atom}"
    atom = ET.fromstring(body(client, reverse("portal:column_atom", kwargs={"code": "yckjj", "slug": notices.slug})))  # noqa: S314
    entries = atom.findall(f"{atom_ns}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{atom_ns}link").get("href") == f"https://kjj.yinchuan.example{site['notice'].get_absolute_url()}"


def test_not_found_page_looks_like_the_site(client: Client, site: dict[str, Any], settings: Any) -> None:
    settings.DEBUG = False
    response = client.get(site["draft"].get_absolute_url())
    assert response.status_code == 404
    html = response.content.decode()
    assert "您访问的页面不存在" in html and 'lang="zh-CN"' in html
    assert site["draft"].title not in html
