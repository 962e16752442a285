"""政民互动 in a real browser: a letter from the portal to its published reply, and a consultation from draft to
published feedback. The pages are driven as a person would, challenge question included."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Revision
from tests.accounts.factories import enrol
from tests.browser.login import log_in

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"
ROLES = (Role.EDITOR, Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER)
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


@pytest.fixture(autouse=True)
def _no_wait(settings: Any) -> None:
    settings.GONGKAI_FORM_MIN_SECONDS = 0


@pytest.fixture
def bureau(make_user: Callable[..., Any]) -> Organisation:
    org = Organisation.objects.create(name="明川市科学技术局", short_name="市科技局", code="mckjj", index_code="MCKJJ")
    for role in ROLES:
        user = make_user(f"ix-{role}", password=PASSWORD, first_name=role)
        Membership.objects.create(user=user, organisation=org, role=role)
        if role != Role.EDITOR:
            enrol(user)  # reviewers and signers log in with a second factor
    return org


def _number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    return _DIGITS[text]


def answer_challenge(page: Any) -> None:
    question = page.locator("label[for=id_challenge_answer]").inner_text()
    left, op, right = re.match(r"(.+?)(加|减)(.+?)等于几", question).groups()  # type: ignore[union-attr]
    value = _number(left) + _number(right) if op == "加" else _number(left) - _number(right)
    page.fill("#id_challenge_answer", str(value))


def login(page: Any, role: str) -> None:
    log_in(page, f"ix-{role}", PASSWORD)
    page.wait_for_url("**/workspace/")


def approve_current_task(page: Any, role: str, title_part: str) -> None:
    login(page, role)
    page.goto("/workspace/review/")
    page.get_by_role("link", name=re.compile(title_part)).first.click()
    page.get_by_role("button", name=re.compile("^五关均已通过")).click()  # one control records the five checks
    page.wait_for_url("**/workspace/review/")


def test_letter_is_written_answered_published_without_personal_data(
    page: Any, bureau: Organisation, screenshot: Callable[[str], Path], fill_rich_text: Any
) -> None:
    page.goto("/interact/write/")
    page.select_option("#id_organisation", "mckjj")
    page.get_by_label("咨询").check()
    page.fill("#id_subject", "关于科技创新券申领的咨询")
    page.fill("#id_body", "我是周建国，身份证号11010519491231002X，手机13812345678。请问科技创新券如何申领？")
    page.fill("#id_name", "周建国")
    page.fill("#id_email", "zhoujianguo@example.test")
    page.check("#id_consent_to_publish")
    page.fill("#id_challenge_answer", "999")  # a wrong answer first: nothing typed is lost
    page.get_by_role("button", name="提交来信").click()
    assert "回答错误" in page.locator(".error-summary").inner_text()
    assert "科技创新券如何申领" in page.input_value("#id_body")
    answer_challenge(page)
    page.get_by_role("button", name="提交来信").click()
    page.wait_for_url("**/interact/write/done/")
    number = page.locator("#tracking-number").inner_text()
    secret = page.locator("#tracking-secret").inner_text()
    screenshot("receipt")

    login(page, Role.EDITOR)
    page.goto("/workspace/interaction/")
    page.get_by_role("link", name=number).click()
    fill_rich_text(page, "#id_body", "<p>周建国您好！科技创新券可登录明川市科技服务平台在线申领，审核通过后即可使用。</p>")
    page.get_by_role("button", name="保存并送审").click()
    assert page.locator("#review-state").inner_text() == "待初审"

    for role in (Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER):
        approve_current_task(page, role, number)

    page.context.clear_cookies()
    page.goto("/interact/track/")
    page.fill("#id_tracking_number", number)
    page.fill("#id_secret", secret)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#letter-status").inner_text() == "已答复"
    assert "在线申领" in page.locator(".ix-answer").inner_text()

    login(page, Role.EDITOR)
    page.goto("/workspace/interaction/?state=answered")
    page.get_by_role("link", name=number).click()
    question = page.input_value("#id_public_question")
    assert "周建国" not in question and "13812345678" not in question and "11010519491231002X" not in question
    page.fill("#id_public_answer", page.input_value("#id_public_answer") + "\n联系人手机13900001111")
    page.get_by_role("button", name="选登").click()
    assert "个人信息" in page.locator("#action-errors").inner_text()
    page.fill("#id_public_answer", page.input_value("#id_public_answer").replace("\n联系人手机13900001111", ""))
    page.get_by_role("button", name="选登").click()
    assert "已选登" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    page.goto("/interact/letters/")
    row = page.locator(".ix-letters li", has_text="关于科技创新券申领的咨询")
    assert re.search(r"（留言时间：\d{4}-\d\d-\d\d \d\d:\d\d）", row.inner_text())
    assert re.search(r"（答复时间：\d{4}-\d\d-\d\d \d\d:\d\d）", row.inner_text())
    row.get_by_role("link").click()
    body = page.locator("main").inner_text()
    assert "科技创新券可登录明川市科技服务平台在线申领" in body
    for personal in ("周建国", "13812345678", "11010519491231002X", "zhoujianguo@example.test"):
        assert personal not in page.content()
    screenshot("published-letter")


def _live_policy(org: Organisation, user: Any) -> Item:
    column = Column.objects.create(organisation=org, name="政策文件", slug="zcwj")
    now = timezone.now()
    revision = Revision.objects.create(content_type=ContentType.objects.get_for_model(Item), object_id=0, number=1,
                                       snapshot={}, created_by=user)
    return Item.objects.create(organisation=org, column=column, title="明川市科技创新券管理办法", is_policy=True,
                               document_number="明科发〔2025〕3号", created_by=user, published_at=now,
                               go_live_at=now, live_revision=revision)


def test_consultation_runs_from_draft_to_published_feedback(
    page: Any, bureau: Organisation, screenshot: Callable[[str], Path], fill_rich_text: Any
) -> None:
    today = timezone.localdate()
    login(page, Role.EDITOR)
    page.goto("/workspace/interaction/consultations/new/")
    page.fill("#id_title", "《明川市科技创新券管理办法（征求意见稿）》公开征求意见")
    fill_rich_text(page, "#id_explanation", "<p>为降低企业创新成本，起草本办法。</p>")
    fill_rich_text(page, "#id_draft_text", "<p>第一条 为规范科技创新券管理，制定本办法。</p>")
    page.check("#id_is_major")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="保存").click()
    assert "30" in page.locator(".has-error").inner_text()  # major decision, 15 days: warned, asked why
    page.fill("#id_ends_on", (today + dt.timedelta(days=34)).isoformat())
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="发布征集").click()
    assert page.locator("#phase").inner_text() == "征集中"

    page.context.clear_cookies()
    page.goto("/interact/consultations/")
    page.get_by_role("link", name=re.compile("科技创新券管理办法")).click()
    consultation_url = page.url
    page.fill("#id_body", "建议将检验检测服务纳入创新券适用范围。")
    page.fill("#id_name", "孙丽")
    answer_challenge(page)
    page.get_by_role("button", name="提交意见").click()
    assert "已提交" in page.locator(".ok").inner_text()

    login(page, Role.EDITOR)
    page.goto("/workspace/interaction/consultations/")
    page.get_by_role("link", name=re.compile("科技创新券管理办法")).click()
    page.locator("li[id^=comment-]").first.get_by_role("button", name="提交").click()
    page.get_by_role("button", name="结束征集").click()
    assert page.locator("#phase").inner_text() == "已结束"

    page.context.clear_cookies()
    page.goto(consultation_url)
    assert "已结束" in page.locator("#comment").inner_text()
    assert page.locator("#id_body").count() == 0

    item = _live_policy(bureau, Membership.objects.filter(role=Role.EDITOR).get().user)
    login(page, Role.EDITOR)
    page.goto("/workspace/interaction/consultations/")
    page.get_by_role("link", name=re.compile("科技创新券管理办法")).click()
    page.fill("#id_opinion", "将检验检测服务纳入适用范围")
    page.select_option("#id_decision", "adopted")
    page.fill("#id_reason", "已在第三条中增加检验检测服务。")
    page.get_by_role("button", name="添加").click()
    page.fill("#id_summary", "共收到意见1条，采纳1条。")
    page.select_option("#id_final_item", str(item.pk))
    page.get_by_role("button", name="保存并发布反馈").click()
    assert "已发布" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    page.goto(consultation_url)
    feedback = page.locator("#feedback")
    assert "将检验检测服务纳入适用范围" in feedback.inner_text()
    assert "采纳" in feedback.inner_text()
    assert page.locator("#final-item").get_attribute("href") == f"/items/{item.pk}/"
    assert "孙*" in page.locator("main").inner_text() and "孙丽" not in page.content()
    screenshot("feedback")
