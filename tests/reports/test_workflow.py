"""Stored reports: drafts, versions, the optimistic lock, staff figures, publishing, dashboard, pages, command."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from gongkai.core.concurrency import ConflictError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Role
from gongkai.reports import selectors, services
from gongkai.reports.check import check_identities, check_report
from gongkai.reports.document import load_report
from gongkai.reports.models import AnnualReport, StaffFigures, statutory_deadline
from tests.reports.factories import at, make_column, make_item, make_org, member

FIVE = "一是政策解读形式较为单一；二是栏目更新不够及时。下一步将加强培训。"


@pytest.fixture
def city(db: None, make_user: Any) -> dict[str, Any]:
    gov = make_org("city", "明川市人民政府", kind="government", short_name="市政府")
    kjj = make_org("kjj", "明川市科学技术局", parent=gov, short_name="市科技局")
    jyj = make_org("jyj", "明川市教育局", parent=gov, short_name="市教育局")
    col = make_column(kjj, "zcwj", "政策文件")
    make_item(col, "规范性文件", at(2024, 3), is_normative=True, validity="valid")
    return {
        "gov": gov, "kjj": kjj, "jyj": jyj,
        "editor": member(make_user("editor"), kjj, Role.EDITOR),
        "approver": member(make_user("approver"), kjj, Role.APPROVER),
        "admin": member(make_user("cityadmin"), gov, Role.ADMIN),
        "outsider": member(make_user("outsider"), jyj, Role.EDITOR),
    }


def test_draft_edit_versions_and_lock(city: dict[str, Any]) -> None:
    report, warnings = services.create_draft(city["editor"], city["kjj"], 2024)
    assert report.edition == "2021" and report.versions.count() == 1 and warnings
    assert report.document["tables"]["t2"]["normative_documents"]["issued"] == 1
    report = services.edit_sections(city["editor"], report, {"五": FIVE, "六": "无。"}, lock_version=0)
    assert report.lock_version == 1 and report.versions.count() == 2
    assert selectors.document_of(report).text("五") == FIVE
    with pytest.raises(ConflictError):
        services.edit_sections(city["editor"], report, {"五": "迟到的修改"}, lock_version=0)
    with pytest.raises(ValidationError) as exc:
        services.edit_sections(city["editor"], report, {"三": "表格不能改"}, lock_version=1)
    assert "sections" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.edit_sections(city["outsider"], report, {"五": "x"}, lock_version=1)
    with pytest.raises(ValidationError):
        services.create_draft(city["editor"], city["kjj"], 2024)  # one report per organisation and year
    first = selectors.version_of(report, 1)
    assert first is not None and "五" not in first.document["sections"]
    # Recomputing keeps what staff wrote.
    report, _w = services.recompute(city["editor"], report, lock_version=1)
    assert selectors.document_of(report).text("五") == FIVE and report.versions.count() == 3


def test_publish_needs_an_approver_and_a_reason_when_checks_fail(city: dict[str, Any]) -> None:
    report, _w = services.create_draft(city["editor"], city["kjj"], 2024)
    with pytest.raises(PermissionDenied):
        services.publish(city["editor"], report, reason="")
    with pytest.raises(ValidationError) as exc:  # section 五 is missing
        services.publish(city["approver"], report)
    assert "reason" in exc.value.message_dict and "第五部分" in exc.value.message_dict["reason"][0]
    report = services.publish(city["approver"], report, reason="第五部分另行报送")
    assert report.is_published and report.override_reason == "第五部分另行报送"
    assert report.failures_at_publish[0]["kind"] == "missing_section"
    with pytest.raises(ValidationError):
        services.edit_sections(city["editor"], report, {"五": FIVE}, lock_version=report.lock_version)
    with pytest.raises(ValidationError):
        services.recompute(city["editor"], report)
    assert AuditEvent.objects.filter(action="report.publish", object_id=str(report.pk)).exists()


def test_clean_report_publishes_without_reason(city: dict[str, Any]) -> None:
    report, _w = services.create_draft(city["editor"], city["kjj"], 2024)
    report = services.edit_sections(city["editor"], report, {"五": FIVE}, lock_version=0)
    report = services.publish(city["approver"], report)
    assert report.is_published and report.override_reason == "" and report.failures_at_publish == []


def test_staff_figures_validated_and_audited(city: dict[str, Any]) -> None:
    figures = services.save_staff_figures(
        city["editor"], city["kjj"], 2024, {"licensing_decisions": "120", "fees_amount_wan": "3.5"}
    )
    assert figures.licensing_decisions == 120 and figures.entered_by == city["editor"]
    event = AuditEvent.objects.filter(action="report.figures").latest("id")
    assert event.data["changes"] == {"licensing_decisions": ["0", "120"], "fees_amount_wan": ["0", "3.5"]}
    for values, field in [
        ({"penalty_decisions": "-1"}, "penalty_decisions"),
        ({"fees_amount_wan": "abc"}, "fees_amount_wan"),
        ({"fees_amount_wan": "-2"}, "fees_amount_wan"),
        ({"rules_issued": "1.5"}, "rules_issued"),
        ({"no_such": "1"}, "no_such"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.save_staff_figures(city["editor"], city["kjj"], 2024, values, lock_version=figures.lock_version)
        assert field in exc.value.message_dict
    with pytest.raises(ConflictError):
        services.save_staff_figures(city["editor"], city["kjj"], 2024, {"rules_issued": 1}, lock_version=0)
    # A signed change is allowed where the format has one (F2019 本年增/减).
    services.save_staff_figures(city["editor"], city["kjj"], 2024, {"licensing_change": "-3"})
    assert StaffFigures.objects.get(organisation=city["kjj"], year=2024).licensing_change == -3
    with pytest.raises(PermissionDenied):
        services.save_staff_figures(city["outsider"], city["kjj"], 2024, {"rules_issued": 1})
    report, _w = services.create_draft(city["editor"], city["kjj"], 2024)
    assert report.document["tables"]["t2"]["licensing"]["decisions"] == 120
    assert Decimal(str(report.document["tables"]["t2"]["fees"]["amount_wan"])) == Decimal("3.5")


def test_deadlines_by_organisation_kind(city: dict[str, Any]) -> None:
    assert statutory_deadline(city["kjj"], 2024) == dt.date(2025, 1, 31)
    assert statutory_deadline(city["gov"], 2024) == dt.date(2025, 3, 31)


def test_dashboard_missing_late_failing_and_totals(city: dict[str, Any]) -> None:
    report, _w = services.create_draft(city["editor"], city["kjj"], 2024)
    report = services.edit_sections(city["editor"], report, {"五": FIVE}, lock_version=0)
    services.publish(city["approver"], report)
    AnnualReport.objects.filter(pk=report.pk).update(published_at=timezone.make_aware(dt.datetime(2025, 2, 3, 9)))
    # The education bureau stored a draft whose figures do not reconcile.
    bad, _w = services.create_draft(city["outsider"], city["jyj"], 2024)
    doc = dict(bad.document)
    doc["tables"]["t3"]["new"]["natural_person"] = 4
    AnnualReport.objects.filter(pk=bad.pk).update(document=doc, dashboard_summary={})  # written past the services
    board = selectors.dashboard(city["gov"], 2024, today=dt.date(2025, 2, 10))
    rows = {r.organisation.code: r for r in board.rows}
    assert set(rows) == {"kjj", "jyj"}
    assert rows["kjj"].status == "published" and rows["kjj"].late  # published 3 February, due 31 January
    assert rows["jyj"].status == "draft" and rows["jyj"].late
    assert [f.identity for f in rows["jyj"].identity_failures] == ["E1", "I1"]
    assert rows["kjj"].identity_failures == []
    assert board.totals["normative"] == 1 and board.totals["applications"] == 0
    assert [r.organisation.code for r in board.failing] == ["jyj"]
    early = selectors.dashboard(city["gov"], 2024, today=dt.date(2025, 1, 20))
    assert [r.late for r in early.rows] == [True, False]  # kjj published late; jyj not yet due


def _login(client: Client, user: Any) -> None:
    client.force_login(user)


def test_workspace_pages(city: dict[str, Any], client: Client) -> None:
    _login(client, city["editor"])
    url = "/workspace/reports/kjj/2024/"
    page = client.get(url)
    assert page.status_code == 200 and "按平台数据生成草稿" in page.content.decode()
    assert client.post(url + "create/").status_code == 302
    report = AnnualReport.objects.get(organisation=city["kjj"], year=2024)
    text = client.get(url).content.decode()
    assert "缺少第五部分" in text and "保存为新版本" in text and "发布年度报告" not in text
    form = {"section_1": report.document["sections"]["一"]["text"], "section_5": FIVE, "section_6": "无。",
            "preamble": report.document["preamble"], "note": "写第五部分", "lock_version": 0}
    assert client.post(url + "edit/", form).status_code == 302
    assert selectors.versions_of(report).first().note == "写第五部分"  # type: ignore[union-attr]
    stale = client.post(url + "edit/", form, follow=True).content.decode()
    assert "已被他人修改" in stale
    figures = client.post(url + "figures/", {"licensing_decisions": "-5", "lock_version": ""})
    assert figures.status_code == 200 and "行政许可" in figures.content.decode()
    for fmt, marker in [("json", b'"format"'), ("md", b"# "), ("docx", b"PK"), ("pdf", b"%PDF")]:
        response = client.get(f"{url}report.{fmt}")
        assert response.status_code == 200 and marker in response.content[:200]
    assert client.get("/workspace/reports/").status_code == 200
    assert client.get("/workspace/reports/city/2024/dashboard/").status_code == 404  # not even visible
    assert client.get("/workspace/reports/kjj/2024/dashboard/").status_code == 403  # visible, not admin
    _login(client, city["outsider"])
    assert client.get(url).status_code == 404
    _login(client, city["approver"])
    assert client.post(url + "publish/", {"reason": "", "lock_version": 1}).status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).is_published
    _login(client, city["admin"])
    board = client.get("/workspace/reports/city/2024/dashboard/").content.decode()
    assert "明川市科学技术局" in board and "明川市教育局" in board and "<svg" in board


def test_portal_shows_published_reports_only(city: dict[str, Any], client: Client) -> None:
    report, _w = services.create_draft(city["editor"], city["kjj"], 2024)
    assert client.get("/reports/kjj/2024/").status_code == 404
    assert "明川市科学技术局" not in client.get("/reports/").content.decode()
    services.publish(city["approver"], report, reason="测试")
    listing = client.get("/reports/").content.decode()
    assert "明川市科学技术局2024年政府信息公开工作年度报告" in listing
    page = client.get("/reports/kjj/2024/").content.decode()
    assert "二、主动公开政府信息情况" in page and "report.pdf" in page
    assert client.get("/reports/kjj/2024/report.pdf").content.startswith(b"%PDF")
    assert client.get("/reports/kjj/2024/report.exe").status_code == 404
    assert client.get("/reports/jyj/2024/report.json").status_code == 404


def test_command_serves_published_report_else_computes(city: dict[str, Any], tmp_path: Any, capsys: Any) -> None:
    out = tmp_path / "r.json"
    call_command("report", org="kjj", year=2024, output_format="json", out=str(out))
    computed = json.loads(out.read_text())
    assert computed["tables"]["t2"]["normative_documents"]["issued"] == 1 and "五" not in computed["sections"]
    report, _w = services.create_draft(city["editor"], city["kjj"], 2024)
    report = services.edit_sections(city["editor"], report, {"五": FIVE}, lock_version=0)
    services.publish(city["approver"], report)
    call_command("report", org="kjj", year=2024, output_format="json", out=str(out))
    assert json.loads(out.read_text())["sections"]["五"]["text"] == FIVE
    call_command("report", org="kjj", year=2024, edition="2019", output_format="json", out=str(out))
    assert json.loads(out.read_text())["format"] == "2019"
    on_demand = load_report(out)  # the on-demand 2019 edition reads back; only section 五 (staff's) is missing
    assert check_identities(on_demand) == [] and [f.section for f in check_report(on_demand)] == ["五"]
    cases: list[tuple[dict[str, Any], str]] = [({"org": "nope", "year": 2024}, "--org"), ({"org": "kjj", "year": 2031}, "--year"),
                          ({"org": "kjj", "year": 2019, "edition": "2021"}, "--edition"), ({"org": "kjj"}, "--year")]
    for kwargs, field in cases:
        with pytest.raises(CommandError) as exc:
            call_command("report", **kwargs)
        assert exc.value.returncode == 2 and field in str(exc.value)


def test_public_downloads_are_named_for_people_and_data_goes_through_the_api(
    city: dict[str, Any], client: Client,
) -> None:
    report, _w = services.create_draft(city["editor"], city["kjj"], 2024)
    services.publish(city["approver"], report, reason="测试")
    page = client.get("/reports/kjj/2024/").content.decode()
    assert "PDF 文件" in page and "Word 文件" in page
    assert "report.json" not in page and "report.md" not in page and "JSON" not in page  # not beside the report
    word = client.get("/reports/kjj/2024/report.docx")
    assert word["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx" in word["Content-Disposition"]  # …年度报告.docx
    assert client.get("/reports/kjj/2024/report.json").status_code == 200  # the old address keeps working
    data_page = client.get("/data/").content.decode()
    assert "/api/v1/reports/kjj/2024" in data_page and '<a href="/data/">数据</a>' in page
    listing = client.get("/api/v1/reports").json()["results"]
    assert [(r["organisation"]["code"], r["year"]) for r in listing] == [("kjj", 2024)]
    body = client.get("/api/v1/reports/kjj/2024").json()
    assert body["document"]["year"] == 2024 and body["url"] == "/reports/kjj/2024/"
    assert client.get("/api/v1/reports/jyj/2024").status_code == 404
    assert client.get("/api/v1/reports/kjj/20x4").status_code == 404
