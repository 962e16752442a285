"""One search across the platform on the portal, with 网站 and organisation filters; each site's own search stays
within its site."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sites.conftest import BUREAU, PORTAL, get

pytestmark = pytest.mark.usefixtures("sites")


def titles(html: str) -> set[str]:
    html = html.replace("<mark>", "").replace("</mark>", "")
    return {t for t in ("市科技局召开第1次科技创新工作推进会", "市教育局召开校园安全工作会议", "兴庆区科技局开展科技活动周")
            if t in html}


def test_the_portal_searches_the_whole_platform() -> None:
    html = get("/search/?q=召开", PORTAL).content.decode()
    assert titles(html) == {"市科技局召开第1次科技创新工作推进会", "市教育局召开校园安全工作会议"}
    assert '<select id="search-site" name="site">' in html and "银川市科学技术局网站" in html


def test_the_portal_search_filters_by_site_and_organisation(sites: dict[str, Any]) -> None:
    bureau_site = sites["bureau_site"].pk
    assert titles(get(f"/search/?q=召开&site={bureau_site}", PORTAL).content.decode()) == {
        "市科技局召开第1次科技创新工作推进会"}
    assert titles(get("/search/?q=召开&organisation=ycjyj", PORTAL).content.decode()) == {"市教育局召开校园安全工作会议"}
    html = get("/search/?q=召开&site=999999", PORTAL).content.decode()
    assert "未找到所选网站，已忽略该条件。" in html and len(titles(html)) == 2


def test_a_department_site_searches_only_itself() -> None:
    html = get("/search/?q=召开", BUREAU).content.decode()
    assert titles(html) == {"市科技局召开第1次科技创新工作推进会"}
    assert 'name="site"' not in html.split('class="search-page-form"', 1)[1].split("</form>", 1)[0]
    html = get("/search/?q=召开&organisation=ycjyj", BUREAU).content.decode()
    assert "所选机构不属于本网站，已忽略该条件。" in html and titles(html) == {"市科技局召开第1次科技创新工作推进会"}
    assert titles(get("/search/?q=活动周", BUREAU).content.decode()) == {"兴庆区科技局开展科技活动周"}  # its subtree

