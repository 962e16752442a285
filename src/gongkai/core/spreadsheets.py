"""Spreadsheet output (xlsx 电子表格): one way to write tables that staff open in Excel or WPS.

A sheet is a list of columns and rows. A column's header may have several levels ("行政诉讼 › 复议后起诉 ›
总计"): equal neighbouring levels are merged across, a header shorter than the deepest is merged down, as the
statutory tables print them. The header rows are frozen and carry an auto-filter; widths follow the content
(a Chinese character counts as two). Text is always stored as text: a cell that starts with "=" is not a
formula (a published report or an uploaded name must not run anything in the reader's spreadsheet program).

A `FormSheet` is the other shape: a printed form whose cells span rows and columns as drawn (the statutory
tables of the annual reports, whose row labels nest as deeply as their column headings).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .documents import CONTENT_TYPES, download

XLSX_CONTENT_TYPE = CONTENT_TYPES["xlsx"]

# Characters XML 1.0 cannot carry (openpyxl refuses them); a published report sometimes holds them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_WIDTH = 60
_MIN_WIDTH = 6
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
_THIN = Side(style="thin", color="B0B7C3")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column: its header (one level, or several from the top down), and optionally a fixed width.

    ``wrap`` makes long text wrap inside the column instead of widening it (messages, quotations).
    """

    header: str | tuple[str, ...]
    width: float | None = None
    wrap: bool = False

    @property
    def levels(self) -> tuple[str, ...]:
        return (self.header,) if isinstance(self.header, str) else self.header


