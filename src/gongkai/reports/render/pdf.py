"""PDF: the standalone HTML page laid out by WeasyPrint in the official typography (core/typography.py).

Charts are an option, off in the statutory document: `render_pdf(report, charts=True)` adds them.
"""

from __future__ import annotations

from gongkai.core.documents import html_to_pdf
from gongkai.reports.document import ReportDocument
from gongkai.reports.render.html import render_html


def render_pdf(report: ReportDocument, *, charts: bool = False) -> bytes:
    return html_to_pdf(render_html(report, with_charts=charts))
