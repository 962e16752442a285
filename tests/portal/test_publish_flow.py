"""The portal through the real services: an item appears everywhere only once the last step approves it, and
disappears everywhere when withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Organisation
from gongkai.review import services as review
from gongkai.review.models import Decision
from gongkai.review.selectors import current_task, review_state
from tests.portal.factories import bureau_with_staff

pytestmark = pytest.mark.django_db
ALL_CHECKS = {f: True for f in Decision.CHECK_FIELDS}
TITLE = "关于征集2025年度重点研发计划项目的通知"


@pytest.fixture
def setup() -> tuple[Organisation, Column, dict[str, Any]]:
    return bureau_with_staff()


def public_pages(column: Column) -> list[str]:
    code, slug = column.organisation.code, column.slug
    return [
        "/", f"/org/{code}/", column.get_absolute_url(),
        reverse("portal:column_rss", kwargs={"code": code, "slug": slug}),
        reverse("portal:column_atom", kwargs={"code": code, "slug": slug}),
        "/sitemap.xml", "/catalog/", "/search/?q=重点研发",
    ]


def visible_on(client: Client, column: Column, item: Item) -> list[str]:
    """The public pages that name the item or link to it."""
    found = []
    for url in public_pages(column):
        text = client.get(url).content.decode()
        if TITLE in text or item.get_absolute_url() in text:
            found.append(url)
    return found


def test_published_through_review_then_withdrawn(client: Client, setup: Any) -> None:
    org, column, staff = setup
    data = {
        "column_id": column.pk, "title": TITLE, "summary": "", "body": "<p>各有关单位：</p>",
        "document_number": "银科发〔2025〕7号", "written_on": dt.date(2025, 3, 1), "topic": "11", "genre": "notice",
        "keywords": "", "source": "", "is_policy": False, "is_normative": False, "validity": "",
        "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
        "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "", "index_number": "",
    }
    item = services.create_item(staff["editor"], org, data)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert visible_on(client, column, item) == []

    services.submit_item(staff["editor"], item)
    sub = review_state(item).submission
    for role in ("first_reviewer", "secrecy_reviewer"):
        review.decide(staff[role], current_task(sub), action="approve", checks=ALL_CHECKS)
        assert client.get(item.get_absolute_url()).status_code == 404
        assert visible_on(client, column, item) == []
    review.decide(staff["approver"], current_task(sub), action="approve", checks=ALL_CHECKS)

    assert client.get(item.get_absolute_url()).status_code == 200
    assert visible_on(client, column, item) == public_pages(column)

    services.withdraw_item(staff["editor"], Item.objects.get(pk=item.pk), "内容需要更正")
    assert client.get(item.get_absolute_url()).status_code == 404
    assert visible_on(client, column, item) == []