@dataclass
class Sheet:
    """A worksheet: a title (at most 31 characters, shortened if longer), columns and rows of values.

    Values may be str, int, Decimal, float, date, datetime, bool or None (an empty cell).
    """

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def display_width(text: str) -> int:
    """Columns of a monospaced screen that `text` needs: wide (CJK) characters count as two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _cell_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.datetime)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # Excel has no time zones; the caller chose local time
        return value
    return _ILLEGAL.sub("", str(value))


def _safe_title(title: str, taken: set[str]) -> str:
    base = _SHEET_TITLE_BAD.sub("_", title).strip() or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _write_header(ws: Worksheet, columns: Sequence[Column]) -> int:
    depth = max((len(c.levels) for c in columns), default=1)
    for col_index, column in enumerate(columns, start=1):
        levels = column.levels
        for level in range(depth):
            cell = ws.cell(row=level + 1, column=col_index)
            cell.value = _cell_value(levels[level]) if level < len(levels) else None
            cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _CENTRE
        if len(levels) < depth:  # a short header spans the rows below it
            ws.merge_cells(start_row=len(levels), end_row=depth, start_column=col_index, end_column=col_index)
    # A group header (a level with more levels below it) spans the neighbours that share it and its parents.
    for level in range(depth - 1):
        start = 0
        while start < len(columns):
            key = columns[start].levels[: level + 1]
            end = start
            if len(columns[start].levels) > level + 1:
                while (
                    end + 1 < len(columns)
                    and len(columns[end + 1].levels) > level + 1
                    and columns[end + 1].levels[: level + 1] == key
                ):
                    end += 1
            if end > start:
                ws.merge_cells(
                    start_row=level + 1, end_row=level + 1, start_column=start + 1, end_column=end + 1
                )
            start = end + 1
    return depth


def _fill(ws: Worksheet, sheet: Sheet) -> None:
    columns = list(sheet.columns)
    depth = _write_header(ws, columns)
    widths = [max((display_width(x) for x in c.levels), default=0) for c in columns]
    row_number = depth
    for row in sheet.rows:
        row_number += 1
        if len(row) != len(columns):
            raise ValueError(f"sheet {sheet.title!r}: a row has {len(row)} values for {len(columns)} columns")
        for col_index, value in enumerate(row, start=1):
            cell = ws.cell(row=row_number, column=col_index)
            cell.value = _cell_value(value)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[col_index - 1] = max(widths[col_index - 1], min(display_width(cell.value), _MAX_WIDTH))
            elif cell.value is not None:
                widths[col_index - 1] = max(widths[col_index - 1], len(str(cell.value)))
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cell.border = _BORDER
            if columns[col_index - 1].wrap:
                cell.alignment = _WRAP
    for col_index, column in enumerate(columns, start=1):
        width = column.width or max(_MIN_WIDTH, min(widths[col_index - 1] + 2, _MAX_WIDTH))
        ws.column_dimensions[get_column_letter(col_index)].width = width
    if columns:
        ws.freeze_panes = ws.cell(row=depth + 1, column=1)
        ws.auto_filter.ref = f"A{depth}:{get_column_letter(len(columns))}{max(row_number, depth)}"


@dataclass(frozen=True)
class Placed:
    """One cell of a form-like sheet (a statutory table as printed): its place (0-based row and column), its
    value, how many rows and columns it spans, and whether it is a heading (bold, shaded) or a figure."""

    row: int
    column: int
    value: Any
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    left: bool = False  # aligned left (row labels, block headings) rather than centred


@dataclass
class FormSheet:
    """A worksheet drawn as a form: cells placed with their spans, a title row across the top, and the leading
    `frozen_rows` rows of the form (its column headings) kept in view."""

    title: str
    cells: Sequence[Placed]
    heading: str = ""
    frozen_rows: int = 0


def _fill_form(ws: Worksheet, sheet: FormSheet) -> None:
    offset = 2 if sheet.heading else 0
    width = max((c.column + c.colspan for c in sheet.cells), default=1)
    if sheet.heading:
        ws.cell(row=1, column=1, value=_cell_value(sheet.heading)).font = Font(bold=True, size=14)
        ws.cell(row=1, column=1).alignment = _CENTRE
        if width > 1:
            ws.merge_cells(start_row=1, end_row=1, start_column=1, end_column=width)
    widths = [0] * width
    for placed in sheet.cells:
        row, column = placed.row + 1 + offset, placed.column + 1
        cell = ws.cell(row=row, column=column)
        cell.value = _cell_value(placed.value)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula
            if placed.colspan == 1:
                widths[placed.column] = max(widths[placed.column], min(display_width(cell.value), _MAX_WIDTH))
        elif cell.value is not None:
            widths[placed.column] = max(widths[placed.column], len(str(cell.value)))
        align = Alignment(horizontal="left" if placed.left else "center", vertical="center", wrap_text=True)
        for r in range(row, row + placed.rowspan):
            for c in range(column, column + placed.colspan):
                spanned = ws.cell(row=r, column=c)
                spanned.border, spanned.alignment = _BORDER, align
                if placed.header:
                    spanned.font, spanned.fill = _HEADER_FONT, _HEADER_FILL
        if placed.rowspan > 1 or placed.colspan > 1:
            ws.merge_cells(start_row=row, end_row=row + placed.rowspan - 1, start_column=column,
                           end_column=column + placed.colspan - 1)
    for index, chars in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(_MIN_WIDTH, min(chars + 2, _MAX_WIDTH))
    if sheet.frozen_rows:
        ws.freeze_panes = ws.cell(row=offset + sheet.frozen_rows + 1, column=1)


def workbook_bytes(sheets: Sequence[Sheet | FormSheet]) -> bytes:
    """An xlsx file holding `sheets` (tables with column headers, or forms of placed cells), in order."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    wb = Workbook()
    default = wb.active
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_safe_title(sheet.title, taken))
        if isinstance(sheet, FormSheet):
            _fill_form(ws, sheet)
        else:
            _fill(ws, sheet)
    if default is not None:
        wb.remove(default)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(sheets: Sequence[Sheet | FormSheet] | bytes, filename: str) -> HttpResponse:
    """A download of `sheets` (or of xlsx bytes already made) named `filename` (Chinese names kept)."""
    data = sheets if isinstance(sheets, bytes) else workbook_bytes(sheets)
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    return download(data, filename, fmt="xlsx")
