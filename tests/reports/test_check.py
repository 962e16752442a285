from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports.check import (
    check_completeness,
    check_enumerations,
    check_identities,
    check_prose_facts,
    check_report,
)
from gongkai.reports.document import Organisation, ReportDocument
from gongkai.reports.spec import ReportFormat, load_format

FORMATS = [load_format("2019"), load_format("2021")]


def test_seed_defects_exactly(seed) -> None:
    failures = check_report(seed)
    assert [(f.kind, f.section, f.table) for f in failures if f.kind == "missing_section"] == [
        ("missing_section", "四", "t4")
    ]
    missing = [f.row for f in failures if f.kind == "missing_row"]
    t3 = seed.format.table("t3")
    keys = [r.key for r in t3.data_rows]
    # Everything after 不予公开 6 (属于四类过程性信息) is missing, nothing before it.
    assert missing == keys[keys.index("withheld_process_information") + 1 :]
    assert len(missing) == 13
    enumerations = [f for f in failures if f.kind == "enumeration"]
    assert [(f.section, f.expected, f.found) for f in enumerations] == [("一", 324, 314)]
    assert "50 + 87 + 56 + 77 + 44" in enumerations[0].message
    assert (
        len(failures) == 15
    )  # nothing else: its identities hold, its prose "没有接收到依申请公开事项" agrees


def test_huaian_is_clean(huaian) -> None:
    assert check_report(huaian) == []


# --- identities over generated reports ------------------------------------------------------------------


def _identity(fmt: ReportFormat, ident_id: str):
    return next(i for i in fmt.identities if i.id == ident_id)


@st.composite
def consistent_report(draw: st.DrawFn, fmt: ReportFormat) -> ReportDocument:
    """A report whose tables satisfy every identity of ``fmt`` (figures drawn, totals computed)."""
    counts = st.integers(min_value=0, max_value=5000)
    e1, i1, i2 = (_identity(fmt, k) for k in ("E1", "I1", "I2"))
    (new, carried_over), (results_total, carried_forward) = e1.lhs, e1.rhs
    t3: dict[str, dict[str, int]] = {r.key: {} for r in fmt.table("t3").data_rows}
    for col in i1.rhs:
        for row in i2.rhs:
            t3[row][col] = draw(counts)
        t3[results_total][col] = sum(t3[row][col] for row in i2.rhs)
        t3[carried_forward][col] = draw(counts)
        outflow = t3[results_total][col] + t3[carried_forward][col]
        t3[carried_over][col] = draw(st.integers(min_value=0, max_value=outflow))
        t3[new][col] = outflow - t3[carried_over][col]
    for row in i1.only:
        t3[row][i1.lhs[0]] = sum(t3[row][c] for c in i1.rhs)
    t4: dict[str, int] = {}
    for ident in fmt.identities:
        if ident.table == "t4":
            for col in ident.rhs:
                t4[col] = draw(counts)
            t4[ident.lhs[0]] = sum(t4[c] for c in ident.rhs)
    t2: dict[str, dict[str, int | Decimal]] = {}
    table2 = fmt.table("t2")
    for row in table2.data_rows:
        t2[row.key] = {}
        for col in table2.columns_of(row.key):
            assert col.key
            if col.type == "signed_integer":
                t2[row.key][col.key] = draw(st.integers(min_value=-100, max_value=100))
            elif col.type == "decimal":
                t2[row.key][col.key] = draw(st.decimals(min_value=0, max_value=10**6, places=2))
            else:
                t2[row.key][col.key] = draw(counts)
    return ReportDocument(
        format=fmt,
        organisation=Organisation("测试机关"),
        year=fmt.first_year,
        tables={"t2": t2, "t3": t3, "t4": {"counts": t4}},  # type: ignore[dict-item]
    )


def _affected(fmt: ReportFormat, table: str, row: str, col: str) -> set[tuple[str, str]]:
    """The identity instances that mention one cell: (id, column) for column rules, (id, row) for row rules."""
    out = set()
    for ident in fmt.identities:
        if ident.table != table:
            continue
        if (
            ident.for_each == "column"
            and row in (*ident.lhs, *ident.rhs)
            and (not ident.only or col in ident.only)
        ):
            out.add((ident.id, col))
        if ident.for_each == "row" and row in ident.only and col in (*ident.lhs, *ident.rhs):
            out.add((ident.id, row))
    return out


def _instances(report: ReportDocument) -> set[tuple[str, str]]:
    fmt = report.format
    out = set()
    for f in check_identities(report):
        ident = _identity(fmt, f.identity or "")
        assert f.identity and f.row and f.column
        out.add((f.identity, f.column if ident.for_each == "column" else f.row))
    return out


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.edition)
@settings(max_examples=60)
@given(data=st.data())
def test_consistent_reports_pass_every_identity(fmt: ReportFormat, data: st.DataObject) -> None:
    report = data.draw(consistent_report(fmt))
    assert check_identities(report) == []


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.edition)
@settings(max_examples=150)
@given(data=st.data())
def test_one_perturbed_cell_fails_exactly_its_identities(fmt: ReportFormat, data: st.DataObject) -> None:
    report = data.draw(consistent_report(fmt))
    table = data.draw(st.sampled_from(["t3", "t4"]))
    row = data.draw(st.sampled_from(sorted(report.tables[table])))
    col = data.draw(st.sampled_from(sorted(report.tables[table][row])))
    delta = data.draw(st.integers(min_value=1, max_value=50))
    report.tables[table][row][col] += delta
    expected = _affected(fmt, table, row, col)
    assert expected, f"every cell of {table} takes part in some identity ({row}.{col})"
    assert _instances(report) == expected
    for failure in check_identities(report):
        assert failure.expected is not None and failure.found is not None
        assert abs(failure.found - failure.expected) == delta


