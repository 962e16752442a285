"""The report's JSON form (年度报告的 JSON 形式) and its validation.

Shape (every key but ``tables`` and ``sections`` entries is required)::

    {
      "format": "2021",                       # a format edition in reports/formats (f2021.json)
      "organisation": {"name": "淮安市人民政府", "code": "huaian"},   # or just the name as a string
      "year": 2024,                           # the report year (统计年度)
      "preamble": "本报告由……编制。",           # optional opening paragraph
      "sections": {                           # by section key 一…六; text paragraphs separated by "\\n"
        "一": {"text": "（一）主动公开情况。……"},
        "五": {"text": "……"}, "六": {"text": "无。"}
      },
      "tables": {                             # by table key; rows and columns by their stable keys
        "t2": {"rules": {"issued": 1, "repealed": 0, "in_force": 11}, ...},
        "t3": {"new": {"natural_person": 3001, ..., "total": 3119}, ...},
        "t4": {"counts": {"review_upheld": 72, ..., "after_review_total": 20}}
      },
      "unstated": {                           # optional: cells printed as no number, with what was printed
        "t3": {"new": {"commercial": "/"}}     # ("", "/", "—", "无", or figures that ran together)
      }
    }

Validation is about shape: unknown keys, wrong types, negative or non-integer figures, and rows that are
present but lack a figure are errors naming the field (``tables.t3.new.commercial``), unless ``unstated``
holds what the report printed there instead (the auditor keeps a published "/" apart from 0). A section, table or
row that is absent altogether is not a shape error: the report is well-formed but incomplete, and
``check.check_report`` reports it (the seed report is such a case).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from gongkai.reports.spec import ReportFormat, available_editions, load_format

Value = int | Decimal  # a figure
Cell = int | Decimal | str | bool  # a table cell: a figure, or the text or yes/no of a form's row
TableValues = dict[str, dict[str, Cell]]

MIN_YEAR = 2008  # the first year of reports under the 2007 regulation


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ReportValidationError(ValueError):
    """A report in JSON form that has the wrong shape; ``errors`` name each field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class Organisation:
    """The reporting organisation (报告机关)."""

    name: str
    code: str | None = None


