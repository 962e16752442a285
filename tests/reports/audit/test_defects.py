"""Defective variants of real reports, each with the findings worked out by hand.

Each variant changes one thing in the text of a real report (read from its PDF). The expected findings were
worked out on paper from the printed figures and checked a second time against the tables:

淮安市 2024, table 三: 一 3001 53 0 0 61 4 | 3119; 二 34 0 0 0 0 0 | 34; （七） 2932 53 0 0 61 4 | 3050;
四 103 in 总计; prose "受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延…）".
"""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.reports.audit.findings import AuditResult
from gongkai.reports.audit.layout import Line
from gongkai.reports.audit.run import audit_bytes, audit_many
from tests.reports.audit.derive import SEED, as_html_table, as_text, real_layout

HUAIAN = "2024-huaian-shi-renmin-zhengfu.pdf"


def _huaian_text() -> str:
    return as_text(real_layout(HUAIAN)).decode("utf-8")


def _replace_line(text: str, start: str, new: str) -> str:
    lines = text.splitlines()
    matches = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert len(matches) == 1, (start, matches)
    lines[matches[0]] = new
    return "\n".join(lines) + "\n"


def _findings(result: AuditResult) -> list[tuple[Any, ...]]:
    return sorted(
        (f.kind, f.severity, f.place.section, f.place.row, f.place.column, f.as_dict()["expected"], f.as_dict()["found"])
        for f in result.findings
    )


def _audit(text: str) -> AuditResult:
    return audit_bytes(text.encode("utf-8"), "variant.txt")


def test_a_wrong_total_breaks_three_identities_and_the_prose() -> None:
    text = _replace_line(_huaian_text(), "（七）总计", "（七）总计  2932  53  0  0  61  4  3051")
    assert _findings(_audit(text)) == sorted([
        # I1: the row's parts 2932 + 53 + 0 + 0 + 61 + 4 = 3050, its 总计 3051.
        ("identity", "error", "三", "results_total", "total", 3050, 3051),
        # I2: （一）…（六） in 总计 add up to 3050 (the unchanged rows), （七） says 3051.
        ("identity", "error", "三", "results_total", "total", 3050, 3051),
        # E1 in 总计: 3119 + 34 = 3153, 3051 + 103 = 3154.
        ("identity", "error", "三", "new+carried_over", "total", 3154, 3153),
        # The prose replied 3050, the table now says 3051.
        ("prose_mismatch", "error", "一", "results_total", "total", 3051, 3050),
    ])


def test_a_prose_figure_that_disagrees_is_quoted() -> None:
    text = _huaian_text().replace("共受理政府信息公开申请3119件", "共受理政府信息公开申请3129件")
    result = _audit(text)
    assert _findings(result) == [("prose_mismatch", "error", "一", "new", "total", 3119, 3129)]
    assert result.findings[0].place.quote == "受理政府信息公开申请3129件"


def test_a_missing_section() -> None:
    text = _replace_line(_huaian_text(), "六、其他需要报告的事项", "")
    assert _findings(_audit(text)) == [
        ("missing_section", "error", "六", None, None, "六、其他需要报告的事项", None)
    ]


def test_a_misnumbered_section() -> None:
    text = _replace_line(_huaian_text(), "五、存在的主要问题及改进情况", "七、存在的主要问题及改进情况")
    assert _findings(_audit(text)) == [("misnumbered_section", "error", "五", None, None, "五", "七")]


def test_the_wrong_format_for_the_year() -> None:
    # The same 2021-format tables in a report titled 2020 (a year of the 2019 format).
    text = _replace_line(_huaian_text(), "2024年政府信息公开工作年度报告", "2020年政府信息公开工作年度报告")
    result = _audit(text)
    assert (result.year, result.format) == (2020, "2021")
    assert _findings(result) == [("wrong_format", "error", None, None, None, "2019", "2021")]


def test_the_2019_format_in_a_2022_report() -> None:
    text = (real_layout(SEED) and as_text(real_layout(SEED)).decode()).replace(
        "2019 年政府信息公开工作年度报告", "2022 年政府信息公开工作年度报告", 1
    )
    result = _audit(text)
    assert (result.year, result.format) == (2022, "2019")
    assert ("wrong_format", "error", None, None, None, "2021", "2019") in _findings(result)


def test_a_placeholder_is_its_own_finding_and_passes_no_sum() -> None:
    text = _replace_line(
        _huaian_text(), "一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量  3001  53  /  0  61  4  3119"
    )
    result = _audit(text)
    # Only the placeholder: I1 on the row and E1 in 科研机构 are left unjudged, nothing is read as 0.
    assert _findings(result) == [("placeholder", "warning", "三", "new", "research", "数字（没有则填 0）", "/")]
    assert result.document is not None
    assert "research" not in result.document["tables"]["t3"]["new"]
    assert result.document["unstated"] == {"t3": {"new": {"research": "/"}}}


