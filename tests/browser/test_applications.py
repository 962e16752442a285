"""The applicant's and the staff member's paths through disclosure on request, in a real browser."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache

from gongkai.applications.models import Application, ApplicationEvent
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.personal_data import resident_id_check_char
from gongkai.orgs.models import Membership, Organisation, Role

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def bureau(transactional_db: None, make_user: Any) -> Organisation:
    cache.clear()
    org = Organisation.objects.create(name="明川市科学技术局", short_name="市科技局", code="mckjj",
                                      index_code="11999900MB0000102B", phone="0000-6088732")
    handler = make_user("handler", first_name="晓明", last_name="张")
    Membership.objects.create(user=handler, organisation=org, role=Role.EDITOR)
    head = make_user("head", first_name="洪涛", last_name="马")
    Membership.objects.create(user=head, organisation=org, role=Role.APPROVER)
    return org


def _id_number() -> str:
    first17 = "11010519850307001"
    return first17 + resident_id_check_char(first17)


def _apply(page: Any, org: Organisation) -> tuple[str, str]:
    page.goto("/apply/")
    page.get_by_role("main").get_by_role("link", name=org.name).click()
    page.get_by_label("姓名或名称").fill("测试申请人")
    page.get_by_label("证件号码").fill(_id_number())
    page.get_by_label("联系电话").fill("0000-6012345")
    page.get_by_label("电子邮箱").fill("applicant@example.test")
    page.get_by_label("所需信息名称").fill("2024年度科技计划项目立项清单")
    page.get_by_label("所需信息的内容描述").fill("请公开2024年度市级科技计划项目立项清单。")
    page.get_by_label("获取信息的方式").select_option("email")
    page.get_by_role("button", name="提交申请").click()
    number = page.locator("#tracking-number").inner_text()
    secret = page.locator("#tracking-secret").inner_text()
    return number, secret


def _track(page: Any, number: str, secret: str) -> None:
    page.goto("/apply/track/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询密码").fill(secret)
    page.get_by_role("button", name="查询").click()


def test_applicant_applies_tracks_and_is_refused_on_bad_input(page: Any, bureau: Organisation, screenshot: Any) -> None:
    page.goto(f"/apply/{bureau.code}/")
    page.get_by_label("证件号码").fill("123")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_text("请填写姓名或名称").count() + page.get_by_text("这个字段是必填项").count() > 0
    number, secret = _apply(page, bureau)
    assert re.fullmatch(r"YSQ-mckjj-\d{4}-00001", number)
    screenshot("submitted")
    page.context.clear_cookies()
    _track(page, number, "AAAA-BBBB-CCCC")
    assert page.get_by_text("申请编号或查询密码不正确").is_visible()
    _track(page, number, secret)
    assert page.locator("#app-state").inner_text() == "办理中"
    assert "测试申请人" not in page.content() and _id_number() not in page.content()
    assert "测****（自然人）" in page.content()
    page.get_by_text("逐日计算明细").click()
    assert page.get_by_text("起算日（不计入）").is_visible()
    screenshot("status")


def test_staff_processes_through_correction_extension_and_reply(page: Any, bureau: Organisation,
                                                                 screenshot: Any) -> None:
    number, secret = _apply(page, bureau)
    # The application arrived 30 days ago, so that a correction, its answer and an extension fit before today.
    cal = working_calendar()
    received = dt.date.today() - dt.timedelta(days=30)
    app = Application.objects.get(number=number)
    Application.objects.filter(pk=app.pk).update(received_on=received, arrived_on=received, confirmed_on=received)
    ApplicationEvent.objects.filter(application=app).update(on=received)
    asked = cal.add_working_days(received, 3)
    corrected = cal.add_working_days(asked, 2)
    extended = cal.add_working_days(corrected, 4)

    page.context.clear_cookies()
    page.goto("/workspace/login/")
    page.get_by_label("用户名").fill("handler")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="依申请公开").first.click()
    page.get_by_role("link", name=number).first.click()

    def step(summary: str, fill: dict[str, str], selects: dict[str, str] | None = None) -> None:
        box = page.locator("details.step-form", has_text=summary)
        if box.get_attribute("open") is None:  # a form that failed comes back already open
            box.locator("summary").click()
        for label, value in fill.items():
            box.get_by_label(re.compile(f"^{re.escape(label)}\\*?$")).fill(value)
        for label, value in (selects or {}).items():
            box.get_by_label(re.compile(f"^{re.escape(label)}\\*?$")).select_option(label=value)
        box.get_by_role("button", name=summary).click()

    # An extension approved by nobody is refused, and the page says why.
    step("告知补正", {"日期": asked.isoformat(), "需要补正的事项": "请写明项目所属的计划类别"})
    assert page.locator("#app-state").inner_text() == "待补正"
    step("收到补正", {"日期": corrected.isoformat(), "补正内容摘要": "申请人补充：重点研发计划"})
    assert page.locator("#app-state").inner_text() == "办理中"
    due_before = page.locator("#app-due").inner_text()
    assert due_before == cal.add_working_days(corrected, 20).isoformat()
    step("延长答复期限", {"日期": extended.isoformat(), "延长工作日数": "25", "延期理由": "涉及多个处室的档案"},
         {"批准的负责人": "马洪涛"})
    assert page.get_by_text("延长的期限最长不得超过20个工作日").is_visible()
    step("延长答复期限", {"日期": extended.isoformat(), "延长工作日数": "15", "延期理由": "涉及多个处室的档案"},
         {"批准的负责人": "马洪涛"})
    assert page.locator("#app-due").inner_text() == cal.add_working_days(corrected, 35).isoformat()
    screenshot("extended")
    step("作出答复", {"日期": dt.date.today().isoformat(), "答复内容或理由": "立项清单见附件，已发送至您的邮箱。"},
         {"答复类型": "予以公开"})
    assert page.locator("#app-state").inner_text() == "已答复"
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename == f"{number}-reply.pdf"
    screenshot("replied")

    # The applicant sees every step and gets the letter.
    page.context.clear_cookies()
    _track(page, number, secret)
    assert page.locator("#app-state").inner_text() == "已答复"
    events = page.locator("#app-events").inner_text()
    for label in ("收到申请", "告知补正", "收到补正", "延长答复期限", "作出答复"):
        assert label in events
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    assert download.value.suggested_filename.endswith(".docx")
    screenshot("applicant-replied")
