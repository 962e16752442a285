"""The open API: reads, cursors, conditional requests, rate limits, staff writes with roles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gongkai.api import http as api_http
from gongkai.api.models import ApiToken
from gongkai.review.models import Decision


def get(client: Client, url: str, **headers: str) -> Any:
    return client.get(url, headers=headers)


def test_organisations_and_columns(client, api_site):
    data = get(client, "/api/v1/organisations").json()
    assert [o["code"] for o in data["results"]] == ["yc", "yckjj"]
    assert data["results"][1]["parent"] == "yc"
    assert get(client, "/api/v1/organisations/yckjj/columns").json()["results"][0]["name"] == "通知公告"
    assert get(client, "/api/v1/organisations/nosuch").status_code == 404
    assert get(client, "/api/v1/organisations/nosuch").headers["Content-Type"].startswith("application/problem+json")


def test_items_are_live_only_newest_first_with_cursor(client, api_site):
    first = get(client, "/api/v1/items?limit=2").json()
    titles = [i["title"] for i in first["results"]]
    assert titles == ["第0份高新技术企业认定通知", "第1份高新技术企业认定通知"]
    seen = titles
    cursor = first["next_cursor"]
    while cursor:
        page = get(client, f"/api/v1/items?limit=2&cursor={cursor}").json()
        seen += [i["title"] for i in page["results"]]
        cursor = page["next_cursor"]
    assert len(seen) == 5 and "尚未发布的草稿" not in seen
    draft = api_site["draft"]
    assert get(client, f"/api/v1/items/{draft.pk}").status_code == 404
    item = api_site["items"][0]
    detail = get(client, f"/api/v1/items/{item.pk}").json()
    assert detail["document_number"] == "银科发〔2024〕1号" and "body_html" in detail


def test_item_filters_and_bad_input(client, api_site):
    assert len(get(client, "/api/v1/items?topic=04").json()["results"]) == 3
    assert len(get(client, "/api/v1/items?organisation=yc").json()["results"]) == 5  # subtree
    assert len(get(client, f"/api/v1/items?column={api_site['column'].pk}&topic=11").json()["results"]) == 2
    for bad in ("topic=99", "year=abc", "year=99999", "limit=0", "limit=1000",
                "cursor=garbage", "cursor=1e400_1", "column=-1"):
        response = get(client, f"/api/v1/items?{bad}")
        assert response.status_code == 400, bad
        assert response.json()["title"] == "参数无效"
    assert get(client, "/api/v1/items?organisation=nosuch").status_code == 404
    assert get(client, "/api/v1/items/abc").status_code == 404
    assert get(client, "/api/v1/nosuch/thing").headers["Content-Type"].startswith("application/problem+json")


def test_etag_and_last_modified_give_304(client, api_site):
    first = get(client, "/api/v1/items")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert get(client, "/api/v1/items", If_None_Match=etag).status_code == 304
    assert get(client, "/api/v1/items", If_Modified_Since=modified).status_code == 304
    assert get(client, "/api/v1/items", If_None_Match='"other"').status_code == 200
    item = api_site["items"][0]
    one = get(client, f"/api/v1/items/{item.pk}")
    assert get(client, f"/api/v1/items/{item.pk}", If_None_Match=one.headers["ETag"]).status_code == 304
    from gongkai.catalog import services

    services.withdraw_item(api_site["staff"]["editor"], item, "内容已经失效")
    assert get(client, "/api/v1/items", If_None_Match=etag).status_code == 200


def test_search_endpoint(client, api_site):
    data = get(client, "/api/v1/search?q=" + "银科发[2024]3号").json()
    assert data["results"][0]["title"] == "第2份高新技术企业认定通知"
    data = get(client, "/api/v1/search?q=高新技术&topic=04").json()
    assert data["total"] == 3 and {f["value"] for f in data["facets"]["topic"]} == {"04"}
    assert "<mark>" in data["results"][0]["title_html"]
    assert get(client, "/api/v1/search?q=x&page=26").status_code == 400
    assert get(client, "/api/v1/search?q=" + "政" * 10_000).json()["notices"]
    assert get(client, "/api/v1/search").json()["results"] == []


def test_rate_limit_per_address(client, api_site, monkeypatch):
    monkeypatch.setattr(api_http, "RATE_LIMIT", 3)
    codes = [client.get("/api/v1/organisations").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/organisations")
    assert 0 < int(refused["Retry-After"]) <= 60
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get("/api/v1/organisations").status_code == 200


def post(client: Client, url: str, data: Any, **headers: str) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", headers=headers)


def test_staff_flow_with_token_honours_roles(client, api_site):
    staff, column = api_site["staff"], api_site["column"]
    _, editor_key = ApiToken.issue(staff["editor"], "test")
    auth = {"Authorization": f"Token {editor_key}"}
    assert post(client, "/api/v1/staff/items", {"organisation": "yckjj"}).status_code == 401
    assert post(client, "/api/v1/staff/items", {}, Authorization="Token wrong").status_code == 401
    bad = post(client, "/api/v1/staff/items", {"organisation": "yckjj", "column": column.pk}, **auth)
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
    created = post(client, "/api/v1/staff/items", {
        "organisation": "yckjj", "column": column.pk, "title": "接口起草的乡村振兴通知", "topic": "06",
        "genre": "notice", "disclosure": "proactive", "body": "<p>正文</p>",
    }, **auth)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    submitted = post(client, f"/api/v1/staff/items/{pk}/submit", {}, **auth).json()
    task = submitted["current_task"]
    assert task["role"] == "first_reviewer"
    checks = {f: True for f in Decision.CHECK_FIELDS}
    # The editor may not review; the first reviewer may.
    refused = post(client, f"/api/v1/staff/tasks/{task['id']}/decision", {"action": "approve", "checks": checks}, **auth)
    assert refused.status_code == 403
    for role in ("first_reviewer", "secrecy_reviewer", "approver"):
        _, key = ApiToken.issue(staff[role], "test")
        answer = post(client, f"/api/v1/staff/tasks/{task['id']}/decision",
                      {"action": "approve", "checks": checks}, Authorization=f"Token {key}")
        assert answer.status_code == 200, answer.content
        task = answer.json()["item"]["current_task"]
    assert answer.json()["item"]["is_live"] is True
    assert get(client, "/api/v1/search?q=乡村振兴").json()["results"][0]["id"] == pk


def test_session_writes_need_csrf(api_site):
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_site["staff"]["editor"])
    response = post(client, "/api/v1/staff/items", {"organisation": "yckjj", "title": "x"})
    assert response.status_code == 403 and response.json()["title"] == "CSRF 校验失败"


def test_revoked_tokens_are_refused(client, api_site):
    token, key = ApiToken.issue(api_site["staff"]["editor"], "test")
    token.revoked = True
    token.save()
    assert post(client, "/api/v1/staff/items", {}, Authorization=f"Token {key}").status_code == 401


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe"])
def test_bad_bodies_are_400(client, api_site, body):
    _, key = ApiToken.issue(api_site["staff"]["editor"], "test")
    response = client.post("/api/v1/staff/items", data=body, content_type="application/json",
                           headers={"Authorization": f"Token {key}"})
    assert response.status_code == 400


def test_openapi_document_lists_every_route(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {"/v1/items", "/v1/items/{pk}", "/v1/search", "/v1/organisations", "/v1/staff/items"} <= set(doc["paths"])


def test_api_decisions_keep_duties_apart_and_refuse_a_stale_version(client, api_site):
    from gongkai.orgs.models import Membership, Organisation, Role

    staff, column = api_site["staff"], api_site["column"]
    org = Organisation.objects.get(code="yckjj")
    everyone = type(staff["editor"]).objects.create_user(username="allroles", password="x")
    for role in (Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER):
        Membership.objects.create(user=everyone, organisation=org, role=role)
    _, editor_key = ApiToken.issue(staff["editor"], "test")
    _, key = ApiToken.issue(everyone, "test")
    created = post(client, "/api/v1/staff/items", {
        "organisation": "yckjj", "column": column.pk, "title": "职责分离测试通知", "topic": "06",
        "genre": "notice", "disclosure": "proactive", "body": "<p>正文</p>",
    }, Authorization=f"Token {editor_key}")
    task = post(client, f"/api/v1/staff/items/{created.json()['id']}/submit", {},
                Authorization=f"Token {editor_key}").json()["current_task"]
    checks = {f: True for f in Decision.CHECK_FIELDS}
    stale = post(client, f"/api/v1/staff/tasks/{task['id']}/decision",
                 {"action": "approve", "checks": checks, "version": 7}, Authorization=f"Token {key}")
    assert stale.status_code == 409
    first = post(client, f"/api/v1/staff/tasks/{task['id']}/decision",
                 {"action": "approve", "checks": checks, "version": 0}, Authorization=f"Token {key}")
    assert first.status_code == 200, first.content
    second = first.json()["item"]["current_task"]
    refused = post(client, f"/api/v1/staff/tasks/{second['id']}/decision",
                   {"action": "approve", "checks": checks}, Authorization=f"Token {key}")
    assert refused.status_code == 403 and "同一人只能审核其中一个环节" in refused.json()["detail"]
