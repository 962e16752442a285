"""xlsx output (core/spreadsheets.py): headers, merged header levels, frozen rows, filters, widths, safety."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from gongkai.core.spreadsheets import Column, Sheet, display_width, workbook_bytes, xlsx_response


def _load(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def test_flat_sheet_has_chinese_headers_frozen_row_filter_and_values() -> None:
    data = workbook_bytes(
        [
            Sheet(
                "报告",
                [Column("机构"), Column("年度"), Column("金额（万元）"), Column("日期")],
                [
                    ["淮安市人民政府", 2024, Decimal("0.3940"), dt.date(2025, 1, 20)],
                    ["洪泽区人民政府", 2023, None, dt.date(2024, 1, 31)],
                ],
            )
        ]
    )
    ws = _load(data)["报告"]
    assert [c.value for c in ws[1]] == ["机构", "年度", "金额（万元）", "日期"]
    assert ws["A2"].value == "淮安市人民政府" and ws["B2"].value == 2024
    assert ws["C3"].value is None
    assert ws["D2"].value.date() == dt.date(2025, 1, 20)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"
    assert ws.column_dimensions["A"].width >= display_width("洪泽区人民政府")


def test_multilevel_headers_merge_across_groups_and_down_short_headers() -> None:
    columns = [
        Column("来源"),
        Column(("行政复议", "结果维持")),
        Column(("行政复议", "总计")),
        Column(("行政诉讼", "未经复议直接起诉", "结果维持")),
        Column(("行政诉讼", "未经复议直接起诉", "总计")),
        Column(("行政诉讼", "复议后起诉", "总计")),
    ]
    ws = _load(workbook_bytes([Sheet("表四", columns, [["a", 1, 1, 0, 0, 2]])]))["表四"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:A3" in merged  # one level, merged down over the three header rows
    assert "B1:C1" in merged  # 行政复议 across its two columns
    assert "B2:B3" in merged and "C2:C3" in merged  # two-level headers merged down to the data
    assert "D1:F1" in merged  # 行政诉讼
    assert "D2:E2" in merged  # 未经复议直接起诉; 复议后起诉 has one column and no merge
    assert ws["D1"].value == "行政诉讼" and ws["F2"].value == "复议后起诉" and ws["F3"].value == "总计"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:F4"
    assert ws["A4"].value == "a"


def test_text_is_never_a_formula_and_control_characters_are_dropped() -> None:
    data = workbook_bytes(
        [Sheet("s", [Column("x")], [['=HYPERLINK("http://x","y")'], ["a\x00b\x07c"], ["-1+2"]])]
    )
    ws = _load(data)["s"]
    assert ws["A2"].value == '=HYPERLINK("http://x","y")' and ws["A2"].data_type == "s"
    assert ws["A3"].value == "abc"
    assert ws["A4"].value == "-1+2" and ws["A4"].data_type == "s"


def test_sheet_titles_are_made_valid_and_unique() -> None:
    data = workbook_bytes(
        [Sheet("a/b", [Column("x")]), Sheet("a/b", [Column("x")]), Sheet("长" * 40, [Column("x")])]
    )
    names = _load(data).sheetnames
    assert names[0] == "a_b" and names[1] == "a_b (2)" and len(names[2]) == 31


def test_rows_must_match_columns() -> None:
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        workbook_bytes([Sheet("s", [Column("x")], [[1, 2]])])
    with pytest.raises(ValueError):
        workbook_bytes([])


def test_download_response_keeps_a_chinese_file_name() -> None:
    response = xlsx_response([Sheet("s", [Column("x")], [[1]])], "年度报告审查结果")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "年度报告审查结果.xlsx" in unquote(disposition)
    assert _load(response.content)["s"]["A2"].value == 1
