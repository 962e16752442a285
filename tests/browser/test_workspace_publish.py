"""A person publishes an item through all three review steps in the workspace and finds it on the portal;
the draft is invisible to the public meanwhile."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gongkai.catalog.models import Item
from gongkai.orgs.models import Organisation
from tests.browser.bureau import log_in, make_bureau

STEPS = [("reviewer", "初审"), ("secrecy", "保密审查"), ("approver", "签发")]


@pytest.fixture
def bureau(transactional_db: Any) -> Organisation:
    return make_bureau()


def test_publish_through_three_steps_and_read_on_the_portal(page: Any, bureau: Organisation, screenshot: Any) -> None:
    title = "关于组织申报2026年度科技创新券的通知"
    log_in(page, "editor")
    page.get_by_role("link", name="新建信息").first.click()
    page.get_by_label("栏目").select_option(label="通知公告")
    page.get_by_role("textbox", name="标题").fill(title)
    page.get_by_label("内容概述").fill("组织申报科技创新券")
    page.locator(".ck-editor__editable").fill("各有关企业：现组织申报2026年度科技创新券，请于12月31日前提交材料。")
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
        if step == "签发":
            screenshot("signoff")
        page.get_by_role("button", name=re.compile("^五关均已通过")).click()
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


def test_a_return_reaches_the_editors_to_do_list(page: Any, bureau: Organisation) -> None:
    log_in(page, "editor")
    page.goto("/workspace/items/new/")
    page.get_by_label("栏目").select_option(label="通知公告")
    page.get_by_role("textbox", name="标题").fill("退回测试通知")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="送审").click()
    log_in(page, "reviewer")
    page.goto("/workspace/review/")
    page.get_by_role("link", name="退回测试通知").click()
    page.get_by_text("退回修改", exact=True).first.click()  # opens the return form
    page.get_by_label("政治关").check()
    page.get_by_label("修改意见（必填）").fill("请补充文号和成文日期。")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("已退回修改：退回测试通知").wait_for()
    log_in(page, "editor")
    page.get_by_role("link", name=re.compile("^待办")).click()
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("退回给我修改")))
    section.get_by_text("请补充文号和成文日期。").wait_for()
    assert not Item.objects.get(title="退回测试通知").is_live
