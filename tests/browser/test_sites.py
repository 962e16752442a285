"""Sites by host name in a real browser: the city portal and a department's site answered by one server on their
own host names, each with its own name, colour, navigation, marks and canonical links."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.portal.factories import build_site
from tests.sites.factories import make_site

pytestmark = pytest.mark.browser


def on(live_server: Any, host: str) -> str:
    return f"http://{host}:{urlsplit(live_server.url).port}"


@pytest.fixture
def hosts(transactional_db: None, settings: Any, tmp_path: Path, live_server: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    built = build_site()
    portal, bureau = on(live_server, "www.mc.localhost"), on(live_server, "kjj.mc.localhost")
    make_site(built["city"], name="银川市人民政府门户网站", url=portal, is_main=True, home_layout="portal",
              site_code="6401000001")
    make_site(built["bureau"], name="银川市科学技术局网站", url=bureau, home_layout="columns", colour="#1d4f91",
              site_code="6401000002", navigation=[built["news"]])
    return {**built, "portal": portal, "bureau_url": bureau}


def test_portal_and_department_site_on_their_own_host_names(page: Any, hosts: dict[str, Any], screenshot: Any) -> None:
    page.goto(hosts["bureau_url"] + "/")
    assert page.title() == "银川市科学技术局网站"
    assert page.locator('link[rel="canonical"]').get_attribute("href") == hosts["bureau_url"] + "/"
    header = page.locator(".site-header, header").first
    assert "rgb(29, 79, 145)" in header.evaluate("e => getComputedStyle(e).backgroundColor + getComputedStyle(e).backgroundImage")
    assert page.get_by_text("网站标识码：6401000002").is_visible()
    screenshot("department-site")
    page.locator("#site-nav").get_by_role("link", name="工作动态").click()
    page.wait_for_url(hosts["bureau_url"] + "/org/yckjj/gzdt/")
    page.get_by_role("link", name="平台首页").click()
    page.wait_for_url(hosts["portal"] + "/")
    assert page.title() == "银川市人民政府门户网站"
    assert page.get_by_text("网站标识码：6401000001").is_visible()
    screenshot("portal")
    # A department's page opened on the portal is the department's: its marks and its canonical address.
    page.goto(hosts["portal"] + "/org/yckjj/")
    assert page.locator('link[rel="canonical"]').get_attribute("href") == hosts["bureau_url"] + "/org/yckjj/"
    # The search form posts nothing and stays on the site that served it.
    page.goto(hosts["bureau_url"] + "/")
    page.get_by_role("searchbox").first.fill("推进会")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url(hosts["bureau_url"] + "/search/**")
    assert page.locator(".search-hit").count() == 5
