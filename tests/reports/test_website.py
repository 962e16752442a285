"""The website annual report (政府网站工作年度报表): its format, what staff enter, the workspace pages, the command,
the portal, the supervisor's side-by-side view and the self-inspection's deadline."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongkai.catalog.models import Column, Item
from gongkai.inspection.evaluate import Status, website_report_late
from gongkai.orgs.models import Membership, Role
from gongkai.reports import selectors, services
from gongkai.reports.check import check_report
from gongkai.reports.compute import compute_report
from gongkai.reports.models import AnnualReport, statutory_deadline
from gongkai.reports.spec import available_editions, load_format
from tests.reports.factories import at, make_column, make_item, make_org
from tests.sites.factories import make_site

YEAR = 2025


@pytest.fixture
def site(db: None, make_user: Any) -> dict[str, Any]:
    city = make_org("city", "明川市人民政府", kind="government")
    make_site(city, is_main=True, site_code="9999000001", icp_number="明ICP备1号")
    org = make_org("kjj", "明川市科学技术局", parent=city, website="https://kjj.example/")
    other = make_org("jyj", "明川市教育局", parent=city)
    about = make_column(org, "jggk", "机构概况", statutory_category="art20_2")
    news = make_column(org, "gzdt", "工作动态", statutory_category="art20_15", update_class=Column.UpdateClass.NEWS)
    policies = make_column(org, "zcwj", "政策文件", statutory_category="art20_1")
    make_column(org, "ztzl", "专题专栏", is_special_topic=True, opened_on=dt.date(YEAR, 5, 1))
    make_item(about, "机关职能", at(YEAR, 2))
    for month in (3, 4, 5):
        make_item(news, f"{month}月动态", at(YEAR, month))
    doc = make_item(policies, "规范性文件", at(YEAR, 6), is_normative=True, validity=Item.Validity.VALID)
    make_item(policies, "一图读懂", at(YEAR, 6, 3), interprets=doc, interpretation_form="graphic")
    make_item(policies, "文字解读", at(YEAR, 6, 4), interprets=doc)
    editor, approver, admin = make_user("editor"), make_user("approver"), make_user("cityadmin")
    Membership.objects.create(user=editor, organisation=org, role=Role.EDITOR)
    Membership.objects.create(user=approver, organisation=org, role=Role.APPROVER)
    Membership.objects.create(user=admin, organisation=city, role=Role.ADMIN)
    return {"city": city, "org": org, "other": other, "editor": editor, "approver": approver, "admin": admin}


def test_the_format_is_a_data_file_of_its_own_family() -> None:
    fmt = load_format("website-2018")
    assert available_editions("website") == ("website-2018",) and fmt.family == "website"
    labels = [row.label for row in fmt.table("w1").blocks[0].rows]
    assert labels[:9] == ["网站名称", "首页网址", "主办单位", "网站类型", "政府网站标识码", "ICP备案编号", "公安机关备案号",
                          "独立用户访问总量（单位：个）", "网站总访问量（单位：次）"]
    assert labels[9:] == ["信息发布（单位：条）", "专栏专题（单位：个）", "解读回应", "办事服务", "互动交流", "安全防护",
                          "移动新媒体", "创新发展"]
    assert fmt.deadline_for(YEAR, "government") == dt.date(YEAR + 1, 1, 31)


def test_computed_from_the_platform_with_staff_inputs(site: dict[str, Any]) -> None:
    services.save_report_inputs(site["editor"], site["org"], YEAR, "website", {
        "media_comments": "2", "cases_natural": 30, "cases_legal": 5, "service_items": 10, "service_online": 8,
        "wechat_name": "明川科技", "head": "张建国",
    })
    result = compute_report(site["org"], YEAR, family="website", today=dt.date(YEAR + 1, 1, 5))
    w = {row: cells["value"] for row, cells in result.document.tables["w1"].items()}
    assert (w["site_name"], w["home_url"], w["site_kind"]) == ("明川市科学技术局", "https://kjj.example/", "部门网站")
    assert (w["site_code"], w["icp_number"]) == ("9999000001", "明ICP备1号")  # the city's site hosts the bureau
    assert (w["info_total"], w["info_overview"], w["info_news"], w["info_catalogue"]) == (7, 1, 3, 3)
    assert (w["topics_maintained"], w["topics_opened"]) == (1, 1)
    assert (w["interpret_materials"], w["interpret_products"], w["interpret_media"], w["interpret_total"]) == (1, 1, 2, 4)
    assert (w["cases_total"], w["media_any"], w["wechat_name"]) == (35, True, "明川科技")
    assert w["accessibility"] is True and "长者模式" in w["innovation_other"]
    assert "单位负责人：张建国" in result.document.text("二")
    assert check_report(result.document) == []
    result.document.tables["w1"]["service_online"]["value"] = 11  # more online services than services
    assert [f.identity for f in check_report(result.document)] == ["W6"]


def test_inputs_are_validated_and_each_remembers_who_entered_it(site: dict[str, Any], make_user: Any) -> None:
    with pytest.raises(ValidationError) as bad:
        services.save_report_inputs(site["editor"], site["org"], YEAR, "website", {"service_users": "-3"})
    assert "注册用户数" in str(bad.value)
    with pytest.raises(ValidationError):
        services.save_report_inputs(site["editor"], site["org"], YEAR, "website", {"no_such_thing": 1})
    first = services.save_report_inputs(site["editor"], site["org"], YEAR, "website", {"service_users": "12"})
    other_editor = make_user("second", first_name="二")
    Membership.objects.create(user=other_editor, organisation=site["org"], role=Role.EDITOR)
    stored = services.save_report_inputs(other_editor, site["org"], YEAR, "website", {"smart_qa": "是"},
                                         lock_version=first.lock_version)
    assert stored.values == {"service_users": 12, "smart_qa": True}
    assert stored.entered["service_users"]["by"] == site["editor"].pk and stored.entered["smart_qa"]["by"] == other_editor.pk
    with pytest.raises(ValidationError):  # a form opened before the last save is refused, not merged
        services.save_report_inputs(site["editor"], site["org"], YEAR, "website", {"service_users": 1},
                                    lock_version=first.lock_version)
    with pytest.raises(Exception):  # noqa: B017 - someone of another office may not enter anything
        services.save_report_inputs(site["admin"], site["org"], YEAR, "website", {"service_users": 1})


def test_drafted_in_the_workspace_published_on_the_sites_home_page(site: dict[str, Any]) -> None:
    client = Client()
    client.force_login(site["editor"])
    base = f"/workspace/reports/website/kjj/{YEAR}/"
    page = client.get(base).content.decode()
    assert "政府网站工作年度报表（2025年度）" in page and "按平台数据生成草稿" in page
    response = client.post(base + "figures/", {"service_items": "5", "service_online": "4", "head": "张建国"})
    assert response.status_code == 302
    assert "张建国" in client.get(base + "figures/").content.decode()
    assert client.post(base + "create/").status_code == 302
    report = selectors.report_for(site["org"], YEAR, "website")
    assert report is not None and report.family == "website" and not report.is_published
    assert selectors.report_for(site["org"], YEAR) is None  # the disclosure report is another one
    assert Client().get("/org/kjj/").content.decode().count("政府网站工作年度报表（2025年度）") == 0
    client.force_login(site["approver"])
    client.post(base + "publish/", {"lock_version": report.lock_version})
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
    home = Client().get("/org/kjj/").content.decode()
    assert f'href="/reports/website/kjj/{YEAR}/"' in home
    public = Client().get(f"/reports/website/kjj/{YEAR}/")
    assert public.status_code == 200 and "网站总访问量" in public.content.decode()
    assert "明川市科学技术局" in Client().get("/reports/website/").content.decode()
    docx = Client().get(f"/reports/website/kjj/{YEAR}/report.docx")
    assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")
    assert Client().get(f"/reports/website/jyj/{YEAR}/").status_code == 404  # not published


def test_the_supervisor_sees_the_childrens_reports_side_by_side(site: dict[str, Any]) -> None:
    services.create_draft(site["editor"], site["org"], YEAR, family="website")
    client = Client()
    client.force_login(site["admin"])
    page = client.get(f"/workspace/reports/website/city/{YEAR}/dashboard/").content.decode()
    assert "明川市科学技术局" in page and "明川市教育局" in page and "独立用户访问总量" in page
    board = selectors.dashboard(site["city"], YEAR, family="website")
    assert [r.organisation.code for r in board.rows] == ["kjj", "jyj"]
    assert board.rows[0].figures["info_total"] == 7
    assert board.rows[1].report is None and board.rows[1].values == [None] * len(board.labels)  # nothing stored


def test_the_self_inspection_flags_a_missing_report_after_31_january(site: dict[str, Any]) -> None:
    org = site["org"]
    assert statutory_deadline(org, YEAR, "website") == dt.date(YEAR + 1, 1, 31)
    before = website_report_late(org, dt.date(YEAR + 1, 1, 31))
    assert before.status == Status.DEDUCT and str(YEAR - 1) in before.findings[0].label  # the year before's
    report, _w = services.create_draft(site["editor"], org, YEAR - 1, family="website")
    services.publish(site["approver"], report, lock_version=report.lock_version)
    on_time = timezone.make_aware(dt.datetime(YEAR, 1, 20, 10))
    AnnualReport.objects.filter(pk=report.pk).update(published_at=on_time)  # as if published then
    assert website_report_late(org, dt.date(YEAR + 1, 1, 31)).status == Status.PASS
    after = website_report_late(org, dt.date(YEAR + 1, 2, 1))
    assert after.status == Status.DEDUCT and "至今未发布" in after.findings[0].detail
    report, _w = services.create_draft(site["editor"], org, YEAR, family="website")
    services.publish(site["approver"], report, lock_version=report.lock_version)
    assert website_report_late(org, timezone.localdate()).status == Status.DEDUCT  # published late: said so


def test_the_command(site: dict[str, Any], tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("website-report", "--org", "kjj", "--year", str(YEAR), stderr=io.StringIO())
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "website-2018" and data["tables"]["w1"]["info_total"]["value"] == 7
    call_command("website-report", "--org", "kjj", "--year", str(YEAR), "--format", "pdf",
                 "--out", str(tmp_path / "w.pdf"), stderr=io.StringIO())
    assert (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF")


def test_a_quarterly_self_inspection_report_is_drafted_as_an_item_to_edit(site: dict[str, Any]) -> None:
    from gongkai.catalog.services import working_copy

    client = Client()
    client.force_login(site["editor"])
    column = Column.objects.get(organisation=site["org"], slug="gzdt")
    page = client.get("/workspace/reports/quarterly/kjj/")
    assert page.status_code == 200 and "找错" in page.content.decode()
    bad = client.post("/workspace/reports/quarterly/kjj/", {"year": YEAR, "quarter": 2, "column": column.pk,
                                                             "errors_received": 1, "errors_handled": 2})
    assert bad.status_code == 200 and "已办结的不能多于收到的" in bad.content.decode()
    response = client.post("/workspace/reports/quarterly/kjj/", {"year": YEAR, "quarter": 2, "column": column.pk,
                                                                  "errors_received": 3, "errors_handled": 3})
    item = Item.objects.get(title="明川市科学技术局2025年第二季度政府网站与政务新媒体自查报告")
    assert response.status_code == 302 and response["Location"] == f"/workspace/items/{item.pk}/edit/"
    assert not item.is_live  # a draft, published only through review
    body = working_copy(item)["body"]
    assert "统计期间为2025年4月1日至2025年6月30日" in body and "发布信息5条" in body  # April to June
    assert "转办网民留言3条，已办结3条" in body and "自查" in body
