"""Test material: a real report made into every input kind the auditor reads.

From the lines the PDF reader got out of a real report (its text and its table rows, cell by cell), each
function writes the same report as another kind of publication: plain text with spaces or tabs between
cells, an HTML page with table markup, one without (cells as text, as crawled pages lose the markup), one
whose figures run together ("210000021"), a DOCX with real tables (label cells merged across, as published
Word files have them), and a PDF whose table rows are text with the figures run together.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from pathlib import Path

from gongkai.reports.audit.layout import Layout, Line
from gongkai.reports.audit.readers import read_pdf, read_text

CORPUS = Path(__file__).parent / "corpus"
REAL_PDFS = sorted(p.name for p in CORPUS.glob("*.pdf"))
SEED = "2019-yinchuan-kejiju-seed.txt"


def real_layout(name: str) -> Layout:
    data = (CORPUS / name).read_bytes()
    return read_pdf(data) if name.endswith(".pdf") else read_text(data)


def _label_and_figures(line: Line) -> tuple[str, list[str]]:
    assert line.cells is not None
    cells = list(line.cells)
    j = len(cells)
    while j > 0 and re.fullmatch(r"[\d./—-]*", cells[j - 1].strip()):
        j -= 1
    return " ".join(c for c in cells[:j] if c), [c.strip() for c in cells[j:]]


def as_text(layout: Layout, separator: str = "  ") -> bytes:
    out = []
    for line in layout.lines:
        if line.cells is None:
            out.append(line.text)
        else:
            out.append(separator.join(c for c in line.cells if c) if separator != "\t" else "\t".join(line.cells))
    return ("\n".join(out) + "\n").encode("utf-8")


def as_runs_text(layout: Layout) -> str:
    """Rows as "label figures" with the figures run together, the way some text layers read."""
    out = []
    for line in layout.lines:
        if line.cells is None:
            out.append(line.text)
            continue
        label, figures = _label_and_figures(line)
        if all(f.isdigit() for f in figures) and len(figures) > 1:
            out.append(f"{label} {''.join(figures)}".strip())
        else:
            out.append(" ".join(c for c in line.cells if c))
    return "\n".join(out) + "\n"


def _page(body: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>年度报告</title>'
        "<script>document.write('x')</script><style>td{border:1px solid #000}</style></head><body>"
        f'<div class="nav">首页 &gt; 政务公开</div><div class="article">{body}</div></body></html>'
    ).encode()


def as_html_table(layout: Layout) -> bytes:
    parts: list[str] = []
    in_table = False
    for line in layout.lines:
        if line.cells is None:
            if in_table:
                parts.append("</table>")
                in_table = False
            parts.append(f"<p>{html.escape(line.text)}</p>")
            continue
        if not in_table:
            parts.append('<table border="1">')
            in_table = True
        cells = "".join(f"<td>{html.escape(c)}</td>" for c in line.cells)
        parts.append(f"<tr>{cells}</tr>")
    if in_table:
        parts.append("</table>")
    return _page("\n".join(parts))


def as_html_plain(layout: Layout) -> bytes:
    return _page("\n".join(f"<p>{html.escape(line)}</p>" for line in as_text(layout).decode().splitlines()))


def as_html_runs(layout: Layout) -> bytes:
    return _page("<br>\n".join(html.escape(line) for line in as_runs_text(layout).splitlines()))


def as_docx(layout: Layout) -> bytes:
    import docx

    document = docx.Document()
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, cells in enumerate(rows):
            # A row with fewer cells has its label merged across the missing columns, as Word tables do.
            span = width - len(cells)
            if span:
                table.cell(r, 0).merge(table.cell(r, span))
            for c, text in enumerate(cells):
                table.cell(r, c + span if c else 0).text = text
        rows.clear()

    for line in layout.lines:
        if line.cells is None:
            flush()
            document.add_paragraph(line.text)
        else:
            rows.append(line.cells)
    flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf_runs(layout: Layout) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(line)}</p>" for line in as_runs_text(layout).splitlines())
    page = (
        '<html><head><meta charset="utf-8"><style>@page{size:A4;margin:2cm}'
        "body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC',sans-serif;font-size:9pt}p{margin:0}</style>"
        f"</head><body>{body}</body></html>"
    )
    return bytes(HTML(string=page).write_pdf())


KINDS: dict[str, Callable[[Layout], bytes]] = {
    "text": as_text,
    "text-tabs": lambda layout: as_text(layout, "\t"),
    "text-runs": lambda layout: as_runs_text(layout).encode("utf-8"),
    "html-table": as_html_table,
    "html-plain": as_html_plain,
    "html-runs": as_html_runs,
    "docx": as_docx,
    "pdf-runs": as_pdf_runs,
}
