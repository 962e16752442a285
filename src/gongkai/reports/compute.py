"""Computing a report from the platform's data (按平台数据生成报告), as its format describes it.

`compute_report(org, year)` builds the report of one organisation on one year, counting that organisation's
own work only (never its subtree — a supervisor's totals live on the dashboard, not in a statutory report).
Nothing here knows a particular format; the format's data says everything:

- each cell's figure comes from its ``sources`` entry (a figure name answered by ``sources.py``, several names
  summed, or a constant);
- a cell without a source is a total: an equality among the format's identities (勾稽关系) whose left side is
  that one cell gives it as the sum of its right side, repeatedly, until every cell is known;
- each prose section with a ``draft`` is drafted (``drafting.py``: a named drafter or a template); the others
  are for staff to write, and a warning says so;
- the figures staff enter (``inputs``) are read like any other, with a warning while none are entered.

A year with no data at all is not an error: the statute requires a report even then, so the result is an
all-zero report with a warning saying so. Errors (`ComputeError`, naming the field) are for what cannot
be a report: a year before 2008, a year not yet begun, an edition that did not exist in that year. A format whose
data does not say how to fill a cell is a `FormatSpecError` naming the cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from gongkai.orgs.models import Organisation

from .document import MIN_YEAR, Cell, ReportDocument, TableValues, Value
from .document import Organisation as ReportOrganisation
from .drafting import DraftContext, draft
from .sources import Figures
from .spec import (
    DISCLOSURE,
    NUMERIC_TYPES,
    FormatSpecError,
    Identity,
    ReportFormat,
    Source,
    Table,
    format_for_year,
    load_format,
)


class ComputeError(ValueError):
    """A report that cannot be computed; ``field`` names the input at fault (year, edition, org)."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


@dataclass
class ComputedReport:
    """A computed report and what the reader of the draft should know about its sources."""

    document: ReportDocument
    warnings: list[str] = field(default_factory=list)


def choose_format(
    year: int, edition: str | None = None, *, today: dt.date | None = None, family: str = DISCLOSURE
) -> ReportFormat:
    """The format for a report on `year`: `edition` if given, else the one of `family` in force for that year.

    An edition may be asked for any year from its first on (the 2019 edition "on demand" for 2024, to
    compare with older reports); a year before it, before 2008 or not yet begun is a ComputeError.
    """
    today = today or timezone.localdate()
    if not MIN_YEAR <= year <= today.year:
        raise ComputeError("year", gettext("年度应在 %(first)s 至 %(last)s 之间，不能是 %(year)s") % {
            "first": MIN_YEAR, "last": today.year, "year": year})
    if edition is None:
        try:
            return format_for_year(year, family)
        except KeyError as exc:
            raise ComputeError("year", gettext("没有适用于 %(year)s 年的报告格式") % {"year": year}) from exc
    try:
        fmt = load_format(edition)
    except KeyError as exc:
        raise ComputeError("edition", str(exc.args[0])) from exc
    if year < fmt.first_year:
        raise ComputeError("edition", gettext("%(edition)s 版格式自 %(first)s 年起使用，不适用于 %(year)s 年") % {
            "edition": fmt.edition, "first": fmt.first_year, "year": year})
    return fmt


# --- tables ---------------------------------------------------------------------------------------------


def _as_cell(value: Any, cell_type: str, where: str) -> Cell:
    if cell_type == "text":
        return "" if value is None else str(value)
    if cell_type == "boolean":
        return bool(value)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise FormatSpecError(f"{where}: the figure is {value!r}, not a number")
    if cell_type == "decimal":
        return Decimal(str(value)).normalize()
    return int(value)


def _combine(values: list[Any], cell_type: str) -> Any:
    """Several figures for one cell: numbers (or mappings of them) add up; text takes the first that is not empty;
    yes/no is yes when any is."""
    if cell_type == "text":
        return next((v for v in values if v), "")
    if cell_type == "boolean":
        return any(values)
    if all(isinstance(v, dict) for v in values):
        keys = {k for v in values for k in v}
        return {k: sum((v[k] for v in values if k in v), 0) for k in keys}
    return sum(values, 0)


def _resolve(source: Source, cell_type: str, figures: Figures) -> Any:
    if isinstance(source, tuple):
        return _combine([figures.get(name) for name in source], cell_type)
    if isinstance(source, str):
        return figures.get(source)
    return source


def _sum(values: list[Cell]) -> Value:
    total: Value = 0
    for value in values:
        assert isinstance(value, (int, Decimal)) and not isinstance(value, bool)
        total += value
    return total


