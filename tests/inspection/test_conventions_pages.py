"""Page conventions in the footer of public pages, the display-mode switches without JavaScript, and
`gongkai serve --host ::` listening on IPv6 and IPv4."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from gongkai.core.management.commands.serve import open_listener
from tests.inspection.factories import AT, make_column, make_org, publish
from tests.sites.factories import make_site


@pytest.fixture
def site(db: None, settings: Any) -> dict[str, Any]:
    settings.SITE_URL = "https://gk.example.gov.cn"
    city = make_org("csz", "测试市人民政府", kind="government", address="人民路1号", phone="0000-1")
    make_site(city, is_main=True, site_code="9999000001", icp_number="测ICP备1号",
              police_record_number="99000002000001", police_record_region="测",
              party_mark_url="https://bszs.conac.cn/sitename?method=show&id=X")
    county = make_org("xzj", "测试县局", parent=city, address="县前街2号")
    item = publish(make_column(county, "gzdt", "工作动态"), AT, "县局动态")
    return {"city": city, "county": county, "item": item}


@pytest.mark.parametrize("path", ["/", "/org/xzj/", "/org/xzj/gzdt/", "ITEM", "/orgs/", "/search/?q=x"])
def test_footer_conventions_on_public_pages(client: Client, site: dict[str, Any], path: str) -> None:
    path = site["item"].get_absolute_url() if path == "ITEM" else path
    html = client.get(path).content.decode()
    assert "网站标识码：9999000001" in html  # the county's pages are the city site's
    assert 'href="https://beian.miit.gov.cn/"' in html and "测ICP备1号" in html
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=99000002000001" in html and "测公网安备99000002000001号" in html
    assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=X"' in html and ">党政机关<" in html
    start = html.index('class="error-report" href="') + len('class="error-report" href="')
    report = html[start:html.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(report).query)
    assert report.startswith("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?")
    assert query["site_code"] == ["9999000001"] and query["url"] == ["https://gk.example.gov.cn" + path]
    assert "%2F" in report  # the page address is URL-encoded


def test_a_site_of_its_own_shows_its_own_marks_on_the_main_host(client: Client, site: dict[str, Any]) -> None:
    make_site(site["county"], site_code="9999000102", icp_number="测ICP备2号")
    html = client.get("/org/xzj/").content.decode()
    assert "网站标识码：9999000102" in html and "测ICP备2号" in html and "测ICP备1号" not in html
    html = client.get("/orgs/").content.decode()  # a page of the main site's own
    assert "网站标识码：9999000001" in html


def test_display_modes_by_plain_links_remembered_across_pages(client: Client, site: dict[str, Any]) -> None:
    html = client.get("/org/xzj/").content.decode()
    assert "mode-elder" not in html.split("<body", 1)[1].split(">", 1)[0]
    response = client.get("/display-mode/", {"mode": "elder", "on": "1", "next": "/org/xzj/"})
    assert response.status_code == 302 and response["Location"] == "/org/xzj/"
    assert response.cookies["gk_elder"].value == "1"
    for path in ("/org/xzj/", "/orgs/", site["item"].get_absolute_url()):
        body_tag = client.get(path).content.decode().split("<body", 1)[1].split(">", 1)[0]
        assert "mode-elder" in body_tag
    assert "退出长者模式" in client.get("/").content.decode()
    client.get("/display-mode/", {"mode": "elder", "on": "0", "next": "/"})
    assert "mode-elder" not in client.get("/").content.decode().split("<body", 1)[1].split(">", 1)[0]


def test_display_mode_never_redirects_off_site(client: Client, db: None) -> None:
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/display-mode/", {"mode": "a11y", "on": "1", "next": target})
        assert response["Location"] == "/"


def _connects(family: int, host: str, port: int) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect((host, port))
        return True


def test_serve_on_ipv6_wildcard_accepts_ipv6_and_ipv4() -> None:
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    listener = open_listener("::", 0)
    try:
        port = listener.getsockname()[1]
        assert listener.family == socket.AF_INET6
        assert _connects(socket.AF_INET6, "::1", port)
        assert _connects(socket.AF_INET, "127.0.0.1", port)
    finally:
        listener.close()
