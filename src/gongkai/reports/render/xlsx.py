"""Excel (xlsx): each statutory table of a report as one sheet, merged headings and row labels exactly as the
format draws them (the same grid HTML, DOCX and PDF draw), figures as numbers, for supervisors who add them up."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from gongkai.core.spreadsheets import FormSheet, Placed, workbook_bytes
from gongkai.reports.document import ReportDocument
from gongkai.reports.render.html import section_parts
from gongkai.reports.render.layout import positioned

_INTEGER = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _typed(text: str) -> Any:
    """A printed figure back as a number, so that a spreadsheet can add it up; anything else stays text."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    return text or None


def render_xlsx(report: ReportDocument) -> bytes:
    sheets = []
    for part in section_parts(report, with_charts=False):
        if part.grid is None:
            continue
        assert part.section.table is not None
        table = report.format.table(part.section.table)
        cells = [
            Placed(row=r, column=c, value=_typed(cell.text) if cell.kind == "value" else cell.text,
                   rowspan=cell.rowspan, colspan=cell.colspan, header=cell.is_header,
                   left=cell.kind in ("block", "row_label"))
            for r, c, cell in positioned(part.grid)
        ]
        heading = part.section.numbered_heading if part.section.show_heading else table.title
        sheets.append(FormSheet(title=heading, cells=cells, heading=f"{report.title}　{heading}",
                                frozen_rows=len(part.head)))
    if not sheets:
        raise ValueError(f"{report.title} has no tables to put in a spreadsheet")
    return workbook_bytes(sheets)
