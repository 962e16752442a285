"""A small published catalog and a staff of every role for the API tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from gongkai.catalog import services as catalog
from gongkai.catalog.models import Column
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Revision
from tests.catalog.factories import item_data


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db: None) -> None:
    cache.clear()


@pytest.fixture
def api_site(db: None) -> dict[str, Any]:
    root = Organisation.objects.create(name="银川市人民政府", code="yc", index_code="YC")
    kjj = Organisation.objects.create(name="银川市科学技术局", short_name="市科技局", code="yckjj",
                                      index_code="YCKJJ", parent=root)
    column = Column.objects.create(organisation=kjj, name="通知公告", slug="tzgg", update_class="notice_policy")
    User = get_user_model()
    staff = {}
    for role in Role.values:
        user = User.objects.create_user(username=role, password="correct-horse-battery")
        Membership.objects.create(user=user, organisation=kjj, role=role)
        staff[role] = user
    items = []
    now = timezone.now()
    for n in range(5):
        item = catalog.create_item(staff["editor"], kjj, item_data(
            column, title=f"第{n}份高新技术企业认定通知", document_number=f"银科发〔2024〕{n + 1}号",
            topic="11" if n % 2 else "04"))
        revision = Revision.objects.filter(object_id=item.pk).order_by("-number").first()
        assert revision is not None
        catalog.publish_revision(item, revision, staff["editor"], now - dt.timedelta(days=n + 1))
        item.refresh_from_db()
        items.append(item)
    draft = catalog.create_item(staff["editor"], kjj, item_data(column, title="尚未发布的草稿"))
    return {"root": root, "kjj": kjj, "column": column, "staff": staff, "items": items, "draft": draft}
