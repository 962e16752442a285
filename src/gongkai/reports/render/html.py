"""HTML: a Django template fragment (for the portal) and a standalone page (also the PDF's source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from gongkai.core.typography import css_context, run_in
from gongkai.reports.document import ReportDocument
from gongkai.reports.render.chart import bar_chart_svg, report_charts
from gongkai.reports.render.layout import Grid, report_grid
from gongkai.reports.spec import Section


@dataclass
class SectionPart:
    """One section ready to draw: its paragraphs, its table grid, its charts, or that it is missing."""

    section: Section
    paragraphs: list[str]
    grid: Grid | None = None
    missing: bool = False
    charts: list[str] = field(default_factory=list)

    @property
    def head(self) -> Grid:
        """The leading header rows, repeated on every printed page (none when a block heading leads)."""
        if not self.grid:
            return []
        count = 0
        for row in self.grid:
            if not all(cell.kind in ("corner", "column") for cell in row):
                break
            count += 1
        return self.grid[:count]

    @property
    def body(self) -> Grid:
        return self.grid[len(self.head) :] if self.grid else []

    @property
    def runs(self) -> list[tuple[str, str]]:
        """The paragraphs, each with its run-in heading ("（一）主动公开情况。") apart."""
        return [run_in(p) for p in self.paragraphs]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def section_parts(report: ReportDocument, with_charts: bool = True) -> list[SectionPart]:
    """The sections in the format's order, as every renderer draws them."""
    charts = report_charts(report) if with_charts else []
    chart_tables = {spec.key: spec.table for spec in report.format.charts}
    parts = []
    for section in report.format.sections:
        part = SectionPart(section=section, paragraphs=paragraphs(report.text(section.key)))
        if section.kind == "table":
            assert section.table is not None
            if section.table in report.tables:
                part.grid = report_grid(report, section.table)
                part.charts = [bar_chart_svg(c) for c in charts if chart_tables[c.key] == section.table]
            else:
                part.missing = True
        elif not part.paragraphs:
            part.missing = True
        parts.append(part)
    return parts


def html_context(report: ReportDocument, with_charts: bool = True) -> dict[str, Any]:
    return {
        "report": report, "parts": section_parts(report, with_charts), "type": css_context(),
        "title_lines": report.format.printed_title(report.organisation.name, report.year),
    }


def render_html_fragment(report: ReportDocument, with_charts: bool = True) -> str:
    """The report as an ``<article>`` to embed in a page (template ``reports/report_body.html``)."""
    return render_to_string("reports/report_body.html", html_context(report, with_charts))


def render_html(report: ReportDocument, with_charts: bool = True) -> str:
    """The report as a standalone HTML page with print styles (A4, page numbers)."""
    return render_to_string("reports/report_page.html", html_context(report, with_charts))
