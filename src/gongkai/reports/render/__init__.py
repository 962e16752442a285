"""Renderers of an annual report: HTML (fragment and page), Markdown, JSON, DOCX, PDF, xlsx, SVG charts.

``render(report, "pdf")`` returns bytes for any output format in ``OUTPUT_FORMATS``.
"""

from __future__ import annotations

from collections.abc import Callable

from gongkai.reports.document import ReportDocument, dumps_report


def _html(report: ReportDocument) -> bytes:
    from gongkai.reports.render.html import render_html

    return render_html(report).encode("utf-8")


def _md(report: ReportDocument) -> bytes:
    from gongkai.reports.render.markdown import render_markdown

    return render_markdown(report).encode("utf-8")


def _json(report: ReportDocument) -> bytes:
    return dumps_report(report).encode("utf-8")


def _docx(report: ReportDocument) -> bytes:
    from gongkai.reports.render.word import render_docx

    return render_docx(report)


def _pdf(report: ReportDocument) -> bytes:
    from gongkai.reports.render.pdf import render_pdf

    return render_pdf(report)


def _xlsx(report: ReportDocument) -> bytes:
    from gongkai.reports.render.xlsx import render_xlsx

    return render_xlsx(report)


RENDERERS: dict[str, Callable[[ReportDocument], bytes]] = {
    "json": _json,
    "html": _html,
    "md": _md,
    "docx": _docx,
    "pdf": _pdf,
    "xlsx": _xlsx,
}
OUTPUT_FORMATS: tuple[str, ...] = tuple(RENDERERS)


def render(report: ReportDocument, output_format: str) -> bytes:
    """The report in ``output_format`` (json, html, md, docx, pdf, xlsx); ValueError names the formats known."""
    try:
        renderer = RENDERERS[output_format]
    except KeyError:
        raise ValueError(
            f"unknown output format {output_format!r}; use one of {', '.join(OUTPUT_FORMATS)}"
        ) from None
    return renderer(report)
