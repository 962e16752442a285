"""The public portal in a real browser: clicking through, the search box, keyboard use, a phone-sized screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.portal.factories import build_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_site()


def test_home_to_column_to_item_by_clicking(page: Any, site: dict[str, Any], screenshot: Callable[[str], Path]) -> None:
    page.goto("/")
    screenshot("home")
    page.get_by_role("link", name="银川市科学技术局", exact=True).first.click()
    page.wait_for_url("**/org/yckjj/")
    screenshot("org")
    page.locator("main").get_by_role("link", name="公告通知", exact=True).first.click()
    page.wait_for_url("**/org/yckjj/tzgg/")
    assert page.locator("h1").inner_text() == "公告通知"
    screenshot("column")
    page.get_by_role("link", name=site["notice"].title).click()
    page.wait_for_url(f"**/items/{site['notice'].pk}/")
    assert page.locator("h1").inner_text() == site["notice"].title
    assert page.locator(".meta-table").is_visible()
    screenshot("item")

    # Font size switch (enhanced by JavaScript: no reload) and the interpretation of the policy document.
    page.locator(".font-switch a[data-fs=large]").click()
    assert "fs-large" in (page.locator("body").get_attribute("class") or "")
    page.goto(site["policy"].get_absolute_url())
    assert page.get_by_role("heading", name="相关解读").is_visible()
    screenshot("policy")


@pytest.mark.parametrize("path", ["/", "/org/yckjj/", "/catalog/", "/org/yckjj/guide/"])
def test_search_box_on_every_page_works(page: Any, site: dict[str, Any], path: str) -> None:
    page.goto(path)
    page.get_by_label("站内搜索").fill("科技项目")
    page.get_by_label("站内搜索").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("link", name=site["notice"].title).is_visible()


def test_keyboard_reaches_the_skip_link_and_the_search_box(page: Any, site: dict[str, Any]) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # it shows itself when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    page.goto("/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search":
            break
    else:
        pytest.fail("the search box is not reachable by keyboard")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type("通知")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")


def test_catalog_filters_by_keyboard_and_mouse(page: Any, site: dict[str, Any], screenshot: Callable[[str], Path]) -> None:
    page.goto("/catalog/")
    page.get_by_label("发布机构").select_option("yckjj")
    page.get_by_label("体裁").select_option("notice")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/catalog/?*")
    assert page.get_by_role("link", name=site["notice"].title).is_visible()
    screenshot("filtered")


@pytest.mark.parametrize("path", ["/", "/org/yckjj/", "/org/yckjj/tzgg/", "ITEM", "/catalog/", "/org/yckjj/duties/power/"])
def test_mobile_viewport_has_no_horizontal_scroll(
    page: Any, site: dict[str, Any], screenshot: Callable[[str], Path], path: str
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site["notice"].get_absolute_url() if path == "ITEM" else path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{path} scrolls sideways ({width}px)"
    screenshot("mobile")


def test_everything_works_without_javascript(
    browser: Any, live_server: Any, site: dict[str, Any]
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(site["notice"].get_absolute_url())
        page.locator(".font-switch a[data-fs=large]").click()
        page.wait_for_url("**fs=large*")
        assert "fs-large" in (page.locator("body").get_attribute("class") or "")
        page.get_by_role("link", name="打印").click()
        page.wait_for_url("**print=1*")
        assert page.locator(".main-nav").is_hidden()  # the printable page drops the navigation
        page.goto("/")
        page.get_by_label("站内搜索").fill("通知")
        page.get_by_role("button", name="搜索").click()
        page.wait_for_url("**/search/?q=*")
        assert page.get_by_role("link", name=site["notice"].title).is_visible()
    finally:
        context.close()
