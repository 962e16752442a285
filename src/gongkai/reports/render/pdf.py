"""PDF: the standalone HTML page laid out by WeasyPrint (A4, CJK fonts, page numbers)."""

from __future__ import annotations

from gongkai.core.documents import html_to_pdf
from gongkai.reports.document import ReportDocument
from gongkai.reports.render.html import render_html


def render_pdf(report: ReportDocument) -> bytes:
    return html_to_pdf(render_html(report))
