"""The API and its OpenAPI document agree: numeric limits, required fields, every schema-valid cursor, state
conflicts as 409; a decision names the object it was about; another office's task answers like a missing one."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from gongkai.api.models import ApiToken
from gongkai.api.openapi import CURSOR_PATTERN, MAX_ID, document, item_create_schema
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Decision
from tests.catalog.factories import item_data

CHECKS = {f: True for f in Decision.CHECK_FIELDS}


def post(client: Client, url: str, body: dict[str, Any], key: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Token {key}"})


def key_for(user: Any) -> str:
    return ApiToken.issue(user, "test")[1]


def _parameters(method: str = "get") -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path, operations in document()["paths"].items():
        for parameter in operations.get(method, {}).get("parameters", []):
            found.append((f"{path}?{parameter['name']}", parameter["schema"]))
    return found


def test_every_integer_in_the_document_is_bounded() -> None:
    integers = [(name, schema) for name, schema in _parameters() if schema["type"] == "integer"]
    integers += [(f"body.{name}", schema) for name, schema in item_create_schema()["properties"].items()
                 if schema["type"] == "integer"]
    assert integers
    for name, schema in integers:
        assert "minimum" in schema and "maximum" in schema, name


@pytest.mark.parametrize("name,good,bad", [("column", MAX_ID, MAX_ID + 1), ("year", 2100, 2101), ("limit", 100, 101)])
def test_numeric_limits_are_the_documented_ones(client: Client, api_site: dict[str, Any], name: str, good: int,
                                                bad: int) -> None:
    assert client.get(f"/api/v1/items?{name}={good}").status_code == 200
    refused = client.get(f"/api/v1/items?{name}={bad}")
    assert refused.status_code == 400 and refused.json()["field"] == name


def test_required_fields_are_the_documented_ones(client: Client, api_site: dict[str, Any]) -> None:
    schema = item_create_schema()
    assert set(schema["required"]) == {"organisation", "column", "title"}
    key = key_for(api_site["staff"]["editor"])
    minimal = {"organisation": "yckjj", "column": api_site["column"].pk, "title": "只填必填项的通知"}
    created = post(client, "/api/v1/staff/items", minimal, key)
    assert created.status_code == 201, created.content
    item = Item.objects.get(pk=created.json()["id"])
    assert (item.topic, item.genre, item.disclosure) == ("02", "other", "proactive")  # the documented defaults
    for name in schema["required"]:
        response = post(client, "/api/v1/staff/items", {k: v for k, v in minimal.items() if k != name}, key)
        assert response.status_code == 400, name


class TestEverySchemaValidCursor(HypothesisTestCase):
    """The known flaky failure: a cursor the document allows was answered 400 ("RejectedPositiveData")."""

    @given(cursor=st.from_regex(re.compile(CURSOR_PATTERN, re.ASCII), fullmatch=True))
    def test_is_answered_with_a_page(self, cursor: str) -> None:
        response = Client().get("/api/v1/items", {"cursor": cursor})
        assert response.status_code == 200, (cursor, response.content[:200])
        assert response.json()["results"] == []  # no items in this database: any position is past the end


def test_state_conflicts_answer_409_as_documented(client: Client, api_site: dict[str, Any]) -> None:
    staff, item = api_site["staff"], api_site["draft"]
    editor = key_for(staff["editor"])
    task = post(client, f"/api/v1/staff/items/{item.pk}/submit", {}, editor).json()["current_task"]
    again = post(client, f"/api/v1/staff/items/{item.pk}/submit", {}, editor)
    assert again.status_code == 409 and "审核中" in again.json()["detail"]
    reviewer = key_for(staff["first_reviewer"])
    assert post(client, f"/api/v1/staff/tasks/{task['id']}/decision",
                {"action": "approve", "checks": CHECKS}, reviewer).status_code == 200
    twice = post(client, f"/api/v1/staff/tasks/{task['id']}/decision", {"action": "approve", "checks": CHECKS}, reviewer)
    assert twice.status_code == 409 and twice.headers["Content-Type"].startswith("application/problem+json")
    for path in ("/v1/staff/items/{pk}/submit", "/v1/staff/tasks/{pk}/decision"):
        assert "409" in document()["paths"][path]["post"]["responses"]


@pytest.fixture
def other_office(api_site: dict[str, Any]) -> dict[str, Any]:
    jyj = Organisation.objects.create(name="银川市教育局", code="ycjyj", index_code="YCJYJ", parent=api_site["root"])
    column = Column.objects.create(organisation=jyj, name="通知公告", slug="tzgg")
    staff = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(username=f"jyj-{role}")
        Membership.objects.create(user=user, organisation=jyj, role=role)
        staff[role] = user
    return {"org": jyj, "column": column, "staff": staff}


def test_decision_on_a_duty_list_names_the_version_never_an_item(
    client: Client, api_site: dict[str, Any], other_office: dict[str, Any],
) -> None:
    """A decision on a task whose object is not an item answered with the state of whichever Item had the same
    primary key — here another office's unpublished draft."""
    staff = api_site["staff"]
    secret_draft = catalog.create_item(other_office["staff"]["editor"], other_office["org"],
                                       item_data(other_office["column"], title="教育局未发布的内部草稿"))
    version = None
    while version is None or version.pk < secret_draft.pk:
        version = catalog.create_duty_list_version(
            staff["editor"], api_site["kjj"], kind="power", label="2025年版", effective_on=dt.date(2025, 1, 1),
            note="", entries=[{"name": "科技项目立项", "category": "行政确认"}])
    assert version.pk == secret_draft.pk  # the collision the old code turned into a leak
    task = catalog.submit_duty_version(staff["editor"], version).tasks.get(status="pending")
    answer = post(client, f"/api/v1/staff/tasks/{task.pk}/decision", {"action": "approve", "checks": CHECKS},
                  key_for(staff["first_reviewer"]))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["item"] is None
    assert body["object"]["type"] == "catalog.dutylistversion" and body["object"]["id"] == version.pk
    assert body["object"]["current_task"]["role"] == Role.SECRECY_REVIEWER
    assert "教育局未发布的内部草稿" not in answer.content.decode()


def test_another_offices_task_answers_exactly_like_a_missing_one(
    client: Client, api_site: dict[str, Any], other_office: dict[str, Any],
) -> None:
    """Ids and states of another office's review tasks could be told apart (403 naming the role, 400, 404)."""
    staff = api_site["staff"]
    item = api_site["draft"]
    pending = catalog.submit_item(staff["editor"], item).tasks.get(status="pending")
    done = catalog.submit_item(staff["editor"], api_site["items"][0]).tasks.get(status="pending")
    post(client, f"/api/v1/staff/tasks/{done.pk}/decision", {"action": "return", "comment": "请修改"},
         key_for(staff["first_reviewer"]))
    missing = 10**9
    for role, user in other_office["staff"].items():
        key = key_for(user)
        answers = {
            post(client, f"/api/v1/staff/tasks/{pk}/decision", {"action": "approve", "checks": CHECKS}, key).content
            for pk in (pending.pk, done.pk, missing)
        }
        assert len(answers) == 1, role  # one and the same answer for all three
        page = Client()
        page.force_login(user)
        statuses = {page.get(f"/workspace/review/tasks/{pk}/").status_code for pk in (pending.pk, done.pk, missing)}
        assert statuses == {404}, role
    assert post(client, f"/api/v1/staff/tasks/{missing}/decision", {"action": "approve"},
                key_for(other_office["staff"]["first_reviewer"])).status_code == 404
