"""Builders for search tests: organisations, columns and items published straight through catalog services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.catalog import services as catalog
from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Revision


class World:
    def __init__(self) -> None:
        self.root = Organisation.objects.create(name="银川市人民政府", code="yc", index_code="YC")
        self.kjj = Organisation.objects.create(name="银川市科学技术局", short_name="市科技局", code="yckjj",
                                               index_code="YCKJJ", parent=self.root)
        self.czj = Organisation.objects.create(name="银川市财政局", short_name="市财政局", code="ycczj",
                                               index_code="YCCZJ", parent=self.root)
        self.columns = {
            org.code: Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")
            for org in (self.root, self.kjj, self.czj)
        }
        User = get_user_model()
        self.editor = User.objects.create_user(username="editor", password="correct-horse-battery")
        for org in (self.root, self.kjj, self.czj):
            Membership.objects.create(user=self.editor, organisation=org, role=Role.EDITOR)

    def publish(self, org: Organisation, title: str, body: str = "", *, when: dt.datetime | None = None,
                **fields: Any) -> Item:
        data = {
            "column_id": self.columns[org.code].pk, "title": title, "summary": "", "body": body,
            "document_number": "", "written_on": None, "topic": "02", "genre": "notice", "keywords": "",
            "source": "", "is_policy": False, "is_normative": False, "validity": "", "effective_on": None,
            "expires_on": None, "abolished_on": None, "disclosure": "proactive", "non_disclosure_reason": "",
            "interprets_id": None, "interpretation_form": "", "index_number": "",
        }
        data.update(fields)
        item = catalog.create_item(self.editor, org, data)
        revision = Revision.objects.filter(object_id=item.pk).order_by("-number").first()
        assert revision is not None
        catalog.publish_revision(item, revision, self.editor, when or timezone.now() - dt.timedelta(minutes=1))
        item.refresh_from_db()
        return item


@pytest.fixture
def world(db: None) -> World:
    return World()


HOSTILE = [
    '"', '""', '"unbalanced', "*", "a*", "NEAR(a b)", "NEAR", "^start", "title:x", "s_title:高新", "(", ")",
    "((a) OR b", "a AND", "OR", "NOT", "-", "'; DROP TABLE search_searchdocument; --", "' OR 1=1 --",
    "\\", "%", "_", "&|!<->", "a:*", "!!", "\x00", "<script>alert(1)</script>", "{s_title}: x", "x" * 10_000,
    "政府" * 5_000, "", "   ", "\u200b", "\ue000",
]


@pytest.fixture
def hostile_queries() -> list[str]:
    """FTS and SQL syntax, control characters, overlong and empty input."""
    return list(HOSTILE)
