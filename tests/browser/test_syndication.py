"""信息报送 end to end in a real browser, each site on its own host name: a department publishes on its site,
submits the item to the city portal's 部门动态, the portal's signer accepts it, both sites show it (the copy with
the source's 索引号 and a canonical link to the source's own site); withdrawing the source removes both."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import StepKind, Workflow, WorkflowStep
from tests.accounts.factories import enrol
from tests.browser.login import log_in as log_in_with_second_factor
from tests.sites.factories import make_site

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"
TITLE = "市科技局召开2026年科技创新工作推进会"


def _one_step_workflow(org: Organisation) -> None:
    """This office signs off in one step (审核流程 are configured per organisation)."""
    workflow = Workflow.objects.create(organisation=org, name="签发")
    WorkflowStep.objects.create(workflow=workflow, order=1, name="签发", role=Role.APPROVER, kind=StepKind.SIGNOFF)


@pytest.fixture
def city(transactional_db: None, settings: Any, tmp_path: Path, live_server: Any) -> dict[str, str]:
    settings.MEDIA_ROOT = tmp_path / "media"
    port = urlsplit(live_server.url).port
    gov = Organisation.objects.create(name="明川市人民政府", code="mcs", index_code="11999900MB0000001A", kind="government")
    bureau = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="11999900MB0000102B",
                                         parent=gov)
    portal_column = Column.objects.create(organisation=gov, name="部门动态", slug="bmdt", update_class="news")
    Column.objects.create(organisation=bureau, name="工作动态", slug="gzdt", update_class="news")
    portal, department = f"http://www.mc.localhost:{port}", f"http://kjj.mc.localhost:{port}"
    make_site(gov, name="明川市人民政府门户网站", url=portal, is_main=True, home_layout="portal",
              navigation=[portal_column])
    make_site(bureau, name="明川市科学技术局网站", url=department, home_layout="columns")
    for org, prefix in ((gov, "city"), (bureau, "kjj")):
        _one_step_workflow(org)
        for suffix, role in (("editor", Role.EDITOR), ("approver", Role.APPROVER)):
            user = get_user_model().objects.create_user(username=f"{prefix}-{suffix}", password=PASSWORD)
            Membership.objects.create(user=user, organisation=org, role=role)
            if role == Role.APPROVER:
                enrol(user)  # signers log in with a second factor
    return {"portal": portal, "department": department}


def log_in(page: Any, username: str) -> None:
    log_in_with_second_factor(page, username, PASSWORD)
    page.wait_for_url(re.compile(r"/workspace/$"))


def sign_off(page: Any, username: str, title: str) -> None:
    log_in(page, username)
    page.goto("/workspace/review/")
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("button", name=re.compile("五关均已通过")).click()
    page.get_by_text(f"已通过：{title}").wait_for()


def test_submit_to_the_portal_accept_and_withdraw(page: Any, city: dict[str, str], screenshot: Any) -> None:
    # 1. The bureau publishes on its own site.
    log_in(page, "kjj-editor")
    page.get_by_role("link", name="新建信息").first.click()
    page.get_by_label("栏目").select_option(label="工作动态")
    page.get_by_role("textbox", name="标题").fill(TITLE)
    page.get_by_label("内容概述").fill("部署全年科技创新重点工作")
    page.locator(".ck-editor__editable").fill("12月1日，市科技局召开推进会，部署2026年科技创新重点工作。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存").wait_for()
    source = Item.objects.get(title=TITLE)
    page.goto(f"/workspace/items/{source.pk}/")
    page.get_by_role("button", name="送审").click()
    page.get_by_text("已送审").wait_for()
    sign_off(page, "kjj-approver", TITLE)
    source.refresh_from_db()
    assert source.is_live and source.index_number
    source_url = city["department"] + source.get_absolute_url()
    page.goto(city["department"] + "/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(source_url)

    # 2. It is submitted to the portal's 部门动态; the same again is refused, saying so.
    log_in(page, "kjj-editor")
    page.goto(f"/workspace/items/{source.pk}/")
    page.get_by_role("link", name="报送到上级网站").click()
    page.get_by_label("报送栏目").select_option(label="明川市人民政府 · 部门动态")
    page.get_by_role("button", name="报送").click()
    page.get_by_text("已报送，等待明川市人民政府审核采用。").wait_for()
    page.get_by_label("报送栏目").select_option(label="明川市人民政府 · 部门动态")
    page.get_by_role("button", name="报送").click()
    page.get_by_text("不能重复报送").wait_for()
    screenshot("submitted")

    # 3. The portal's signer accepts it through the portal's own review step.
    sign_off(page, "city-approver", f"信息报送：{TITLE}（明川市科学技术局）")

    # 4. Both sites show it; the portal's copy names its source and points search engines at it.
    page.goto(city["portal"] + "/")
    page.locator("#site-nav").get_by_role("link", name="部门动态").click()
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    copy_url = page.url
    assert copy_url.startswith(city["portal"] + "/items/")
    assert page.locator('link[rel="canonical"]').get_attribute("href") == source_url
    assert source.index_number in page.content()
    page.get_by_text("本信息由明川市科学技术局报送。").wait_for()
    screenshot("accepted-copy")
    page.get_by_role("link", name="查看原文").click()
    page.wait_for_url(source_url)
    page.get_by_role("heading", level=1, name=TITLE).wait_for()

    log_in(page, "kjj-editor")
    page.goto("/workspace/syndication/mckjj/")
    page.get_by_text("报送 1 条，被采用 1 条。").wait_for()
    assert page.locator(".adoption-rate").inner_text() == "100.0%"

    # 5. Withdrawing the source removes both.
    page.goto(f"/workspace/items/{source.pk}/")
    page.get_by_label("撤稿理由").fill("数据有误，需要更正")
    page.get_by_role("button", name="撤稿").click()
    page.get_by_text("已撤稿").first.wait_for()
    assert page.goto(source_url).status == 404
    assert page.goto(copy_url).status == 404
    page.goto(city["portal"] + "/org/mcs/bmdt/")
    assert TITLE not in page.content()
