"""A person publishes an item through all three review steps in the workspace and finds it on the portal;
the draft is invisible to the public meanwhile."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from tests.accounts.factories import enrol
from tests.browser.login import log_in as log_in_with_second_factor

PASSWORD = "browser-test-password-1"
STEPS = [("reviewer", "初审"), ("secrecy", "保密审查"), ("approver", "签发")]


@pytest.fixture
def bureau(transactional_db: Any) -> Organisation:
    org = Organisation.objects.create(
        name="明川市科学技术局", short_name="市科技局", code="mckjj", index_code="11999900MB0000102B",
        address="明川市人民路1号", phone="0000-1234567",
    )
    Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")
    User = get_user_model()
    for username, role in [("editor", Role.EDITOR), ("reviewer", Role.FIRST_REVIEWER),
                           ("secrecy", Role.SECRECY_REVIEWER), ("approver", Role.APPROVER)]:
        user = User.objects.create_user(username=username, password=PASSWORD)
        Membership.objects.create(user=user, organisation=org, role=role)
        if role != Role.EDITOR:
            enrol(user)  # reviewers and signers log in with a second factor
    return org


def log_in(page: Any, username: str) -> None:
    log_in_with_second_factor(page, username, PASSWORD)
    page.wait_for_url(re.compile(r"/workspace/$"))


def test_publish_through_three_steps_and_read_on_the_portal(page: Any, bureau: Organisation, screenshot: Any) -> None:
    title = "关于组织申报2026年度科技创新券的通知"
    log_in(page, "editor")
    page.get_by_role("link", name="新建信息").first.click()
    page.get_by_label("栏目").select_option(label="通知公告")
    page.get_by_label("标题").fill(title)
    page.get_by_label("内容概述").fill("组织申报科技创新券")
    page.get_by_label("正文").fill("<p>各有关企业：现组织申报2026年度科技创新券，请于12月31日前提交材料。</p>")
    page.get_by_label("文号").fill("明科发〔2026〕21号")
    page.get_by_label("成文日期").fill("2026-11-20")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存").wait_for()
    item = Item.objects.get(title=title)

    # The draft is nowhere on the portal.
    assert page.goto(item.get_absolute_url()).status == 404
    page.goto("/search/?q=" + "科技创新券")
    assert title not in page.content()

    page.goto(f"/workspace/items/{item.pk}/")
    page.get_by_role("button", name="送审").click()
    page.get_by_text("已送审").wait_for()
    screenshot("submitted")

    for username, step in STEPS:
        log_in(page, username)
        page.goto("/workspace/review/")
        page.get_by_role("link", name=title).click()
        for check in ["政治关", "政策关", "保密关", "格式关", "文字关"]:
            page.get_by_label(check).check()
        page.get_by_label("通过").check()
        if step == "签发":
            screenshot("signoff")
        page.get_by_role("button", name="提交审核意见").click()
        page.get_by_text(f"已通过：{title}").wait_for()

    item.refresh_from_db()
    assert item.is_live and item.index_number
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    body = page.content()
    assert item.index_number in body and "明科发〔2026〕21号" in body
    screenshot("published")


def test_approval_without_the_five_checks_is_refused(page: Any, bureau: Organisation) -> None:
    log_in(page, "editor")
    page.goto("/workspace/items/new/")
    page.get_by_label("栏目").select_option(label="通知公告")
    page.get_by_label("标题").fill("五关测试通知")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="送审").click()
    log_in(page, "reviewer")
    page.goto("/workspace/review/")
    page.get_by_role("link", name="五关测试通知").click()
    page.get_by_label("政治关").check()
    page.get_by_label("通过").check()
    page.get_by_role("button", name="提交审核意见").click()
    page.get_by_text("通过前须确认五关").wait_for()
    assert not Item.objects.get(title="五关测试通知").is_live