@dataclass
class ReportDocument:
    """An annual report (年度报告) in memory: its format, texts and figures."""

    format: ReportFormat
    organisation: Organisation
    year: int
    sections: dict[str, str] = field(default_factory=dict)
    tables: dict[str, TableValues] = field(default_factory=dict)
    preamble: str = ""
    unstated: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.format.title_for(self.organisation.name, self.year)

    def value(self, table: str, row: str, column: str) -> Value | None:
        """A figure, or None when its table or row is absent (or the cell is text or yes/no)."""
        cell = self.cell(table, row, column)
        return cell if isinstance(cell, (int, Decimal)) and not isinstance(cell, bool) else None

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        """A cell of any type, or None when its table or row is absent."""
        return self.tables.get(table, {}).get(row, {}).get(column)

    def text(self, section: str) -> str:
        return self.sections.get(section, "")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (decimals as exact strings only where a float would not round-trip)."""
        org: dict[str, Any] = {"name": self.organisation.name}
        if self.organisation.code:
            org["code"] = self.organisation.code
        data: dict[str, Any] = {"format": self.format.edition, "organisation": org, "year": self.year}
        if self.preamble:
            data["preamble"] = self.preamble
        data["sections"] = {k: {"text": v} for k, v in self.sections.items()}
        data["tables"] = {
            t: {r: {c: _jsonable(v) for c, v in cols.items()} for r, cols in rows.items()}
            for t, rows in self.tables.items()
        }
        if self.unstated:
            data["unstated"] = self.unstated
        return data


def _jsonable(value: Cell) -> int | float | str | bool:
    if isinstance(value, (int, str)):  # bool is an int
        return value
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def _figure(raw: Any, cell_type: str, where: str, errors: list[FieldError]) -> Cell | None:
    if cell_type == "text":
        if not isinstance(raw, str):
            errors.append(FieldError(where, "must be text"))
            return None
        return raw
    if cell_type == "boolean":
        if not isinstance(raw, bool):
            errors.append(FieldError(where, "must be true or false"))
            return None
        return raw
    if isinstance(raw, bool) or raw is None:
        errors.append(FieldError(where, "must be a number"))
        return None
    if cell_type in ("integer", "signed_integer"):
        if isinstance(raw, Decimal) and raw == raw.to_integral_value():
            raw = int(raw)
        if not isinstance(raw, int):
            errors.append(FieldError(where, f"must be a whole number, not {raw!r}"))
            return None
        if cell_type == "integer" and raw < 0:
            errors.append(FieldError(where, f"must not be negative ({raw})"))
            return None
        return raw
    # Decimal amounts (万元) may come as numbers or as numeric strings.
    try:
        value = Decimal(str(raw)) if isinstance(raw, (int, float, Decimal, str)) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        errors.append(FieldError(where, f"must be a decimal number, not {raw!r}"))
        return None
    if value < 0:
        errors.append(FieldError(where, f"must not be negative ({raw})"))
        return None
    return value


def _unstated(raw: Any, errors: list[FieldError]) -> dict[str, dict[str, dict[str, str]]]:
    if raw is None:
        return {}
    ok = isinstance(raw, dict) and all(
        isinstance(rows, dict)
        and all(isinstance(cells, dict) and all(isinstance(v, str) for v in cells.values()) for cells in rows.values())
        for rows in raw.values()
    )
    if not ok:
        errors.append(FieldError("unstated", "must be an object table → row → column → printed text"))
        return {}
    return raw


def _tables(
    raw: Any, fmt: ReportFormat, errors: list[FieldError], unstated: dict[str, dict[str, dict[str, str]]] | None = None
) -> dict[str, TableValues]:
    if not isinstance(raw, dict):
        errors.append(FieldError("tables", "must be an object keyed by table (t2, t3, t4)"))
        return {}
    result: dict[str, TableValues] = {}
    for table_key, rows in raw.items():
        where = f"tables.{table_key}"
        table = fmt.tables.get(table_key)
        if table is None:
            errors.append(
                FieldError(where, f"unknown table; format {fmt.edition} has {', '.join(fmt.tables)}")
            )
            continue
        if not isinstance(rows, dict):
            errors.append(FieldError(where, "must be an object keyed by row"))
            continue
        values: TableValues = {}
        for row_key, cells in rows.items():
            row_where = f"{where}.{row_key}"
            try:
                row = table.row(row_key)
            except KeyError:
                errors.append(FieldError(row_where, "unknown row"))
                continue
            if row.is_group:
                errors.append(
                    FieldError(row_where, f"is a group row ({row.label}) and has no figures of its own")
                )
                continue
            if not isinstance(cells, dict):
                errors.append(FieldError(row_where, "must be an object keyed by column"))
                continue
            columns = table.columns_of(row_key)
            known = {c.key for c in columns}
            for col_key in cells:
                if col_key not in known:
                    errors.append(FieldError(f"{row_where}.{col_key}", "unknown column"))
            row_values: dict[str, Cell] = {}
            for col in columns:
                assert col.key is not None
                cell_where = f"{row_where}.{col.key}"
                if col.key not in cells:
                    if col.key not in (unstated or {}).get(table_key, {}).get(row_key, {}):
                        errors.append(FieldError(cell_where, f"missing figure ({col.label})"))
                    continue
                value = _figure(cells[col.key], table.cell_type(row_key, col.key), cell_where, errors)
                if value is not None:
                    row_values[col.key] = value
            values[row_key] = row_values
        result[table_key] = values
    return result


def parse_report(data: Any) -> ReportDocument:
    """A `ReportDocument` from the JSON form; raises ReportValidationError listing every bad field."""
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        raise ReportValidationError([FieldError("(root)", "must be a JSON object")])
    known_keys = {"format", "organisation", "year", "preamble", "sections", "tables", "unstated"}
    errors.extend(FieldError(k, "unknown field") for k in data if k not in known_keys)

    edition = data.get("format")
    if isinstance(edition, int) and not isinstance(edition, bool):
        edition = str(edition)
    if not isinstance(edition, str) or edition not in available_editions(None):
        errors.append(
            FieldError("format", f"must be one of {', '.join(available_editions(None))}, not {edition!r}")
        )
        raise ReportValidationError(errors)
    fmt = load_format(edition)

    org_raw = data.get("organisation")
    organisation = Organisation(name="")
    if isinstance(org_raw, str) and org_raw.strip():
        organisation = Organisation(name=org_raw.strip())
    elif isinstance(org_raw, dict) and isinstance(org_raw.get("name"), str) and org_raw["name"].strip():
        code = org_raw.get("code")
        if code is not None and not isinstance(code, str):
            errors.append(FieldError("organisation.code", "must be a string"))
            code = None
        organisation = Organisation(name=org_raw["name"].strip(), code=code)
    else:
        errors.append(
            FieldError("organisation", 'must be the organisation\'s name or {"name": …, "code": …}')
        )

    year = data.get("year")
    if isinstance(year, Decimal) and year == year.to_integral_value():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= 2100:
        errors.append(FieldError("year", f"must be a year from {MIN_YEAR} on, not {year!r}"))
        year = 0
    elif year < fmt.first_year:
        # A format did not exist before its first year; after its last one it may still be asked for
        # ("the 2019 edition on demand"), so only the start of its range is enforced here.
        errors.append(FieldError("year", f"format {fmt.edition} is used from {fmt.first_year} on, not {year}"))

    preamble = data.get("preamble", "")
    if not isinstance(preamble, str):
        errors.append(FieldError("preamble", "must be a string"))
        preamble = ""

    sections: dict[str, str] = {}
    raw_sections = data.get("sections", {})
    if not isinstance(raw_sections, dict):
        errors.append(FieldError("sections", "must be an object keyed by section (one, two, … six in Chinese)"))
        raw_sections = {}
    section_keys = [s.key for s in fmt.sections]
    for key, body in raw_sections.items():
        if key not in section_keys:
            errors.append(
                FieldError(f"sections.{key}", f"unknown section; expected one of {'、'.join(section_keys)}")
            )
        elif not isinstance(body, dict) or not isinstance(body.get("text"), str):
            errors.append(FieldError(f"sections.{key}.text", "must be a string"))
        else:
            extra = [k for k in body if k != "text"]
            errors.extend(FieldError(f"sections.{key}.{k}", "unknown field") for k in extra)
            sections[key] = body["text"]

    unstated = _unstated(data.get("unstated"), errors)
    tables = _tables(data.get("tables", {}), fmt, errors, unstated)
    if errors:
        raise ReportValidationError(errors)
    return ReportDocument(
        format=fmt, organisation=organisation, year=year, sections=sections, tables=tables, preamble=preamble,
        unstated=unstated,
    )


def loads_report(text: str) -> ReportDocument:
    """A report from JSON text; bad JSON is a ReportValidationError naming line and column."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ReportValidationError(
            [FieldError("(json)", f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")]
        ) from exc
    return parse_report(data)


def load_report(path: str | Path) -> ReportDocument:
    """A report from a JSON file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportValidationError([FieldError("(file)", f"cannot read {path}: {exc}")]) from exc
    return loads_report(text)


def dumps_report(report: ReportDocument) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
