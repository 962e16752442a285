"""Every public form and lookup is limited per address by the one rate limiter, and says so in Chinese with 429:
application and letter submissions, both trackings (letter tracking had no limit: 242 wrong secrets, no 429),
consultation comments, site search, staff login, the API."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.api import http as api_http
from gongkai.interaction import services as interaction
from gongkai.orgs.models import Membership, Organisation, Role
from tests.applications.factories import fake_resident_id
from tests.interaction.factories import Staff
from tests.interaction.test_pages import solve


@pytest.fixture(autouse=True)
def _fast_forms(settings: Any) -> None:
    settings.GONGKAI_FORM_MIN_SECONDS = 0


@pytest.fixture
def staff(make_user: Callable[..., Any]) -> Staff:
    org = Organisation.objects.create(name="测试市科学技术局", code="kjj", index_code="KJJ")
    users = {}
    for role in Role.values:
        users[role] = make_user(f"kjj-{role}")
        Membership.objects.create(user=users[role], organisation=org, role=role)
    return Staff(org, users)


def refused_in_chinese(response: Any) -> bool:
    text = response.content.decode()
    return response.status_code == 429 and "过于频繁" in text


def first_refusal(send: Callable[[int], Any], up_to: int) -> int:
    """How many attempts passed before the first 429 (which must explain itself in Chinese)."""
    for n in range(up_to):
        response = send(n)
        if response.status_code == 429:
            assert refused_in_chinese(response), response.content.decode()[:300]
            return n
    raise AssertionError(f"no 429 after {up_to} attempts")


def test_letter_tracking_is_rate_limited(staff: Staff, client: Client) -> None:
    assert first_refusal(lambda n: client.post("/interact/track/", {
        "tracking_number": f"KJJ-2026-{n:05d}", "secret": "AAAA-BBBB-CCCC"}), 242) == 30


def test_application_tracking_is_rate_limited(staff: Staff, client: Client) -> None:
    assert first_refusal(lambda n: client.post("/apply/track/", {
        "number": f"YSQ-kjj-2026-{n:05d}", "secret": "AAAA-BBBB-CCCC"}), 100) == 30


def test_application_form_is_rate_limited(staff: Staff, client: Client) -> None:
    def apply(n: int) -> Any:
        return client.post(f"/apply/{staff.org.code}/", {
            "applicant_kind": "natural_person", "name": "测试申请人", "id_type": "居民身份证",
            "id_number": fake_resident_id(n + 1), "phone": "0000-6012345", "email": "applicant@example.test",
            "address": "明川市金川区示例路1号", "subject": "2024年度科技计划项目立项清单",
            "description": "请公开2024年度市级科技计划项目立项清单。", "form_wanted": "electronic", "delivery": "email",
        })
    assert first_refusal(apply, 10) == 5


def test_mailbox_form_is_rate_limited(staff: Staff, client: Client, settings: Any) -> None:
    settings.GONGKAI_LETTERS_PER_HOUR = 2

    def write(n: int) -> Any:
        page = client.get("/interact/write/").content.decode()
        return client.post("/interact/write/", {
            "organisation": staff.org.code, "kind": "consult", "subject": f"咨询{n}", "body": "请问如何申报？",
            "name": "张三", "email": "zhangsan@example.test", "phone": "", **solve(page)})
    assert first_refusal(write, 6) == 2


def test_consultation_comments_are_rate_limited(staff: Staff, client: Client, settings: Any) -> None:
    settings.GONGKAI_COMMENTS_PER_HOUR = 2
    today = timezone.localdate()
    c = interaction.create_consultation(staff.editor, staff.org, {
        "title": "《明川市科技创新券管理办法（征求意见稿）》公开征求意见", "explanation": "<p>说明</p>",
        "draft_text": "<p>第一条</p>", "is_major": False, "starts_on": today,
        "ends_on": today + dt.timedelta(days=29), "short_period_reason": "", "contact": "政策法规科"})
    interaction.open_consultation(staff.editor, c, expected_version=c.lock_version)

    def comment(n: int) -> Any:
        page = client.get(f"/interact/consultations/{c.pk}/").content.decode()
        return client.post(f"/interact/consultations/{c.pk}/", {"body": f"意见{n}", **solve(page)})
    assert first_refusal(comment, 6) == 2


def test_site_search_is_rate_limited(db: None, client: Client, settings: Any) -> None:
    settings.SEARCH_RATE_LIMITS = [(3, 60)]
    assert first_refusal(lambda n: client.get("/search/", {"q": f"科技{n}"}), 10) == 3


def test_staff_login_is_rate_limited_per_address(db: None, client: Client, settings: Any) -> None:
    settings.LOGIN_RATE_LIMITS = [(4, 600)]
    assert first_refusal(lambda n: client.post("/workspace/login/", {"username": f"user{n}", "password": "x"}), 10) == 4


def test_api_is_rate_limited(db: None, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_http, "RATE_LIMIT", 3)
    assert first_refusal(lambda n: client.get("/api/v1/organisations"), 10) == 3
    body = json.loads(client.get("/api/v1/organisations").content)
    assert re.search("频繁", body["title"])