def _derive(table: Table, identities: list[Identity], values: dict[str, dict[str, Cell]]) -> None:
    """Fill the totals: each equality with one cell on its left gives that cell once its right side is known."""
    progress = True
    while progress:
        progress = False
        for ident in identities:
            if ident.for_each == "column":
                target = ident.lhs[0]
                columns = ident.only or tuple(c.key for c in table.columns_of(target) if c.key)
                for col in columns:
                    if col not in values[target] and all(col in values[r] for r in ident.rhs):
                        values[target][col] = _sum([values[r][col] for r in ident.rhs])
                        progress = True
            else:
                target = ident.lhs[0]
                for row in ident.only:
                    if target not in values[row] and all(c in values[row] for c in ident.rhs):
                        values[row][target] = _sum([values[row][c] for c in ident.rhs])
                        progress = True


def compute_table(fmt: ReportFormat, table_key: str, figures: Figures) -> TableValues:
    """Every cell of one table from its sources, then its totals from the identities."""
    table = fmt.table(table_key)
    values: dict[str, dict[str, Cell]] = {row.key: {} for row in table.data_rows}
    for row in table.data_rows:
        columns = [c.key for c in table.columns_of(row.key) if c.key]
        mapping_read: Any = None
        for col in columns:
            source, of_row = fmt.source_of(table_key, row.key, col)
            if source is None:
                continue
            cell_type = table.cell_type(row.key, col)
            where = f"format {fmt.edition}: {table_key}.{row.key}.{col}"
            if of_row:
                if mapping_read is None:
                    mapping_read = _resolve(source, cell_type if len(columns) == 1 else "integer", figures)
                if isinstance(mapping_read, dict):
                    if col not in mapping_read:
                        continue  # a total the identities give
                    value = mapping_read[col]
                elif len(columns) == 1:
                    value = mapping_read
                else:
                    raise FormatSpecError(f"{where}: the row's figure must be a mapping by column")
            else:
                value = _resolve(source, cell_type, figures)
            values[row.key][col] = _as_cell(value, cell_type, where)
    _derive(table, [i for i in fmt.identities if i.table == table_key and i.derives], values)
    ordered: TableValues = {}
    for row in table.data_rows:
        ordered[row.key] = {}
        for column in table.columns_of(row.key):
            assert column.key is not None
            if column.key not in values[row.key]:
                raise FormatSpecError(
                    f"format {fmt.edition}: cell {table_key}.{row.key}.{column.key} has no source and no identity "
                    "gives it"
                )
            ordered[row.key][column.key] = values[row.key][column.key]  # in the format's column order
    return ordered


def _all_zero(tables: dict[str, TableValues], fmt: ReportFormat) -> bool:
    for key, rows in tables.items():
        table = fmt.table(key)
        for row, cells in rows.items():
            for col, value in cells.items():
                if table.cell_type(row, col) in NUMERIC_TYPES and value:
                    return False
    return True


def compute_report(
    org: Organisation, year: int, edition: str | None = None, *, today: dt.date | None = None,
    family: str = DISCLOSURE,
) -> ComputedReport:
    """The report of `org` on `year` from the platform's data (see the module docstring)."""
    today = today or timezone.localdate()
    fmt = choose_format(year, edition, today=today, family=family)
    if not fmt.computable:
        raise ComputeError("edition", gettext("%(edition)s 版格式未说明数据来源，不能由平台生成") % {"edition": fmt.edition})
    warnings: list[str] = []
    if year == today.year:
        warnings.append(gettext("%(year)s 年尚未结束，报告数据截至 %(today)s。") % {"year": year, "today": f"{today:%Y-%m-%d}"})
    figures = Figures(org=org, fmt=fmt, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), today=today,
                      warnings=warnings)
    tables = {key: compute_table(fmt, key, figures) for key in fmt.tables}
    ctx = DraftContext(org=org, year=year, tables=tables, figures=figures, today=today)
    document = ReportDocument(
        format=fmt,
        organisation=ReportOrganisation(name=org.name, code=org.code),
        year=year,
        preamble=draft(fmt.preamble, ctx) if fmt.preamble else "",
        sections={s.key: draft(s.draft, ctx) for s in fmt.sections if s.draft is not None},
        tables=tables,
    )
    if not figures.has_data and _all_zero(tables, fmt):
        summary = f"（{fmt.data_summary}）" if fmt.data_summary else ""
        warnings.append(gettext("平台中没有本机关 %(year)s 年的任何数据%(summary)s，报告各表均为 0，请核实后再发布。") % {
            "year": year, "summary": summary})
    for section in fmt.sections:
        if section.kind == "prose" and section.draft is None:
            warnings.append(gettext("第%(section)s部分（%(heading)s）须由工作人员撰写。") % {
                "section": section.key, "heading": section.heading})
    if not fmt.applies_to(year):
        warnings.append(gettext("按要求使用 %(edition)s 版格式；%(year)s 年适用的法定格式是 %(statutory)s 版。") % {
            "edition": fmt.edition, "year": year, "statutory": format_for_year(year, fmt.family).edition})
    return ComputedReport(document=document, warnings=warnings)
