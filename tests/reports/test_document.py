from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gongkai.reports.document import ReportValidationError, loads_report, parse_report

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_2019.json"
HUAIAN = FIXTURES / "huaian_2024.json"


def _huaian() -> dict[str, Any]:
    return json.loads(HUAIAN.read_text("utf-8"))


def _fields(data: Any) -> dict[str, str]:
    with pytest.raises(ReportValidationError) as info:
        parse_report(data)
    return {e.field: e.message for e in info.value.errors}


def test_fixtures_parse(seed, huaian) -> None:
    assert seed.format.edition == "2019" and seed.year == 2019
    assert seed.title == "银川市科学技术局2019年政府信息公开工作年度报告"
    assert seed.value("t2", "other_services", "decisions") == 1940
    assert seed.value("t4", "counts", "review_total") is None
    assert huaian.value("t2", "fees", "amount_wan") == Decimal("96171.6")
    assert huaian.value("t3", "new", "total") == 3119


def test_round_trip(huaian) -> None:
    again = loads_report(json.dumps(huaian.to_dict(), ensure_ascii=False))
    assert again.tables == huaian.tables and again.sections == huaian.sections
    assert again.organisation == huaian.organisation


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        (("t3", "new", "commercial"), -1, "tables.t3.new.commercial", "negative"),
        (("t3", "new", "commercial"), "53", "tables.t3.new.commercial", "whole number"),
        (("t3", "new", "commercial"), 5.5, "tables.t3.new.commercial", "whole number"),
        (("t3", "new", "commercial"), True, "tables.t3.new.commercial", "number"),
        (("t3", "new", "commercial"), None, "tables.t3.new.commercial", "number"),
        (("t2", "fees", "amount_wan"), "many", "tables.t2.fees.amount_wan", "decimal"),
        (("t2", "fees", "amount_wan"), -3.5, "tables.t2.fees.amount_wan", "negative"),
        (("t3", "new", "bogus"), 1, "tables.t3.new.bogus", "unknown column"),
        (("t3", "bogus"), {}, "tables.t3.bogus", "unknown row"),
        (("t3", "withheld"), {}, "tables.t3.withheld", "group row"),
        (("t9",), {}, "tables.t9", "unknown table"),
        (("t3", "new"), [1, 2], "tables.t3.new", "object"),
    ],
)
def test_bad_figures_name_their_field(path: tuple[str, ...], value: Any, field: str, message: str) -> None:
    data = _huaian()
    target = data["tables"]
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    fields = _fields(data)
    assert field in fields and message in fields[field]


def test_a_present_row_lacking_a_figure_is_named() -> None:
    data = _huaian()
    del data["tables"]["t3"]["new"]["research"]
    assert "missing figure" in _fields(data)["tables.t3.new.research"]


def test_signed_column_takes_negative_numbers() -> None:
    data = json.loads(SEED.read_text("utf-8"))
    data["tables"]["t2"]["licensing"]["change"] = -4
    assert parse_report(data).value("t2", "licensing", "change") == -4
    data["tables"]["t2"]["licensing"]["decisions"] = -4
    assert "negative" in _fields(data)["tables.t2.licensing.decisions"]


def test_decimal_amount_from_string() -> None:
    data = _huaian()
    data["tables"]["t2"]["fees"]["amount_wan"] = "12.30"
    assert parse_report(data).value("t2", "fees", "amount_wan") == Decimal("12.30")


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("format", "2030", "format"),
        ("year", 1999, "year"),
        ("year", "2024", "year"),
        ("year", 2019, "year"),  # F2021 does not cover 2019
        ("organisation", "", "organisation"),
        ("organisation", {"name": "x", "code": 5}, "organisation.code"),
        ("sections", [], "sections"),
        ("tables", [], "tables"),
        ("surprise", 1, "surprise"),
    ],
)
def test_bad_document_fields(key: str, value: Any, field: str) -> None:
    data = _huaian()
    data[key] = value
    assert field in _fields(data)


def test_bad_sections_are_named() -> None:
    data = _huaian()
    data["sections"]["七"] = {"text": "x"}
    data["sections"]["五"] = {"text": 3}
    fields = _fields(data)
    assert "sections.七" in fields and "sections.五.text" in fields


def test_every_error_is_reported_at_once() -> None:
    data = _huaian()
    data["year"] = "x"
    data["tables"]["t3"]["new"]["commercial"] = -1
    data["tables"]["t4"]["counts"]["review_total"] = "351"
    assert {"year", "tables.t3.new.commercial", "tables.t4.counts.review_total"} <= set(_fields(data))


def test_bad_json_names_line_and_column() -> None:
    with pytest.raises(ReportValidationError, match="line 2 column"):
        loads_report('{"format": "2021",\n "year": }')
    with pytest.raises(ReportValidationError, match="JSON object"):
        loads_report("[1, 2]")
