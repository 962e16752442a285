"""Openings of other real reports (another city, a district office, a 示范区 bureau): recognition, label
variants and no false alarm on what they print."""

from __future__ import annotations

from pathlib import Path

from gongkai.reports.audit.run import audit_bytes

OPENINGS = Path(__file__).parent / "openings"


def test_a_district_office_report_in_html_with_merged_cells() -> None:
    name = "2022-wuhan-hanyang-qu-zhengfu-bangongshi.html"
    result = audit_bytes((OPENINGS / name).read_bytes(), name)
    assert (result.format, result.year, result.organisation, result.input_kind) == ("2021", 2022, "汉阳区人民政府办公室", "html")
    # "现行有效件数 (历史累计)" is a published variant of 现行有效件数; the blank under it is a placeholder.
    assert [(f.kind, f.place.row, f.place.column, f.found) for f in result.findings] == [
        ("placeholder", "rules", "in_force", "空白")
    ]
    assert result.document is not None
    assert result.document["tables"]["t2"]["normative_documents"] == {"issued": 5, "repealed": 12, "in_force": 8}
    assert result.document["tables"]["t3"]["other_misc"]["total"] == 1


def test_an_opening_cut_off_after_table_two() -> None:
    name = "2022-yangling-shenjiju-opening.txt"
    result = audit_bytes((OPENINGS / name).read_bytes(), name)
    assert (result.format, result.year, result.organisation) == ("2021", 2022, "杨凌示范区审计局")
    assert result.document is not None
    assert result.document["tables"]["t2"] == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
        "licensing": {"decisions": 0}, "penalties": {"decisions": 0}, "enforcement": {"decisions": 0},
        "fees": {"amount_wan": 0},
    }
    assert sorted((f.kind, f.place.section) for f in result.findings) == [
        ("missing_section", "五"), ("missing_section", "六"), ("missing_section", "四"), ("missing_table", "三"),
    ]
