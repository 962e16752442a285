"""信息管理 with a stage for every item and its filters, names family name first, and the three ledgers in Excel."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import selectors, services
from gongkai.catalog.models import Column, Item
from gongkai.interaction import services as interaction_services
from gongkai.review import services as review
from gongkai.review.selectors import current_task, review_state
from tests.catalog.factories import approve_all, item_data
from tests.interaction.factories import letter_input


@pytest.fixture
def items(staff: dict[str, Any], column: Column) -> dict[str, Item]:
    """One item at each stage, plus a published one whose revision is in review."""
    editor = staff["editor"]
    made: dict[str, Item] = {}

    def new(title: str, **extra: Any) -> Item:
        return services.create_item(editor, column.organisation, item_data(column, title=title, **extra))

    made["draft"] = new("草稿中的通知")
    made["in_review"] = new("审核中的通知")
    services.submit_item(editor, made["in_review"])
    made["returned"] = new("被退回的通知")
    services.submit_item(editor, made["returned"])
    sub = review_state(made["returned"]).submission
    assert sub is not None
    review.decide(staff["first_reviewer"], current_task(sub), action="return", checks={}, comment="请补充")
    made["scheduled"] = new("定时发布的通知")
    services.submit_item(editor, made["scheduled"], publish_at=timezone.now() + dt.timedelta(days=3))
    approve_all(staff, made["scheduled"])
    made["published"] = new("已发布的通知", document_number="银科发〔2024〕9号")
    services.submit_item(editor, made["published"])
    approve_all(staff, made["published"])
    made["withdrawn"] = new("已撤稿的通知")
    services.submit_item(editor, made["withdrawn"])
    approve_all(staff, made["withdrawn"])
    services.withdraw_item(editor, made["withdrawn"], "内容有误需撤回")
    made["revised"] = new("修订中的已发布通知")
    services.submit_item(editor, made["revised"])
    approve_all(staff, made["revised"])
    services.update_item(editor, made["revised"], item_data(column, title="修订中的已发布通知（修订）"),
                         expected_version=Item.objects.get(pk=made["revised"].pk).lock_version)
    services.submit_item(editor, made["revised"])
    return made


def test_every_item_has_exactly_one_stage(staff: dict[str, Any], items: dict[str, Item]) -> None:
    stages = {i.pk: i.stage for i in selectors.staff_items_in_state(staff["editor"])}
    for stage in ("draft", "in_review", "returned", "scheduled", "published", "withdrawn"):
        assert stages[items[stage].pk] == stage
        assert selectors.item_stage(items[stage]) == stage
    assert stages[items["revised"].pk] == "in_review"  # its public version stays up meanwhile
    assert selectors.stage_counts(staff["editor"]) == {
        "draft": 1, "in_review": 2, "returned": 1, "scheduled": 1, "published": 1, "withdrawn": 1}


def test_the_list_shows_stage_step_and_filters(staff: dict[str, Any], items: dict[str, Item],
                                                column: Column) -> None:
    client = Client()
    client.force_login(staff["editor"])
    page = client.get(reverse("workspace:items")).content.decode()
    for word in ("草稿", "审核中", "已退回", "待发布", "已发布", "已撤稿", "待初审"):
        assert word in page
    published = client.get(reverse("workspace:items"), {"state": "published"}).content.decode()
    assert "已发布的通知" in published and "草稿中的通知" not in published
    found = client.get(reverse("workspace:items"), {"q": "〔2024〕9号"}).content.decode()
    assert "已发布的通知" in found and "被退回的通知" not in found
    other = Column.objects.create(organisation=column.organisation, name="工作动态", slug="gzdt", update_class="news")
    assert "没有符合条件的信息" in client.get(reverse("workspace:items"), {"column": other.pk}).content.decode()
    later = client.get(reverse("workspace:items"), {"date_from": (timezone.localdate() + dt.timedelta(days=2)).isoformat()})
    assert "定时发布的通知" in later.content.decode() and "草稿中的通知" not in later.content.decode()
    wrong = client.get(reverse("workspace:items"), {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "结束日期不能早于开始日期" in wrong.content.decode()
    assert client.get(reverse("workspace:items"), {"org": "nosuchorg"}).status_code == 404


def test_the_item_page_uses_the_same_words(staff: dict[str, Any], items: dict[str, Item]) -> None:
    client = Client()
    client.force_login(staff["editor"])
    withdrawn = client.get(reverse("workspace:item", args=[items["withdrawn"].pk])).content.decode()
    assert "<strong>已撤稿</strong>" in withdrawn
    published = client.get(reverse("workspace:item", args=[items["published"].pk])).content.decode()
    assert "<strong>已发布</strong>" in published


def test_names_are_written_family_name_first(staff: dict[str, Any], items: dict[str, Item]) -> None:
    editor = staff["editor"]
    editor.first_name, editor.last_name = "晓明", "张"
    editor.save()
    client = Client()
    client.force_login(editor)
    for url in (reverse("workspace:home"), reverse("workspace:items"),
                reverse("workspace:item", args=[items["draft"].pk])):
        page = client.get(url).content.decode()
        assert "张晓明" in page and "晓明 张" not in page


def _sheet(content: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_item_ledger_follows_the_list_filters(staff: dict[str, Any], items: dict[str, Item]) -> None:
    client = Client()
    client.force_login(staff["editor"])
    response = client.get(reverse("workspace:ledger", args=["items"]), {"state": "published"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = _sheet(response.content)
    assert rows[0][:6] == ["索引号", "标题", "文号", "栏目", "机构", "状态"]
    assert [r[1] for r in rows[1:]] == ["已发布的通知"]
    line = rows[1]
    assert line[0] == items["published"].index_number and line[2] == "银科发〔2024〕9号"
    assert "本网站" in line[8]
    assert line[9] == "初审：first_reviewer；保密审查：secrecy_reviewer；签发：approver"


def test_ledger_command_writes_each_kind(staff: dict[str, Any], items: dict[str, Item], column: Column,
                                         tmp_path: Path) -> None:
    org = column.organisation
    letter, _ = interaction_services.submit_letter(org, letter_input(), address=None)
    out = tmp_path / "items.xlsx"
    today = timezone.localdate().isoformat()
    call_command("ledger", "items", "--org", org.code, "--from", today, "--to", today, "--out", str(out),
                 stdout=io.StringIO())
    titles = sorted(r[1] for r in _sheet(out.read_bytes())[1:])
    # Items published today, withdrawn ones included; the scheduled one goes out in three days.
    assert "已发布的通知" in titles and "已撤稿的通知" in titles and "草稿中的通知" not in titles
    letters = tmp_path / "letters.xlsx"
    call_command("ledger", "letters", "--org", org.code, "--out", str(letters), stdout=io.StringIO())
    rows = _sheet(letters.read_bytes())
    assert rows[0][0] == "查询编号" and rows[1][0] == letter.tracking_number and rows[1][-1] == "否"
    apps = tmp_path / "apps.xlsx"
    call_command("ledger", "applications", "--org", org.code, "--out", str(apps), stdout=io.StringIO())
    assert _sheet(apps.read_bytes())[0][0] == "申请编号"
    with pytest.raises(CommandError, match="没有机构代码"):
        call_command("ledger", "items", "--org", "nosuch", "--out", str(out))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("ledger", "items", "--org", org.code, "--from", "2025-13-01", "--out", str(out))
