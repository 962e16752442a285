"""A city portal and two departments' sites, with one member per role in each organisation, and a way to publish
an item through a department's own review steps."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review import services as review
from gongkai.review.selectors import current_task, open_submission
from tests.catalog.factories import ALL_CHECKS, item_data
from tests.sites.factories import make_site

PORTAL = "www.mc.example"
BUREAU = "kjj.mc.example"


def _staff(org: Organisation) -> dict[str, Any]:
    users = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(username=f"{org.code}-{role}", password="correct-horse-battery")
        Membership.objects.create(user=user, organisation=org, role=role)
        users[role] = user
    return users


@pytest.fixture
def city(db: None, settings: Any) -> dict[str, Any]:
    settings.SITE_URL = "https://gk.mc.example"
    gov = Organisation.objects.create(name="明川市人民政府", code="mcs", index_code="11999900MB0000001A", kind="government")
    bureau = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="11999900MB0000102B",
                                         parent=gov)
    edu = Organisation.objects.create(name="明川市教育局", code="mcjyj", index_code="11999900MB0000203C", parent=gov)
    make_site(gov, url=f"https://{PORTAL}", is_main=True, home_layout="portal")
    make_site(bureau, url=f"https://{BUREAU}", home_layout="columns")
    return {
        "gov": gov, "bureau": bureau, "edu": edu,
        "portal_column": Column.objects.create(organisation=gov, name="部门动态", slug="bmdt", update_class="news"),
        "bureau_column": Column.objects.create(organisation=bureau, name="工作动态", slug="gzdt", update_class="news"),
        "edu_column": Column.objects.create(organisation=edu, name="工作动态", slug="gzdt", update_class="news"),
        "gov_staff": _staff(gov), "bureau_staff": _staff(bureau), "edu_staff": _staff(edu),
    }


def approve(staff: dict[str, Any], obj: Any) -> None:
    """Every step of `obj`'s open review, each by its role in `staff`."""
    sub = open_submission(obj)
    assert sub is not None
    while (task := current_task(sub)) is not None:
        review.decide(staff[task.role], task, action="approve", checks=ALL_CHECKS)


def publish(staff: dict[str, Any], column: Column, title: str) -> Item:
    item = catalog_services.create_item(staff["editor"], column.organisation, item_data(
        column, title=title, genre="news", topic="02", document_number=""))
    catalog_services.submit_item(staff["editor"], item)
    approve(staff, item)
    item.refresh_from_db()
    assert item.is_live
    return item
