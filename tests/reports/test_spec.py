from __future__ import annotations

import json
from importlib import resources

import pytest

from gongkai.reports.render.layout import table_grid
from gongkai.reports.spec import (
    FormatSpecError,
    available_editions,
    format_for_year,
    load_format,
    normalise_label,
    parse_format,
)


def test_both_formats_ship() -> None:
    assert available_editions() == ("2019", "2021")


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_six_sections_and_three_tables(edition: str) -> None:
    fmt = load_format(edition)
    assert [s.numbered_heading for s in fmt.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [s.kind for s in fmt.sections] == ["prose", "table", "table", "table", "prose", "prose"]
    assert [s.table for s in fmt.sections if s.table] == ["t2", "t3", "t4"]
    assert {i.id for i in fmt.identities} == {"E1", "I1", "I2", "I3", "I4", "I5"}
    t4 = fmt.table("t4").blocks[0]
    assert len(t4.leaf_columns) == 15 and len(t4.data_rows) == 1 and t4.label_columns == 0


def test_table_three_differs_only_in_other_processing() -> None:
    f19, f21 = load_format("2019").table("t3"), load_format("2021").table("t3")
    assert len(f19.data_rows) == 23 and len(f21.data_rows) == 25  # spec §2.4 numeric_rows_total
    assert not f19.row("other_processing").is_group
    assert [r.label for r in f21.row("other_processing").children] == [
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    ]
    assert {r.key for r in f19.data_rows} - {"other_processing"} == {r.key for r in f21.data_rows} - {
        "other_no_correction",
        "other_fee_unpaid",
        "other_misc",
    }
    assert [r.key for r in f21.row("results").children if r.is_group] == [
        "withheld",
        "unavailable",
        "not_processed",
        "other_processing",
    ]


def test_table_two_blocks_and_cell_types() -> None:
    f19, f21 = load_format("2019").table("t2"), load_format("2021").table("t2")
    assert [b.heading for b in f19.blocks] == [f"第二十条第（{n}）项" for n in "一五六八九"]
    assert [b.heading for b in f21.blocks] == [f"第二十条第（{n}）项" for n in "一五六八"]
    assert f19.cell_type("licensing", "change") == "signed_integer"
    assert f19.cell_type("licensing", "decisions") == "integer"
    assert f21.cell_type("fees", "amount_wan") == "decimal"
    assert f21.block_of("fees").column("amount_wan").unit == "万元"
    assert [c.label for c in f21.columns_of("rules")] == ["本年制发件数", "本年废止件数", "现行有效件数"]


def test_label_variants_of_real_reports_match() -> None:
    f21 = load_format("2021")
    t3 = f21.table("t3")
    # 淮安 2024 numbers its （六） rows "1、" and breaks labels over lines.
    assert (
        t3.match_row("1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信\n息公开申请").key
        == "other_no_correction"
    )
    assert t3.match_row("(一) 予以公开").key == "disclosed"
    assert t3.match_row('3.危及"三安全一稳定"').key == "withheld_three_securities"
    assert t3.match_row("不存在的行") is None
    assert t3.blocks[0].match_column("社会组织").key == "public_interest"  # the seed's header
    assert f21.match_section("五、存在的问题和工作改进措施").key == "五"  # the seed's heading
    assert f21.match_section("四、政府信息公开申请行政复议、诉讼和申诉情况").key == "四"
    assert load_format("2019").table("t2").match_row("行政规范性文件").key == "normative_documents"
    assert normalise_label("（一） 予以公开") == normalise_label("(一)予以公开")


@pytest.mark.parametrize(
    ("year", "edition"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")]
)
def test_format_for_year(year: int, edition: str) -> None:
    assert format_for_year(year).edition == edition


def test_unknown_edition_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="2019, 2021"):
        load_format("2030")


def _raw(edition: str) -> dict:
    text = resources.files("gongkai.reports").joinpath("formats", f"f{edition}.json").read_text("utf-8")
    return json.loads(text)


def test_inconsistent_format_is_rejected() -> None:
    data = _raw("2021")
    data["identities"][0]["lhs"] = ["new", "no_such_row"]
    with pytest.raises((FormatSpecError, KeyError)):
        parse_format(data)
    data = _raw("2021")
    data["prose_facts"][0]["cells"] = [["t3", "new", "nope"]]
    with pytest.raises(FormatSpecError, match=r"prose_facts\[0\]"):
        parse_format(data)
    data = _raw("2021")
    data["tables"]["t3"]["blocks"][0]["columns"][0]["children"][0]["type"] = "money"
    with pytest.raises(FormatSpecError, match="unknown cell type"):
        parse_format(data)


def test_a_new_format_is_only_data() -> None:
    data = _raw("2021")
    data["edition"] = "2099"
    data["report_years"] = {"first": 2099, "last": None}
    fmt = parse_format(data)
    assert fmt.edition == "2099" and fmt.applies_to(2100) and not fmt.applies_to(2024)


def test_table_three_header_is_three_merged_rows() -> None:
    grid = table_grid(load_format("2021").table("t3"))
    corner = grid[0][0]
    assert corner.kind == "corner" and (corner.rowspan, corner.colspan) == (3, 3)
    assert corner.text.startswith("（本列数据的勾稽关系为")
    assert [(c.text, c.rowspan, c.colspan) for c in grid[0][1:]] == [("申请人情况", 1, 7)]
    assert [(c.text, c.rowspan, c.colspan) for c in grid[1]] == [
        ("自然人", 2, 1),
        ("法人或其他组织", 1, 5),
        ("总计", 2, 1),
    ]
    assert [c.text for c in grid[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    results = next(c for row in grid for c in row if c.text == "三、本年度办理结果")
    assert results.rowspan == 22  # the 21 result rows of F2021 plus （七）总计
    withheld = next(c for row in grid for c in row if c.text == "（三）不予公开")
    assert withheld.rowspan == 8
    first = next(row for row in grid if row and row[0].text.startswith("一、本年新收"))
    assert first[0].colspan == 3 and len(first) == 8


def test_table_four_header_is_two_levels() -> None:
    grid = table_grid(load_format("2019").table("t4"))
    assert [(c.text, c.colspan) for c in grid[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert all(c.rowspan == 2 for c in grid[1][:5])
    assert [(c.text, c.colspan) for c in grid[1][5:]] == [("未经复议直接起诉", 5), ("复议后起诉", 5)]
    assert len(grid[2]) == 10 and len(grid[3]) == 15
