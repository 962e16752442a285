"""The public page cache (gongkai.portal.page_cache): served from memory, never stale after a publication, never
for or from a logged-in user, one entry per display mode, scheduled items on time, forms never cached."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Item
from gongkai.catalog.snapshots import snapshot_from_data
from gongkai.core.services import public_generation
from gongkai.orgs.models import Membership, Role
from gongkai.portal import page_cache
from tests.portal.factories import _revision, make_item

pytestmark = pytest.mark.django_db
HEADER = page_cache.HEADER


@pytest.fixture(autouse=True)
def page_cache_on(settings: Any) -> Any:
    """The test settings turn the cache off (tests/conftest.py); here it is on, and empty for every test."""
    settings.PAGE_CACHE_SECONDS = 60
    page_cache.clear()
    yield
    page_cache.clear()


def get(client: Client, url: str) -> tuple[HttpResponse, int]:
    """The response and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_second_get_is_served_from_the_cache(client: Client, site: dict[str, Any]) -> None:
    for url in ["/", site["notices"].get_absolute_url(), site["notice"].get_absolute_url(), "/search/?q=通知",
                "/catalog/?topic=11&genre=notice"]:
        first, first_queries = get(client, url)
        second, second_queries = get(client, url)
        assert first.status_code == second.status_code == 200
        assert (first[HEADER], second[HEADER]) == ("miss", "hit"), url
        assert second.content == first.content
        assert second_queries == 1 < first_queries  # the publication generation, nothing else
        assert "Cookie" in second["Vary"]


def test_off_when_seconds_is_zero(client: Client, site: dict[str, Any], settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    response, queries = get(client, "/")
    assert HEADER not in response and queries > 1


def _editor(site: dict[str, Any]) -> Any:
    user = get_user_model().objects.create_user(username="editor", password="correct-horse-battery")
    Membership.objects.create(user=user, organisation=site["bureau"], role=Role.EDITOR)
    return user


def test_publishing_and_withdrawing_show_at_once(client: Client, site: dict[str, Any]) -> None:
    column_url = site["notices"].get_absolute_url()
    title = "关于公布2025年度科技型中小企业名单的通知"
    client.get(column_url)
    assert client.get(column_url)[HEADER] == "hit"

    draft = make_item(site["notices"], title, state="draft")
    copy = catalog_selectors.working_copy(draft)
    revision = _revision(draft, snapshot_from_data(copy, copy["attachment_ids"]))
    before = public_generation()
    with transaction.atomic():
        catalog_services.publish_revision(draft, revision, None, timezone.now())
    assert public_generation() > before
    published = client.get(column_url)
    assert published[HEADER] == "miss" and title in published.content.decode()
    assert client.get(column_url)[HEADER] == "hit"

    catalog_services.withdraw_item(_editor(site), Item.objects.get(pk=draft.pk), "内容需要更正")
    withdrawn = client.get(column_url)
    assert withdrawn[HEADER] == "miss" and title not in withdrawn.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_organisation_change_in_the_admin_advances_the_generation(site: dict[str, Any]) -> None:
    before = public_generation()
    bureau = site["bureau"]
    bureau.phone = "0951-6888999"
    bureau.save()  # what the admin's change form does
    assert public_generation() == before + 1


def test_a_logged_in_user_neither_reads_nor_fills_the_cache(client: Client, site: dict[str, Any]) -> None:
    anonymous = Client()
    anonymous.get("/")
    assert anonymous.get("/")[HEADER] == "hit"

    client.force_login(get_user_model().objects.create_user(username="staffer", password="x-correct-horse", is_staff=True))
    for _ in range(2):
        response, queries = get(client, "/")
        assert response.status_code == 200 and HEADER not in response and queries > 1

    # Nor did the staff requests put anything in: a new page seen first by staff is still a miss for the public.
    url = site["news"].get_absolute_url()
    client.get(url)
    assert anonymous.get(url)[HEADER] == "miss"


def test_display_modes_get_their_own_entries(site: dict[str, Any]) -> None:
    plain, elder = Client(), Client()
    elder.cookies["gk_elder"] = "1"
    assert plain.get("/")[HEADER] == "miss"
    elder_page = elder.get("/")
    assert elder_page[HEADER] == "miss" and "mode-elder" in elder_page.content.decode()
    assert elder.get("/")[HEADER] == "hit"
    plain_page = plain.get("/")
    assert plain_page[HEADER] == "hit" and "mode-elder" not in plain_page.content.decode()


def test_a_scheduled_item_appears_at_its_time(client: Client, site: dict[str, Any], monkeypatch: Any) -> None:
    column_url = site["notices"].get_absolute_url()
    scheduled = site["scheduled"]
    # Approved earlier for a time 30 s from now: from here on nothing writes, the clock alone publishes it.
    Item.objects.filter(pk=scheduled.pk).update(go_live_at=timezone.now() + dt.timedelta(seconds=30))
    assert scheduled.title not in client.get(column_url).content.decode()
    assert client.get(column_url)[HEADER] == "hit"

    # 31 s later, for the views (timezone.now) and for the cache's expiry (time.time) alike.
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + 31)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(seconds=31))
    later = client.get(column_url)
    assert later[HEADER] == "miss" and scheduled.title in later.content.decode()


def test_form_pages_are_not_cached(client: Client, site: dict[str, Any]) -> None:
    for url in ["/interact/write/", "/apply/"]:
        for _ in range(2):
            response = client.get(url)
            assert HEADER not in response, url


def test_a_page_with_a_csrf_token_or_a_cookie_is_not_cached(site: dict[str, Any]) -> None:
    """The rule itself, on views that do not say never_cache: a CSRF token or a cookie is this visitor's."""
    calls: list[str] = []

    def with_token(request: HttpRequest) -> HttpResponse:
        calls.append("token")
        return HttpResponse(f"<form>{get_token(request)}</form>")

    def with_cookie(request: HttpRequest) -> HttpResponse:
        calls.append("cookie")
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    views: list[Callable[[HttpRequest], HttpResponse]] = [with_token, with_cookie]
    for view in views:
        middleware = page_cache.PublicPageCacheMiddleware(view)
        for _ in range(2):
            request = RequestFactory().get(f"/org/yckjj/{view.__name__}/")
            assert HEADER not in middleware(request)
    assert calls == ["token", "token", "cookie", "cookie"]


def test_a_session_cookie_bypasses_the_cache(client: Client, site: dict[str, Any]) -> None:
    client.get("/")
    client.cookies["sessionid"] = "anything"
    assert HEADER not in client.get("/")
