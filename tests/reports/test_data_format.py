"""A third report format that is only a data file (tests/reports/formats/test-digest.json): the engine computes,
checks, renders, stores and publishes it with no code of its own."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from gongkai.catalog.models import Item
from gongkai.reports import selectors, services
from gongkai.reports.check import check_report
from gongkai.reports.compute import compute_report
from gongkai.reports.document import dumps_report, loads_report
from gongkai.reports.models import AnnualReport, ReportInputs
from gongkai.reports.render import OUTPUT_FORMATS, render
from gongkai.reports.spec import (
    FormatSpecError,
    add_format_dir,
    available_editions,
    load_format,
    remove_format_dir,
)
from tests.reports.factories import at, make_column, make_item, make_org

FORMATS = Path(__file__).parent / "formats"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def test_format() -> Iterator[None]:
    add_format_dir(FORMATS)
    yield
    remove_format_dir(FORMATS)


@pytest.fixture
def bureau(db: None) -> Any:
    org = make_org("kjj", "明川市科学技术局")
    policies = make_column(org, "zcwj", "政策文件", statutory_category="art20_1")
    for month in (3, 5):
        make_item(policies, f"{month}月规范性文件", at(2024, month), is_normative=True, validity=Item.Validity.VALID)
    return org


def test_the_data_file_is_a_format_of_its_own_family(test_format: None) -> None:
    assert available_editions("test") == ("test-1",)
    assert available_editions() == ("2019", "2021")  # the disclosure family is unchanged
    assert load_format("test-1").family == "test"


def test_it_computes_from_the_platform_and_checks(test_format: None, bureau: Any, make_user: Any) -> None:
    ReportInputs.objects.create(organisation=bureau, year=2024, family="test", values={"meetings": 3})
    result = compute_report(bureau, 2024, family="test", today=TODAY)
    doc = result.document
    d1 = doc.tables["d1"]
    assert d1["normative"]["count"] == 2 and d1["fixed"]["count"] == 2 and d1["meetings"]["count"] == 3
    assert d1["total"]["count"] == 2 + 0 + 2 + 3  # given by identity T1
    assert d1["documents"] == {"issued": 2, "repealed": 0, "in_force": 2, "all": 4}  # a row's mapping, then T3
    assert d1["name"]["value"] == "明川市科学技术局" and d1["accessible"]["value"] is True
    assert doc.text("一") == "2024年，明川市科学技术局发布规范性文件2件，局长信箱收到来信0件，门户浏览量0次，合计7项。"
    assert doc.preamble.startswith("本简报由明川市科学技术局根据平台数据编制")
    assert result.warnings == ["第三部分（说明）须由工作人员撰写。"]
    assert [f.kind for f in check_report(doc)] == ["missing_section"]
    doc.tables["d1"]["answered"]["count"] = 5  # more answers than letters: T2 (≥) fails, saying how
    failures = [f for f in check_report(doc) if f.kind == "identity"]
    assert [f.identity for f in failures] == ["T2"] and "应不小于（≥）" in failures[0].message


def test_it_renders_in_every_output_format_and_round_trips(test_format: None, bureau: Any) -> None:
    doc = compute_report(bureau, 2024, family="test", today=TODAY).document
    assert loads_report(dumps_report(doc)).tables == doc.tables
    out = {fmt: render(doc, fmt) for fmt in OUTPUT_FORMATS}
    html = out["html"].decode()
    assert "明川市科学技术局<br>2024年信息工作简报" in html and "网站名称" in html and ">是<" in html
    assert "| 提供无障碍浏览 | 是 |" in out["md"].decode()
    assert json.loads(out["json"])["format"] == "test-1"
    assert out["pdf"].startswith(b"%PDF")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out["docx"])).paragraphs)
    assert "2024年信息工作简报" in text and "政府信息公开工作年度报告" not in text


def test_it_is_drafted_and_published_like_the_statutory_reports(
    test_format: None, bureau: Any, make_user: Any
) -> None:
    from gongkai.orgs.models import Membership, Role

    editor = make_user("editor")
    Membership.objects.create(user=editor, organisation=bureau, role=Role.ADMIN)
    report, warnings = services.create_draft(editor, bureau, 2024, family="test")
    assert report.family == "test" and report.edition == "test-1" and any("人工数据" in w for w in warnings)
    report = services.edit_sections(editor, report, {"三": "无。"}, lock_version=report.lock_version)
    report = services.publish(editor, report, lock_version=report.lock_version)
    assert report.status == AnnualReport.Status.PUBLISHED
    assert selectors.report_for(bureau, 2024, family="test") == report
    assert selectors.report_for(bureau, 2024) is None  # the disclosure report of that year is another one


def test_a_format_that_leaves_a_cell_without_source_is_refused_by_name(
    test_format: None, bureau: Any, tmp_path: Path
) -> None:
    data = json.loads((FORMATS / "test-digest.json").read_text(encoding="utf-8"))
    data["edition"] = "test-broken"
    del data["sources"]["d1"]["letters"]
    (tmp_path / "broken.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    add_format_dir(tmp_path)
    try:
        with pytest.raises(FormatSpecError, match=r"d1\.letters\.count has no source"):
            compute_report(bureau, 2024, "test-broken", today=TODAY)
        data["sources"]["d1"]["letters"] = {"count": "mailbox.nothing_like_this"}
        (tmp_path / "broken.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        remove_format_dir(tmp_path)
        add_format_dir(tmp_path)
        with pytest.raises(FormatSpecError, match=r"mailbox\.nothing_like_this"):
            compute_report(bureau, 2024, "test-broken", today=TODAY)
    finally:
        remove_format_dir(tmp_path)