@pytest.mark.parametrize("placeholder", ["", "—", "无"])
def test_blank_dash_and_none_in_a_table_cell_are_placeholders(placeholder: str) -> None:
    layout = real_layout(HUAIAN)
    layout.lines = [
        Line(line.text, cells=(*line.cells[:3], placeholder, *line.cells[4:]), page=line.page)
        if line.cells and line.cells[0].startswith("二、上年结转")
        else line
        for line in layout.lines
    ]
    result = audit_bytes(as_html_table(layout), "variant.html")
    assert _findings(result) == [
        ("placeholder", "warning", "三", "carried_over", "research", "数字（没有则填 0）", placeholder or "空白")
    ]


def test_figures_run_together_that_admit_two_cuts_are_ambiguous() -> None:
    # Seven digits for seven cells cut only as 1 | 1 | 0 | 0 | 0 | 1 | 1, whose parts add up to 3, not 1:
    # no cut satisfies the row's identity, so the row is not read.
    text = _replace_line(_huaian_text(), "二、上年结转政府信息公开申请数量", "二、上年结转政府信息公开申请数量  1100011")
    result = _audit(text)
    kinds = _findings(result)
    assert ("ambiguous", "uncertain", "三", "carried_over", None, 7, "1100011") in kinds
    # Nothing is claimed from the row: E1 cannot be judged in any column.
    assert not [f for f in kinds if f[0] == "identity"]


def test_cross_year_chains_between_two_years_of_one_agency() -> None:
    earlier = as_text(real_layout("2023-huaian-hongze-qu-renmin-zhengfu.pdf")).decode()
    later = _replace_line(
        as_text(real_layout("2024-huaian-hongze-qu-renmin-zhengfu.pdf")).decode(),
        "二、上年结转政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量  2  0  0  0  0  0  2",
    )
    results = audit_many([("2023.txt", earlier.encode()), ("2024.txt", later.encode())])
    added = [f for f in _findings(results[1]) if f[0] in ("cross_year", "identity")]
    assert added == sorted([
        # 2023 结转下年度 0, 2024 上年结转 2 (自然人 and 总计).
        ("cross_year", "error", "三", "carried_over", "natural_person", 0, 2),
        ("cross_year", "error", "三", "carried_over", "total", 0, 2),
        # E1 in 2024 itself: 95 + 2 = 97 against 95 + 0.
        ("identity", "error", "三", "new+carried_over", "natural_person", 95, 97),
        ("identity", "error", "三", "new+carried_over", "total", 95, 97),
    ])
    assert not [f for f in results[0].findings if f.kind == "cross_year"]


def test_normative_documents_chain_across_years() -> None:
    earlier = as_text(real_layout("2023-huaian-hongze-qu-renmin-zhengfu.pdf")).decode()
    # 2023 in force 5; 2024 issues 3, repeals 0, and says 9 in force (5 + 3 − 0 = 8).
    later = _replace_line(
        as_text(real_layout("2024-huaian-hongze-qu-renmin-zhengfu.pdf")).decode(),
        "行政规范性文件", "行政规范性文件  3  0  9",
    )
    results = audit_many([("2023.txt", earlier.encode()), ("2024.txt", later.encode())])
    chains = [f for f in _findings(results[1]) if f[0] == "cross_year"]
    assert chains == [("cross_year", "warning", "二", "normative_documents", None, 5, 6)]


def test_a_sentence_ending_in_a_figure_does_not_take_a_row() -> None:
    # A text layer breaks prose anywhere: "…其中予以公开" / "1362" / "件…" above table 三 is not its row.
    text = _replace_line(
        _huaian_text(), "三、收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开申请情况\n全年共办理政府信息公开申请，其中予以公开\n1362\n件，详见下表。",
    )
    assert _findings(_audit(text)) == []


def test_normative_documents_stated_in_prose_are_checked() -> None:
    # Table 二: 行政规范性文件 制发 8, 废止 26, 现行有效 66.
    text = _huaian_text().replace(
        "（二）依申请公开情况。", "全年制发行政规范性文件9件，现行有效行政规范性文件66件。\n（二）依申请公开情况。", 1
    )
    assert _findings(_audit(text)) == [("prose_mismatch", "error", "一", "normative_documents", "issued", 8, 9)]


def test_a_received_figure_that_includes_last_year_s_is_compared_with_both() -> None:
    # 3119 new + 34 carried over = 3153: "收到3153件（含上年结转34件）" is right, "收到3119件（含…）" is not.
    base = _huaian_text()
    right = base.replace("共受理政府信息公开申请3119件", "共受理政府信息公开申请3153件（含上年结转34件）")
    assert _findings(_audit(right)) == []
    wrong = base.replace("共受理政府信息公开申请3119件", "共受理政府信息公开申请3119件（含上年结转34件）")
    assert _findings(_audit(wrong)) == [("prose_mismatch", "error", "一", "new+carried_over", "total", 3153, 3119)]
