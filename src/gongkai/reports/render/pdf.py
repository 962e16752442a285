"""PDF: the standalone HTML page laid out by WeasyPrint (A4, Noto CJK fonts, "第 N 页 共 M 页")."""

from __future__ import annotations

import logging

from gongkai.reports.document import ReportDocument
from gongkai.reports.render.html import render_html


def render_pdf(report: ReportDocument) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only PDF output needs.
    # WeasyPrint reports every layout step at INFO; that is noise in a command's output.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    pdf = HTML(string=render_html(report)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
