"""The demo city's supervisor (cityadmin, 明川市人民政府) sees the neglected county bureau two levels down
(西岭县科学技术局, xlxkjj, under the city's science bureau): on the home page among what waits below, at the top of
the self-inspection ranking of every organisation below the city, and on the annual-report dashboard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from gongkai.demo.inspection import NEGLECTED
from tests.browser.login import log_in

# The pages' HTML is the same on either database; the queries behind them are tested on both (tests/workspace).
pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="demo-city pages run in the SQLite phase")]

BUREAU = "西岭县科学技术局"


@pytest.fixture
def demo_city(transactional_db: None, demo_snapshot: Any) -> Iterator[None]:
    demo_snapshot.load()
    yield


def test_the_city_sees_the_failing_county_bureau_two_levels_down(
    page: Any, demo_city: None, screenshot: Any,
) -> None:
    assert NEGLECTED == "xlxkjj"
    log_in(page, "cityadmin", "gongkai-demo-2024")
    page.goto("/workspace/")
    below = page.locator("section.below")
    assert "明川市人民政府以下各单位待办" in below.inner_text()
    assert BUREAU in below.inner_text()  # its letter is overdue and its reports are late
    screenshot("supervisor-home")

    below.get_by_role("link", name="下级网站自查排名").click()
    page.wait_for_load_state()
    assert page.url.endswith("/workspace/inspection/mcs/children/")
    worst = page.locator("ol.subtree-worst li").first
    assert BUREAU in worst.inner_text() and "单项否决" in worst.inner_text()
    county_level = page.locator("h2", has_text="区县部门").locator("xpath=following-sibling::table[1]")
    first_row = county_level.locator("tbody tr").first
    assert BUREAU in first_row.inner_text() and "不合格" in first_row.inner_text()
    screenshot("subtree-ranking")

    first_row.get_by_role("link", name=BUREAU).click()
    page.wait_for_load_state()
    assert f"/workspace/inspection/{NEGLECTED}/" in page.url and "单项否决" in page.locator("main").inner_text()

    page.goto("/workspace/reports/")
    page.get_by_role("link", name="下级单位督查看板（并列比较）").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "各层级概况" in text and "区县部门" in text and BUREAU in text
    screenshot("subtree-dashboard")
