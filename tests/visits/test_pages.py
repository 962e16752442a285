"""The workspace's statistics page: who may see it, the period, the figures and the most-read lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongkai.orgs.models import Membership, Role
from gongkai.visits import services
from tests.visits.factories import BROWSER


def test_staff_see_their_site_with_most_read_columns_and_items(
    client: Client, site: dict[str, Any], make_user: Any
) -> None:
    for _ in range(3):
        client.get(site["story"].get_absolute_url(), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.5")
    client.get(site["notice"].get_absolute_url(), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.6")
    services.flush()
    editor = make_user("editor")
    Membership.objects.create(user=editor, organisation=site["bureau"], role=Role.EDITOR)
    client.force_login(editor)
    assert client.get("/workspace/visits/").url == "/workspace/visits/kjj/"
    page = client.get("/workspace/visits/kjj/?days=7").content.decode()
    assert '<dd class="js-views">4</dd>' in page and '<dd class="js-visitors">2</dd>' in page
    assert page.index("工作动态") < page.index("通知公告")  # most read first
    assert site["story"].title in page and "信息正文页" in page and "<svg" in page
    assert client.get("/workspace/visits/mcs/").status_code == 404  # not theirs


@pytest.mark.parametrize("query", ["days=0", "days=abc", "start=2025-13-01", "start=2025-02-01&end=2025-01-01",
                                   "start=2099-01-01"])
def test_a_bad_period_is_a_clear_error(client: Client, site: dict[str, Any], make_user: Any, query: str) -> None:
    client.force_login(make_user("root", is_superuser=True))
    response = client.get(f"/workspace/visits/kjj/?{query}")
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, site: dict[str, Any]) -> None:
    assert client.get("/workspace/visits/kjj/").status_code == 302
