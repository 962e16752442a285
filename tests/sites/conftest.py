"""A city with two sites: the portal (the main site) and its science bureau's, each on its own host name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.portal.factories import build_site, make_column, make_item, make_org
from tests.sites.factories import make_site

PORTAL = "www.yc.example"
BUREAU = "kjj.yc.example"


def get(path: str, host: str, **extra: Any) -> Any:
    return Client().get(path, HTTP_HOST=host, **extra)


@pytest.fixture
def sites(db: None, settings: Any) -> dict[str, Any]:
    settings.SITE_URL = "https://gk.yc.example"
    built = build_site()
    built["portal_site"] = make_site(built["city"], url=f"https://{PORTAL}", is_main=True, home_layout="portal",
                                     site_code="6401000001", aliases="yc.example\nWWW2.yc.example.")
    built["bureau_site"] = make_site(built["bureau"], url=f"https://{BUREAU}", home_layout="columns",
                                     site_code="6401000002", colour="#1d4f91",
                                     navigation=[built["news"]])
    built["edu"] = make_org_with_news(built["city"])
    return built


def make_org_with_news(city: Any) -> Any:
    edu = make_org("ycjyj", "银川市教育局", parent=city)
    make_item(make_column(edu, "gzdt", "工作动态", update_class="news"), "市教育局召开校园安全工作会议", genre="news")
    return edu


