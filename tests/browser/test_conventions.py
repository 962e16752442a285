"""Page conventions in a real browser: 长者模式 and 无障碍 switched by keyboard, remembered across pages,
with and without JavaScript; the footer marks on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.portal.factories import build_site
from tests.sites.factories import make_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    built = build_site()
    city = built["city"]
    make_site(city, is_main=True, site_code="9999000001", icp_number="宁ICP备1号")
    return built


def _tab_to(page: Any, text: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"keyboard never reached {text!r}")


def test_elder_mode_by_keyboard_is_remembered(page: Any, site: dict[str, Any]) -> None:
    page.goto("/")
    _tab_to(page, "长者模式")
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.classList.contains('mode-elder')")
    assert page.evaluate("document.activeElement.textContent.trim()") == "退出长者模式"
    page.goto(site["notice"].get_absolute_url())
    assert "mode-elder" in page.get_attribute("body", "class")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).zoom)") > 1
    footer = page.locator("footer").inner_text()
    assert "网站标识码：9999000001" in footer and "我为政府网站找错" in footer
    _tab_to(page, "我为政府网站找错", limit=200)  # the footer links are reachable by keyboard too


def test_accessibility_mode_without_javascript(browser: Any, live_server: Any, site: dict[str, Any]) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/orgs/")
        page.get_by_role("link", name="无障碍").click()
        page.wait_for_url("**/orgs/")
        assert "mode-a11y" in page.get_attribute("body", "class")
        page.goto("/")
        assert "mode-a11y" in page.get_attribute("body", "class")
        assert page.locator("a.error-report").count() == 1
    finally:
        context.close()
