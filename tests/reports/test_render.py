from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import docx
import pytest

from gongkai.reports.document import loads_report
from gongkai.reports.render import OUTPUT_FORMATS, render
from gongkai.reports.render.chart import report_charts
from gongkai.reports.render.html import render_html_fragment
from gongkai.reports.render.markdown import render_markdown

SEED_LABELS = [
    "第二十条第（九）项",
    "其他对外管理服务事项",
    "政府集中采购",
    "6.属于四类过程性信息",
    "本年增/减",
]


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", html, re.S)]


def test_seed_html_renders_its_tables(seed) -> None:
    html = render_html_fragment(seed)
    cells = _cells(html)
    for label in SEED_LABELS:
        assert label in cells
    # 其他对外管理服务事项 1 0 1940, as printed.
    i = cells.index("其他对外管理服务事项")
    assert cells[i + 1 : i + 4] == ["1", "0", "1940"]
    assert 'rowspan="3" colspan="3"' in html  # T3's corner
    assert "（本部分未填报）" in html  # section 四
    assert "<svg" not in html  # all-zero figures: no chart


def test_huaian_html_has_both_charts_and_all_figures(huaian) -> None:
    html = render(huaian, "html").decode()
    assert html.startswith("<!DOCTYPE html>") and '"— " counter(page) " —"' in html  # GB/T 9704 page numbers
    cells = _cells(html)
    i = cells.index("（七）总计")
    assert cells[i + 1 : i + 8] == ["2932", "53", "0", "0", "61", "4", "3050"]
    assert cells[cells.index("行政事业性收费") + 1] == "96171.6"
    assert html.count("<svg") == 2 and "本年度办理结果（按类型）" in html
    assert [c.bars for c in report_charts(huaian)][1][0] == ("予以公开", 1362)


def test_markdown_flattens_merged_headers(seed, huaian) -> None:
    md = render_markdown(seed)
    assert md.startswith("# 银川市科学技术局2019年政府信息公开工作年度报告")
    assert "| 其他对外管理服务事项 | 1 | 0 | 1940 |" in md
    assert "三、本年度办理结果／（三）不予公开／6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in md
    md = render_markdown(huaian)
    assert "申请人情况／法人或其他组织／商业企业" in md
    assert "| 72 | 64 | 178 | 37 | 351 | 13 | 4 | 8 | 1 | 26 | 12 | 1 | 1 | 6 | 20 |" in md


def test_json_round_trips(huaian) -> None:
    again = loads_report(render(huaian, "json").decode())
    assert again.tables == huaian.tables


def test_unknown_output_format(seed) -> None:
    with pytest.raises(ValueError, match="json, html, md, docx, pdf, xlsx"):
        render(seed, "odt")
    assert set(OUTPUT_FORMATS) == {"json", "html", "md", "docx", "pdf", "xlsx"}


def test_docx_layout_and_merged_cells(seed, huaian) -> None:
    data = render(huaian, "docx")
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["淮安市人民政府", "2024年政府信息公开工作年度报告"]
    assert "三、收到和处理政府信息公开申请情况" in texts
    assert len(document.tables) == 3
    t3 = document.tables[1]
    xml = t3._tbl.xml
    assert 'w:gridSpan w:val="7"' in xml  # 申请人情况
    assert 'w:gridSpan w:val="3"' in xml  # the corner
    assert 'w:vMerge w:val="restart"' in xml and "<w:vMerge/>" in xml
    cell_text = {c.text for row in t3.rows for c in row.cells}
    assert {"3119", "3050", "103", "（七）总计", "（三）不予公开"} <= cell_text
    body = document.element.body.xml
    assert 'w:eastAsia="仿宋_GB2312"' in body and 'w:eastAsia="黑体"' in body
    seed_doc = docx.Document(io.BytesIO(render(seed, "docx")))
    assert len(seed_doc.tables) == 2  # section 四 missing
    assert "1940" in {c.text for row in seed_doc.tables[0].rows for c in row.cells}


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("which", ["seed", "huaian"])
def test_pdf_pages_and_text(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    report = request.getfixturevalue(which)
    path = tmp_path / "report.pdf"
    path.write_bytes(render(report, "pdf"))
    pages = _pdf_pages(path)
    assert 3 <= pages <= 8
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    footers = re.findall(r"—\s*(\d+)\s*—", text)
    assert [int(n) for n in footers] == list(range(1, pages + 1))
    assert report.organisation.name in text.replace(" ", "")
    if which == "huaian":
        assert "3119" in text and "96171.6" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Serif-CJK-SC" in fonts and "Noto-Sans-CJK-SC" in fonts


def test_rendered_json_is_the_documented_shape(huaian) -> None:
    data = json.loads(render(huaian, "json"))
    assert set(data) == {"format", "organisation", "year", "preamble", "sections", "tables"}
    assert data["tables"]["t3"]["new"]["total"] == 3119


@pytest.mark.parametrize("name", ["seed_2019", "huaian_2024"])
def test_markdown_of_the_fixtures_equals_its_golden_copy(name: str) -> None:
    from gongkai.reports.document import load_report
    from tests.reports.factories import golden

    golden(f"{name}.md", render_markdown(load_report(Path(__file__).parent / "fixtures" / f"{name}.json")))


def test_xlsx_has_a_sheet_per_table_with_the_official_merged_headings_and_numbers() -> None:
    from openpyxl import load_workbook

    from gongkai.reports.document import load_report

    report = load_report(Path(__file__).parent / "fixtures" / "huaian_2024.json")
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    t3 = book["三、收到和处理政府信息公开申请情况"]
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert {"D3:J3", "E4:I4", "D4:D5", "J4:J5", "A8:A29"} <= merged  # 申请人情况, 法人或其他组织, …, 三、本年度办理结果
    rows = list(t3.iter_rows(values_only=True))
    assert rows[2][3] == "申请人情况" and rows[3][4] == "法人或其他组织" and rows[4][4] == "商业企业"
    new = next(r for r in rows if r[0] == "一、本年新收政府信息公开申请数量")
    assert new[3:] == (3001, 53, 0, 0, 61, 4, 3119)  # numbers a supervisor can add up, not text
    assert t3.freeze_panes == "A6"
    t4 = book["四、政府信息公开行政复议、行政诉讼情况"]
    assert "行政诉讼" in [c for row in t4.iter_rows(values_only=True) for c in row]