@pytest.mark.parametrize(
    ("table", "row", "col", "expected"),
    [
        ("t3", "new", "commercial", {("E1", "commercial"), ("I1", "new")}),
        ("t3", "results_total", "total", {("E1", "total"), ("I1", "results_total"), ("I2", "total")}),
        ("t3", "withheld_state_secret", "research", {("I1", "withheld_state_secret"), ("I2", "research")}),
        ("t3", "other_fee_unpaid", "total", {("I1", "other_fee_unpaid"), ("I2", "total")}),
        ("t4", "counts", "review_pending", {("I3", "counts")}),
        ("t4", "counts", "direct_total", {("I4", "counts")}),
        ("t4", "counts", "after_review_upheld", {("I5", "counts")}),
    ],
)
def test_named_perturbations_of_huaian(huaian, table: str, row: str, col: str, expected: set) -> None:
    report = copy.deepcopy(huaian)
    report.tables[table][row][col] += 1
    assert _instances(report) == expected


def test_identity_failure_names_table_row_column_expected_found(huaian) -> None:
    report = copy.deepcopy(huaian)
    report.tables["t4"]["counts"]["review_total"] = 350
    [failure] = check_identities(report)
    assert (failure.identity, failure.table, failure.row, failure.column) == (
        "I3",
        "t4",
        "counts",
        "review_total",
    )
    assert (failure.expected, failure.found) == (351, 350)
    assert "行政复议" in failure.message


def test_missing_prose_sections(huaian) -> None:
    report = copy.deepcopy(huaian)
    del report.sections["五"]
    report.sections["六"] = "  "
    assert [(f.kind, f.section) for f in check_completeness(report)] == [
        ("missing_section", "五"),
        ("missing_section", "六"),
    ]


# --- prose --------------------------------------------------------------------------------------------


def test_prose_figures_must_match_tables(huaian) -> None:
    report = copy.deepcopy(huaian)
    report.tables["t3"]["new"]["total"] = 3118
    report.tables["t3"]["carried_forward"]["total"] = 104
    report.tables["t4"]["counts"]["direct_upheld"] = 14
    report.tables["t4"]["counts"]["review_total"] = 350
    found = {(f.identity, f.expected, f.found) for f in check_prose_facts(report)}
    assert found == {("P1", 3118, 3119), ("P3", 104, 103), ("P5.1", 26, 25), ("P4", 350, 351)}


def test_prose_in_chinese_numerals(huaian) -> None:
    report = copy.deepcopy(huaian)
    report.sections["一"] = report.sections["一"].replace(
        "政府信息公开行政诉讼 46 件", "政府信息公开行政诉讼四十七件"
    )
    [failure] = check_prose_facts(report)
    assert (failure.identity, failure.expected, failure.found, failure.column) == (
        "P5",
        46,
        47,
        "direct_total+after_review_total",
    )


def test_approximate_figures_are_not_compared(huaian) -> None:
    report = copy.deepcopy(huaian)
    report.sections["一"] = report.sections["一"].replace(
        "受理政府信息公开申请 3119 件", "受理政府信息公开申请 3000 余件"
    )
    assert check_prose_facts(report) == []


def test_a_zero_statement_is_a_figure(seed) -> None:
    report = copy.deepcopy(seed)
    assert check_prose_facts(report) == []
    report.tables["t3"]["new"]["total"] = 2
    [failure] = check_prose_facts(report)
    assert (failure.identity, failure.expected, failure.found) == ("P1", 2, 0)
    assert "没有接收到依申请公开事项" in failure.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("共发布信息共 100 条，通知 50 条、动态 40 条、其他 10 条。", None),
        ("共发布信息 100 条，通知 50 条、动态 40 条、其他 9 条。", (100, 99)),
        ("收到来信 20 件，其中 咨询 12 件，投诉 9 件。", (20, 21)),
        ("合计三十条：文件十条，图片二十一条。", (30, 31)),
        ("受理 20 件，答复 15 件，办结 3 件。", None),  # a narrative, not a list
        ("共发布 100 余条，通知 50 条、动态 40 条。", None),  # approximate
        ("共 10 条，通知 5 件、动态 4 件。", None),  # parts in another unit
    ],
)
def test_enumerations(seed, text: str, expected: tuple[int, int] | None) -> None:
    report = copy.deepcopy(seed)
    report.sections = {"一": text}
    failures = check_enumerations(report)
    assert [(f.expected, f.found) for f in failures] == ([expected] if expected else [])
