"""Shared page pieces (gongkai.portal.fragments): read once per publication generation, never stale after a
change, and the pages that use them render exactly as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.catalog.models import Column
from gongkai.orgs import selectors as org_selectors
from gongkai.orgs.models import Organisation
from gongkai.portal import fragments, page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings: Any) -> Any:
    settings.PAGE_CACHE_SECONDS = 60
    page_cache.clear()
    yield
    page_cache.clear()


def _page(client: Client, url: str) -> str:
    page_cache.pages.clear()  # every request renders: only the fragments are kept
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


URLS = ["/", "/catalog/?topic=11&genre=notice", "/search/?q=通知"]


@pytest.fixture(params=[60, 1], ids=["whole-overview", "shortened-overview"])
def deep(request: Any, site: dict[str, Any], monkeypatch: Any) -> Organisation:
    """An organisation two levels down, with the organisation overview whole or shortened to its top levels (a
    province of thousands: then the deep one is not in it)."""
    monkeypatch.setattr(org_selectors, "OVERVIEW_LIMIT", request.param)
    return Organisation.objects.create(code="deep01", name="深层<机构>", parent=site["county"])


def test_pages_render_the_same_with_and_without_fragments(
    client: Client, site: dict[str, Any], settings: Any, deep: Organisation
) -> None:
    """Also with the shortened organisation overview (a province of thousands), a deep organisation chosen."""
    urls = [*URLS, site["notices"].get_absolute_url(), site["notice"].get_absolute_url(),
            *(f"/catalog/?organisation={code}" for code in Organisation.objects.values_list("code", flat=True))]
    assert deep.depth >= 2
    settings.PAGE_CACHE_SECONDS = 0
    plain = {url: client.get(url).content.decode() for url in urls}
    settings.PAGE_CACHE_SECONDS = 60
    page_cache.clear()
    try:
        for _ in range(2):  # the first fills the fragments, the second reads them
            for url in urls:
                assert _page(client, url) == plain[url], url
    finally:
        page_cache.clear()


def test_a_kept_fragment_saves_queries(client: Client, site: dict[str, Any], cache_on: None) -> None:
    url = site["notice"].get_absolute_url()
    _page(client, url)
    page_cache.pages.clear()
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    fragments.store.clear()
    page_cache.pages.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    assert len(warm) < len(cold)


def test_an_organisation_or_column_change_shows_at_once(client: Client, site: dict[str, Any], cache_on: None) -> None:
    city, notices = site["city"], site["notices"]
    assert city.name in _page(client, "/")
    city.name = "新名字市人民政府"
    city.save()  # the admin's save: the generation advances, every fragment of the old one is obsolete
    for url in URLS:
        assert "新名字市人民政府" in _page(client, url), url

    column_url = notices.get_absolute_url()
    _page(client, column_url)
    Column.objects.filter(pk=notices.pk).update(name="改名的栏目")  # no signal: kept until the next change
    assert "改名的栏目" not in _page(client, column_url)
    notices.refresh_from_db()
    notices.save()
    assert "改名的栏目" in _page(client, column_url)


def test_off_when_the_page_cache_is_off(site: dict[str, Any], settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    fragments.store.clear()
    assert fragments.site_roots() == [site["city"]]
    assert not fragments.store._cache  # nothing kept


def test_kept_chrome_never_carries_one_page_into_another(client: Client, site: dict[str, Any], cache_on: None) -> None:
    """The chrome's kept blocks are shared by every page of a site; what differs by page (the search box's text,
    the display switches' return address, which menu entry is current, the header's home link) must not leak
    from the page that filled them into the next."""
    urls = ["/search/?q=通知", "/search/?q=<b>科技</b>", "/", "/catalog/", site["notices"].get_absolute_url(),
            site["news"].get_absolute_url(), site["notice"].get_absolute_url(), site["county_item"].get_absolute_url(),
            "/orgs/", site["bureau"].get_absolute_url(), "/apply/", "/reports/"]
    for url in urls:  # each rendered after the others filled the kept blocks
        page_cache.clear()
        for other in urls:
            if other != url:
                _page(client, other)
        kept = client.get(url).content.decode()
        page_cache.clear()
        alone = client.get(url).content.decode()
        assert kept == alone, url
    search = _page(client, "/search/?q=<b>科技</b>")
    assert 'value="&lt;b&gt;科技&lt;/b&gt;"' in search and "<b>科技</b>" not in search


def test_filter_lists_keep_the_choice_of_each_page(client: Client, site: dict[str, Any], cache_on: None) -> None:
    """The catalog's lists are joined once per generation; each page still marks its own choice."""
    first = _page(client, "/catalog/?topic=11&genre=notice")
    second = _page(client, "/catalog/?genre=opinion")
    assert '<option value="11" selected>' in first and '<option value="notice" selected>' in first
    assert '<option value="11" selected>' not in second and '<option value="opinion" selected>' in second
    assert '<option value="notice">' in second


def test_the_chosen_organisation_is_selected_in_tree_order(
    client: Client, site: dict[str, Any], cache_on: None, deep: Organisation
) -> None:
    """Listed in the overview, or deeper than it goes (then inserted where the tree puts it)."""
    for _ in range(2):  # building the picker, then reading it back
        page = _page(client, f"/catalog/?organisation={deep.code}")
        select = page[page.index('<select id="f-organisation"'):]
        select = select[: select.index("</select>")]
        codes = [part.split('"', 1)[0] for part in select.split('<option value="')[2:]]
        assert select.count(" selected>") == 1 and f'<option value="{deep.code}" selected>' in select
        paths = dict(Organisation.objects.filter(code__in=codes).values_list("code", "path"))
        assert [paths[code] for code in codes] == sorted(paths[code] for code in codes)
        assert "深层&lt;机构&gt;" in select
