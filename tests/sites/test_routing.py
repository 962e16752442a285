"""Sites by host name: which site answers, what each site's pages, feeds, sitemaps and marks say, and what an
unknown host gets."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications.notify import track_url
from gongkai.core.models import AuditEvent
from gongkai.sites import selectors
from gongkai.sites.middleware import SiteCsrfViewMiddleware
from gongkai.sites.models import Site
from tests.sites.conftest import BUREAU, PORTAL, get
from tests.sites.factories import make_site


def test_each_host_answers_as_its_site(sites: dict[str, Any]) -> None:
    portal = get("/", PORTAL).content.decode()
    assert "<title>银川市人民政府网站</title>" in portal and f'rel="canonical" href="https://{PORTAL}/"' in portal
    bureau = get("/", f"{BUREAU}:443").content.decode()
    assert "<title>银川市科学技术局网站</title>" in bureau and f'rel="canonical" href="https://{BUREAU}/"' in bureau
    assert "市科技局召开第1次科技创新工作推进会" in bureau and "市教育局召开校园安全工作会议" not in bureau
    assert 'href="/org/yckjj/gzdt/"' in bureau  # its navigation column
    assert "/site.css?c=1d4f91" in bureau  # its colour, as a stylesheet (no inline style under the CSP)
    # The other names of the portal, any case, with a trailing dot, and GONGKAI_SITE_URL's name: the main site.
    for host in ("YC.example", "www2.yc.example.", "gk.yc.example", "testserver"):
        assert "<title>银川市人民政府网站</title>" in get("/", host).content.decode(), host


def test_path_addresses_keep_working_on_the_main_host(sites: dict[str, Any]) -> None:
    response = get("/org/yckjj/gzdt/", PORTAL)
    html = response.content.decode()
    assert response.status_code == 200 and "市科技局召开第1次科技创新工作推进会" in html
    # Served on the main host, the page says where it belongs: the bureau's own site.
    assert f'rel="canonical" href="https://{BUREAU}/org/yckjj/gzdt/"' in html
    assert "网站标识码：6401000002" in html


def test_a_department_site_sends_other_organisations_to_theirs(sites: dict[str, Any]) -> None:
    response = get("/org/ycjyj/?x=1", BUREAU)
    assert response.status_code == 301 and response["Location"] == f"https://{PORTAL}/org/ycjyj/?x=1"
    item = sites["live_news"][0]
    assert get(item.get_absolute_url(), BUREAU).status_code == 200
    assert get(sites["county_item"].get_absolute_url(), BUREAU).status_code == 200  # a subtree it hosts


def test_unknown_host_refused_by_default_with_one_audit_row(sites: dict[str, Any]) -> None:
    for _ in range(3):
        response = get("/", "evil.example")
        assert response.status_code == 400 and "本平台没有域名为“evil.example”的网站" in response.content.decode()
    assert AuditEvent.objects.filter(action="sites.unknown_host").count() == 1
    assert get("/healthz", "10.0.0.7").status_code == 200  # probes answer whatever name they use


def test_unknown_host_answered_as_the_main_site_when_configured(sites: dict[str, Any], settings: Any) -> None:
    settings.UNKNOWN_HOSTS = "main"
    html = get("/", "mirror.example").content.decode()
    assert "<title>银川市人民政府网站</title>" in html and "mirror.example" not in html
    assert AuditEvent.objects.get(action="sites.unknown_host").data == {"host": "mirror.example", "answered": "main"}


@pytest.mark.parametrize("host", ["", "bad host", "[::1", "a" * 300, "例子.example"])
def test_malformed_hosts_never_fail(sites: dict[str, Any], host: str) -> None:
    assert get("/", host).status_code in (200, 400)


def test_robots_sitemap_and_feeds_per_site(sites: dict[str, Any]) -> None:
    robots = get("/robots.txt", BUREAU).content.decode()
    assert f"Sitemap: https://{BUREAU}/sitemap.xml" in robots
    bureau_map = get("/sitemap.xml", BUREAU).content.decode()
    assert f"https://{BUREAU}/items/{sites['live_news'][0].pk}/" in bureau_map
    assert "ycjyj" not in bureau_map and PORTAL not in bureau_map
    portal_map = get("/sitemap.xml", PORTAL).content.decode()
    assert f"https://{PORTAL}/org/ycjyj/" in portal_map and "yckjj" not in portal_map
    feed = get("/org/yckjj/gzdt/rss.xml", PORTAL).content.decode()
    assert f"<link>https://{BUREAU}/items/" in feed


def test_footer_marks_and_error_link_per_site(sites: dict[str, Any]) -> None:
    bureau = get("/org/yckjj/", BUREAU).content.decode()
    assert "网站标识码：6401000002" in bureau and "6401000001" not in bureau
    assert "url=https%3A%2F%2Fkjj.yc.example%2Forg%2Fyckjj%2F" in bureau  # 找错 names the page on its own site
    assert "网站标识码：6401000001" in get("/orgs/", PORTAL).content.decode()


def test_every_site_origin_is_trusted_for_forms(sites: dict[str, Any]) -> None:
    middleware = SiteCsrfViewMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert {f"https://{BUREAU}", f"https://{PORTAL}", "https://gk.yc.example"} <= middleware.allowed_origins_exact
    assert "https://evil.example" not in middleware.allowed_origins_exact


def test_mail_links_name_the_organisations_site(sites: dict[str, Any]) -> None:
    assert track_url(sites["bureau"]) == f"https://{BUREAU}/apply/track/"
    assert track_url(sites["edu"]) == f"https://{PORTAL}/apply/track/"


def test_a_host_name_belongs_to_one_site(sites: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        make_site(sites["edu"], url=f"https://{BUREAU}")
    with pytest.raises(ValidationError):
        make_site(sites["edu"], aliases="gk.yc.example")  # GONGKAI_SITE_URL's name is the main site's
    with pytest.raises(ValidationError):
        make_site(sites["edu"], url="https://jyj.yc.example/path/")
    with pytest.raises(ValidationError):
        make_site(sites["edu"], colour="#ffff00")  # white header text would be unreadable
    assert not Site.objects.filter(organisation=sites["edu"]).exists()


def test_renaming_a_host_is_answered_at_once(sites: dict[str, Any]) -> None:
    from gongkai.sites import services

    site = sites["bureau_site"]
    site.url = "https://kj.yc.example"
    services.save_site(None, site)
    assert get("/", "kj.yc.example").status_code == 200
    assert get("/", BUREAU).status_code == 400
    assert selectors.site_of(sites["county"]).base_url == "https://kj.yc.example"


def test_page_cache_keeps_sites_apart(sites: dict[str, Any], settings: Any) -> None:
    from gongkai.portal import page_cache

    settings.PAGE_CACHE_SECONDS = 60
    page_cache.clear()
    selectors.clear()
    try:
        assert "<title>银川市人民政府网站</title>" in get("/", PORTAL).content.decode()
        assert "<title>银川市科学技术局网站</title>" in get("/", BUREAU).content.decode()
        assert "<title>银川市人民政府网站</title>" in get("/", PORTAL).content.decode()
    finally:
        page_cache.clear()
        selectors.clear()
