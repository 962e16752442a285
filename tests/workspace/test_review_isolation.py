"""Another office's review tasks and pre-check findings answer exactly like missing ones in the workspace: no
status, message or redirect tells their ids or states apart."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.catalog import services as catalog
from gongkai.catalog.models import Column
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Finding
from tests.catalog.factories import item_data

MISSING = 10**9


@pytest.fixture
def offices(db: None) -> dict[str, Any]:
    kjj = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="A1")
    jyj = Organisation.objects.create(name="明川市教育局", code="mcjyj", index_code="A2")
    column = Column.objects.create(organisation=kjj, name="通知公告", slug="tzgg")
    people: dict[str, Any] = {}
    for org in (kjj, jyj):
        for role in Role.values:
            user = get_user_model().objects.create_user(f"{org.code}-{role}")
            Membership.objects.create(user=user, organisation=org, role=role)
            people[f"{org.code}-{role}"] = user
    item = catalog.create_item(people["mckjj-editor"], kjj,
                               item_data(column, title="联系人电话的通知", body="<p>请致电13912345678。</p>"))
    submission = catalog.submit_item(people["mckjj-editor"], item)
    return {"people": people, "submission": submission, "finding": Finding.objects.get(submission=submission)}


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_override_of_another_offices_finding_redirects_nowhere(offices: dict[str, Any]) -> None:
    """A refused override redirected to the other office's task, naming its id."""
    finding = offices["finding"]
    for role in Role.values:
        client = as_user(offices["people"][f"mcjyj-{role}"])
        real = client.post(f"/workspace/review/findings/{finding.pk}/override/", {"reason": "不涉及个人信息"})
        missing = client.post(f"/workspace/review/findings/{MISSING}/override/", {"reason": "不涉及个人信息"})
        assert real.status_code == missing.status_code == 404, role
        assert "Location" not in real
    finding.refresh_from_db()
    assert finding.overridden_at is None


def test_another_offices_task_page_and_decision_answer_404(offices: dict[str, Any]) -> None:
    task = offices["submission"].tasks.get(status="pending")
    for role in Role.values:
        client = as_user(offices["people"][f"mcjyj-{role}"])
        for pk in (task.pk, MISSING):
            assert client.get(f"/workspace/review/tasks/{pk}/").status_code == 404
            assert client.post(f"/workspace/review/tasks/{pk}/", {"action": "return", "comment": "退回"}).status_code == 404
    task.refresh_from_db()
    assert task.status == "pending"
