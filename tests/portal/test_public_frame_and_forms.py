"""Every public form speaks one language (summary on top, all problems at once, plain Chinese), and every public
page has one frame (header, menu, breadcrumbs, titles "页面 - 机构 - 网站")."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.core.cnnum import parse_chinese_integer
from gongkai.interaction import challenge
from gongkai.interaction.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return found.group(1).strip()


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav id="site-nav".*?</nav>', html, re.S)
    assert nav
    return re.findall(r"<li><a [^>]*>([^<]+)</a></li>", nav.group(0))


def test_apply_form_shows_every_problem_at_once_in_plain_words(site: dict[str, Any], client: Client) -> None:
    long_text = "请公开" * 3334  # 10,002 characters
    response = client.post(reverse("apply:form", args=["yckjj"]), {
        "applicant_kind": "natural_person", "name": "", "id_type": "居民身份证", "id_number": "123",
        "phone": "abc", "description": long_text, "form_wanted": "electronic", "delivery": "post",
    })
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary
    for target in ("id_name", "id_id_number", "id_phone", "id_description", "id_subject", "id_address"):
        assert f'href="#{target}"' in summary.group(0)
    assert "所需信息的内容描述最多5000个字，您填写了10002个字" in html
    assert "请填写正确的联系电话" in html
    assert "确保" not in html and "字符" not in html  # no stock Django wording
    assert long_text in html  # nothing typed is lost
    assert _title(html).startswith("错误：在线申请 - 银川市科学技术局 - ")


def test_mailbox_shows_every_problem_at_once_even_when_sent_too_fast(
    site: dict[str, Any], client: Client, settings: Any,
) -> None:
    settings.GONGKAI_FORM_MIN_SECONDS = 60
    page = client.get(reverse("interact:write")).content.decode()
    token = re.search(r'name="challenge_token" value="([^"]+)"', page)
    assert token
    response = client.post(reverse("interact:write"), {
        "organisation": "yckjj", "kind": "consult", "subject": "", "body": "内容", "name": "张三",
        "email": "", "phone": "abc", "challenge_token": token.group(1), "challenge_answer": "1",
    })
    html = response.content.decode()
    assert response.status_code == 400
    for message in ("提交过快", "请填写主题", "请填写正确的联系电话"):
        assert message in html
    assert not Letter.objects.exists()


def test_mailbox_accepts_an_answer_in_chinese_numerals(site: dict[str, Any], client: Client, settings: Any) -> None:
    settings.GONGKAI_FORM_MIN_SECONDS = 0
    page = client.get(reverse("interact:write")).content.decode()
    token = re.search(r'name="challenge_token" value="([^"]+)"', page)
    question = re.search(r'for="id_challenge_answer">(.+?)(加|减)(.+?)等于几', page)
    assert token and question
    left, op, right = (parse_chinese_integer(question.group(1)), question.group(2),
                       parse_chinese_integer(question.group(3)))
    value = left + right if op == "加" else left - right
    numeral = challenge._numeral(value)
    response = client.post(reverse("interact:write"), {
        "organisation": "yckjj", "kind": "consult", "subject": "咨询", "body": "请问如何申报？", "name": "张三",
        "email": "zhangsan@example.test", "challenge_token": token.group(1), "challenge_answer": numeral,
    })
    assert response.status_code == 302, response.content.decode()
    assert Letter.objects.count() == 1
    receipt = client.get(response["Location"]).content.decode()
    assert "已同时发送到您填写的电子邮箱" in receipt


@pytest.mark.parametrize("url", ["/apply/", "/apply/track/", "/interact/", "/catalog/", "/orgs/", "/reports/",
                                 "/org/yckjj/", "/search/?q=科技"])
def test_every_public_page_has_the_same_frame(site: dict[str, Any], client: Client, url: str) -> None:
    html = client.get(url).content.decode()
    reference = client.get("/catalog/").content.decode()
    assert _menu(html) == _menu(reference) or url == "/org/yckjj/"  # an organisation's own menu names its guide
    assert "依申请公开" in _menu(html) and "政府信息公开指南" in _menu(html)
    assert 'class="breadcrumbs' in html
    title = _title(html)
    assert title.endswith(" - 银川市人民政府政务公开平台"), title
    assert title.count("银川市科学技术局") <= 1 and title.count(" - ") == 2, title
