"""The auditor on real published reports: every cell of tables 二, 三, 四, and exactly the defects they have.

The expected figures were read by eye from the printed pages (see corpus/README.md) and checked a second
time against poppler's layout text; the 淮安市 report's figures are the project's hand-typed fixture.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.reports.audit.findings import AuditResult
from gongkai.reports.audit.run import audit_bytes, audit_many, exit_status
from tests.reports.audit.derive import CORPUS, SEED

HUAIAN_FIXTURE = Path(__file__).parent.parent / "fixtures" / "huaian_2024.json"
T3_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total")
T3_ROWS = (
    "new", "carried_over", "disclosed", "partly_disclosed", "withheld_state_secret", "withheld_prohibited_by_law",
    "withheld_three_securities", "withheld_third_party", "withheld_internal_affairs", "withheld_process_information",
    "withheld_enforcement_files", "withheld_query_matters", "unavailable_not_held", "unavailable_needs_creation",
    "unavailable_unclear_after_correction", "not_processed_petition", "not_processed_repeat",
    "not_processed_publication", "not_processed_excessive", "not_processed_confirmation", "other_no_correction",
    "other_fee_unpaid", "other_misc", "results_total", "carried_forward",
)
T4_COLUMNS = tuple(
    f"{group}_{part}" for group in ("review", "direct", "after_review")
    for part in ("upheld", "corrected", "other", "pending", "total")
)


def _t3(natural_person: list[int]) -> dict[str, dict[str, int]]:
    """Table 三 of a report whose applicants were all natural persons (both 洪泽区 reports)."""
    return {
        row: dict(zip(T3_COLUMNS, [n, 0, 0, 0, 0, 0, n], strict=True))
        for row, n in zip(T3_ROWS, natural_person, strict=True)
    }


HONGZE_2023: dict[str, Any] = {
    "t2": {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 0, "repealed": 5, "in_force": 5},
        "licensing": {"decisions": 550},
        "penalties": {"decisions": 4119},
        "enforcement": {"decisions": 195},
        "fees": {"amount_wan": 7730.28},
    },
    # 新收 21, 结转 0, 予以公开 0, 部分公开 4, 国家秘密 1, …, 过程性 1, 执法案卷 1, 不掌握 10, 另行制作 3, 信访 1, 总计 21
    "t3": _t3([21, 0, 0, 4, 1, 0, 0, 0, 0, 1, 1, 0, 10, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 21, 0]),
    "t4": {"counts": dict(zip(T4_COLUMNS, [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0], strict=True))},
}
HONGZE_2024: dict[str, Any] = {
    "t2": {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 3, "repealed": 0, "in_force": 8},
        "licensing": {"decisions": 9487},
        "penalties": {"decisions": 2776},
        "enforcement": {"decisions": 84},
        "fees": {"amount_wan": 7545},
    },
    "t3": _t3([95, 0, 50, 9, 0, 0, 1, 0, 0, 1, 1, 0, 31, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 95, 0]),
    "t4": {"counts": dict(zip(T4_COLUMNS, [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3], strict=True))},
}


def _audit(name: str) -> AuditResult:
    return audit_bytes((CORPUS / name).read_bytes(), name)


def _summary(result: AuditResult) -> list[tuple[str, str, str | None, str | None, Any, Any]]:
    return [
        (f.kind, f.severity, f.place.row, f.place.column, f.as_dict()["expected"], f.as_dict()["found"])
        for f in result.findings
    ]


def test_huaian_2024_every_cell_and_no_finding() -> None:
    result = _audit("2024-huaian-shi-renmin-zhengfu.pdf")
    assert (result.format, result.year, result.organisation, result.input_kind) == ("2021", 2024, "淮安市人民政府", "pdf")
    assert result.findings == []
    assert result.document is not None
    assert result.document["tables"] == json.loads(HUAIAN_FIXTURE.read_text(encoding="utf-8"))["tables"]


def test_hongze_2023_every_cell_and_its_defects() -> None:
    result = _audit("2023-huaian-hongze-qu-renmin-zhengfu.pdf")
    assert (result.format, result.year, result.organisation) == ("2021", 2023, "洪泽区人民政府")
    assert result.document is not None
    assert json.loads(json.dumps(result.document["tables"])) == HONGZE_2023
    assert sorted(_summary(result)) == sorted([
        ("identity", "error", "counts", "review_total", 11, 0),  # I3: 10 + 1 + 0 + 0 printed as 总计 0
        ("identity", "error", "counts", "after_review_total", 5, 0),  # I5: 复议后起诉 维持 5, 总计 0
        ("layout", "warning", "other_processing", None, 3, 1),  # （六）其他处理 as one row of zeros
    ])


def test_hongze_2024_every_cell_and_its_defects() -> None:
    result = _audit("2024-huaian-hongze-qu-renmin-zhengfu.pdf")
    assert (result.format, result.year, result.organisation) == ("2021", 2024, "淮安市洪泽区人民政府")
    assert result.document is not None
    assert json.loads(json.dumps(result.document["tables"])) == HONGZE_2024
    assert sorted(_summary(result)) == sorted([
        ("prose_mismatch", "error", "new", "total", 95, 17),  # "受理政府信息公开申请 17 件" against 95
        ("layout", "warning", "other_processing", None, 3, 1),
    ])
    prose = next(f for f in result.findings if f.kind == "prose_mismatch")
    assert prose.place.section == "一" and prose.place.quote == "受理政府信息公开申请17件"


def test_seed_lacks_section_four_stops_table_three_and_miscounts_its_list() -> None:
    result = _audit(SEED)
    assert (result.format, result.year, result.organisation, result.input_kind) == ("2019", 2019, "银川市科学技术局", "text")
    kinds = {(f.kind, f.place.section) for f in result.findings}
    assert kinds == {("enumeration", "一"), ("missing_row", "三"), ("missing_section", "四")}
    enumeration = next(f for f in result.findings if f.kind == "enumeration")
    assert (enumeration.expected, enumeration.found) == (324, 314)
    missing = next(f for f in result.findings if f.kind == "missing_row")
    assert missing.place.row == "withheld_enforcement_files"
    assert "在「6.属于四类过程性信息」之后中断" in missing.message
    assert (missing.expected, missing.found) == (13, 0)  # 7.属于行政执法案卷 … 四、结转下年度继续办理
    assert "「7.属于行政执法案卷」至「四、结转下年度继续办理」共 13 行" in missing.message
    section = next(f for f in result.findings if f.kind == "missing_section")
    assert section.severity == "error" and section.expected == "四、政府信息公开行政复议、行政诉讼情况"
    # What the seed does print is read: 其他对外管理服务事项 1 | 0 | 1940 and the first ten rows of 表三.
    assert result.document is not None
    assert result.document["tables"]["t2"]["other_services"] == {"prior_items": 1, "change": 0, "decisions": 1940}
    assert len(result.document["tables"]["t3"]) == 10


def test_the_corpus_folder_together_chains_the_two_hongze_years_cleanly() -> None:
    sources = [(name, (CORPUS / name).read_bytes()) for name in sorted(p.name for p in CORPUS.glob("*.pdf"))]
    results = audit_many(sources)
    # 2023 结转下年度 0 = 2024 上年结转 0 in every column; 规范性文件 5 + 3 − 0 = 8: no cross-year finding.
    assert not any(f.kind == "cross_year" for r in results for f in r.findings)
    assert exit_status(results) == 1
    assert [r.clean for r in results] == [False, False, True]


@pytest.mark.parametrize("name", [*sorted(p.name for p in CORPUS.glob("*.pdf")), SEED])
def test_the_same_input_gives_the_same_output(name: str) -> None:
    assert _audit(name).as_dict() == _audit(name).as_dict()
