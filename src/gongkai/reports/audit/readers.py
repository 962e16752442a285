"""Readers: plain text, HTML, DOCX and PDF (text layer) into a `Layout`.

Each reader is pure (bytes in, layout out) and defensive: limits on size, pages and nesting; a broken,
encrypted or scanned file is a `ReadError` with a Chinese message, never a crash or an empty result.

PDF tables are rebuilt from the page's ruling lines (PyMuPDF's drawings) and the position of every character:
a character belongs to the cell its centre falls in, so figures that a text layer runs together
("210000021") still land in their own cells when the table has borders.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from gongkai.core.files import decode_text

from .layout import Layout, ReadError, clean_text

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = 80
MAX_DOCX_XML_BYTES = 40 * 1024 * 1024  # uncompressed document parts: a zip bomb stops here
MAX_HTML_CHARS = 8 * 1024 * 1024
MIN_TEXT_CHARS = 40  # fewer characters than this in a whole PDF: a scan without a text layer

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—–－\s]*(?:共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")


def _drop_page_numbers(layout: Layout) -> Layout:
    layout.lines = [ln for ln in layout.lines if ln.is_row or not _PAGE_NUMBER.match(ln.text)]
    return layout


# ---- plain text -------------------------------------------------------------------------------------------

_CELL_SEPARATORS = re.compile(r"\t|\s*[|｜]\s*")


def read_text(data: bytes) -> Layout:
    """Plain text (UTF-8 or GB18030). Lines with tabs or "|" between cells become table rows."""
    text = decode_text(data)
    if text is None:
        raise ReadError(gettext("文件不是可识别的文本（既不是 UTF-8 也不是 GB18030 编码，或含有二进制内容）。"))
    layout = Layout(kind="text")
    for raw in text.splitlines():
        line = clean_text(raw).rstrip()
        if not line.strip():
            continue
        if "\t" in line.strip() or line.count("|") + line.count("｜") >= 2:
            cells = _CELL_SEPARATORS.split(line.strip())
            if line.strip().startswith(("|", "｜")):
                cells = cells[1:]
            if line.strip().endswith(("|", "｜")) and cells and not cells[-1]:
                cells = cells[:-1]
            layout.add_row(cells)
        else:
            layout.add_text(line)
    return _drop_page_numbers(layout)


# ---- HTML -------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "br", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg", "math", "select", "button"])


def decode_html(data: bytes) -> str:
    """HTML bytes as text: a BOM, else the declared charset, else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _META_CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    candidates += ["utf-8", "gb18030"]
    for name in candidates:
        if name in ("gb2312", "gbk", "x-gbk"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace")


def _text_of(element: Any) -> str:
    """The visible text inside a table cell, whitespace collapsed (scripts and styles left out)."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag not in _SKIP_TAGS:
            if tag in ("br", "p", "div"):
                parts.append(" ")
            if node.text and tag:
                parts.append(node.text)
            for child in node:
                visit(child)
        if node.tail and node is not element:
            parts.append(node.tail)

    visit(element)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


class _HtmlWalker:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.buffer: list[str] = []
        self.depth = 0

    def flush(self) -> None:
        if self.buffer:
            self.layout.add_text(re.sub(r"[ \t\r\f\v]+", " ", "".join(self.buffer)))
            self.buffer = []

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIP_TAGS:  # comments and processing instructions have no tag name
            if element.tail:
                self.buffer.append(element.tail)
            return
        self.depth += 1
        if self.depth > 200:  # absurd nesting: read no deeper
            self.depth -= 1
            return
        if tag == "table" and not element.xpath(".//table"):
            self.flush()
            self.table(element)
        else:
            if tag in _BLOCK_TAGS:
                self.flush()
            if element.text:
                self.buffer.append(element.text)
            for child in element:
                self.walk(child)
            if tag in _BLOCK_TAGS:
                self.flush()
        self.depth -= 1
        if element.tail:
            self.buffer.append(element.tail)

    def table(self, table: Any) -> None:
        for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            cells = [_text_of(cell) for cell in row.xpath("./td|./th")]
            self.layout.add_row(cells)


def read_html(data: bytes) -> Layout:
    """An HTML page: block elements make lines, tables (the innermost ones) make rows of cells."""
    import lxml.html
    from lxml import etree

    text = decode_html(data)
    if len(text) > MAX_HTML_CHARS:
        raise ReadError(gettext("网页过大，已拒绝读取。"))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(gettext("网页无法解析。")) from exc
    if root is None:
        raise ReadError(gettext("网页是空的。"))
    layout = Layout(kind="html")
    title = root.find(".//title")
    if title is not None and title.text:
        layout.add_text(title.text)
    body = root.find(".//body")
    walker = _HtmlWalker(layout)
    walker.walk(body if body is not None else root)
    walker.flush()
    return _drop_page_numbers(layout)


# ---- DOCX -------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(gettext("Word 文档已损坏，无法打开。")) from exc
    if total > MAX_DOCX_XML_BYTES:
        raise ReadError(gettext("Word 文档解压后过大（疑似压缩炸弹），已拒绝读取。"))


def _docx_paragraph_text(p: Any) -> str:
    parts = []
    for node in p.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{_W}tab",):
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _docx_cell_text(tc: Any) -> str:
    return " ".join(_docx_paragraph_text(p) for p in tc.iter(f"{_W}p")).strip()


def _docx_table(layout: Layout, tbl: Any) -> None:
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            if tc.find(f".//{_W}tbl") is not None:
                # A table inside a cell: read the inner table's rows where they are.
                for inner in tc.iter(f"{_W}tbl"):
                    _docx_table(layout, inner)
                continue
            cells.append(_docx_cell_text(tc))
        layout.add_row(cells)


def read_docx(data: bytes) -> Layout:
    """A Word document: paragraphs and tables in body order (merged cells kept as one cell)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReadError(gettext("Word 文档已损坏或不是 DOCX 文件，无法打开。")) from exc
    except Exception as exc:  # python-docx raises lxml and many other errors on hostile input
        raise ReadError(gettext("Word 文档无法解析。")) from exc
    layout = Layout(kind="docx")
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            layout.add_text(_docx_paragraph_text(child))
        elif child.tag == f"{_W}tbl":
            _docx_table(layout, child)
        elif child.tag == f"{_W}sdt":  # content controls wrap paragraphs and tables alike
            for node in child.iter(f"{_W}p", f"{_W}tbl"):
                if node.tag == f"{_W}tbl":
                    _docx_table(layout, node)
                elif node.getparent() is not None and node.getparent().tag != f"{_W}tc":
                    layout.add_text(_docx_paragraph_text(node))
    if not layout.lines:
        raise ReadError(gettext("Word 文档中没有文字。"))
    return _drop_page_numbers(layout)


# ---- PDF --------------------------------------------------------------------------------------------------

_TOL = 1.5  # points: how far apart two strokes may be and still be one line


@dataclass
class _Char:
    c: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Seg:
    a: float  # the fixed coordinate (y of a horizontal, x of a vertical)
    lo: float
    hi: float


def _segments(page: Any) -> tuple[list[_Seg], list[_Seg]]:
    horizontal: list[_Seg] = []
    vertical: list[_Seg] = []

    def add_line(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y1 - y0) <= _TOL and abs(x1 - x0) > _TOL:
            horizontal.append(_Seg((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= _TOL and abs(y1 - y0) > _TOL:
            vertical.append(_Seg((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    for drawing in page.get_drawings():
        stroked = drawing.get("color") is not None
        for item in drawing["items"]:
            if item[0] == "l":
                p, q = item[1], item[2]
                add_line(p.x, p.y, q.x, q.y)
            elif item[0] in ("re", "qu"):
                r = item[1].rect if item[0] == "qu" else item[1]
                if r.height <= 2 * _TOL and r.width > _TOL:
                    add_line(r.x0, (r.y0 + r.y1) / 2, r.x1, (r.y0 + r.y1) / 2)
                elif r.width <= 2 * _TOL and r.height > _TOL:
                    add_line((r.x0 + r.x1) / 2, r.y0, (r.x0 + r.x1) / 2, r.y1)
                elif stroked:
                    add_line(r.x0, r.y0, r.x1, r.y0)
                    add_line(r.x0, r.y1, r.x1, r.y1)
                    add_line(r.x0, r.y0, r.x0, r.y1)
                    add_line(r.x1, r.y0, r.x1, r.y1)
    return _merge(horizontal), _merge(vertical)


def _merge(segments: list[_Seg]) -> list[_Seg]:
    """Collinear strokes that touch or overlap, as one segment."""
    clusters: list[list[_Seg]] = []
    for seg in sorted(segments, key=lambda s: s.a):
        if clusters and seg.a - clusters[-1][0].a <= _TOL:
            clusters[-1].append(seg)
        else:
            clusters.append([seg])
    merged: list[_Seg] = []
    for cluster in clusters:
        a = sum(s.a for s in cluster) / len(cluster)
        current: _Seg | None = None
        for seg in sorted(cluster, key=lambda s: s.lo):
            if current is not None and seg.lo <= current.hi + 2 * _TOL:
                current.hi = max(current.hi, seg.hi)
            else:
                current = _Seg(a, seg.lo, seg.hi)
                merged.append(current)
    return merged


@dataclass
class _Table:
    x0: float
    y0: float
    x1: float
    y1: float
    horizontal: list[_Seg]
    vertical: list[_Seg]

    def contains(self, ch: _Char) -> bool:
        return self.x0 - _TOL <= ch.cx <= self.x1 + _TOL and self.y0 - _TOL <= ch.cy <= self.y1 + _TOL


def _tables(horizontal: list[_Seg], vertical: list[_Seg]) -> list[_Table]:
    """Groups of strokes that cross or touch one another: each group with rows and columns is a table."""
    n_h = len(horizontal)
    parent = list(range(n_h + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if h.lo - 2 * _TOL <= v.a <= h.hi + 2 * _TOL and v.lo - 2 * _TOL <= h.a <= v.hi + 2 * _TOL:
                parent[find(i)] = find(n_h + j)
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(n_h + j), ([], []))[1].append(v)
    tables = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        tables.append(
            _Table(
                x0=min(v.a for v in vs), x1=max(v.a for v in vs),
                y0=min(h.a for h in hs), y1=max(h.a for h in hs), horizontal=hs, vertical=vs,
            )
        )
    return tables


def _line_text(chars: list[_Char]) -> str:
    """Characters of one line in x order, a space where the gap between two is wide."""
    chars = sorted(chars, key=lambda c: c.x0)
    out: list[str] = []
    prev: _Char | None = None
    for ch in chars:
        if prev is not None and ch.x0 - prev.x1 > 0.3 * max(ch.size, prev.size, 1.0):
            out.append(" ")
        out.append(ch.c)
        prev = ch
    return "".join(out)


def _text_lines(chars: list[_Char]) -> list[tuple[float, str]]:
    """Characters grouped into lines by their vertical centre: (top, text) in reading order."""
    lines: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines:
            last = lines[-1]
            centre = sum(c.cy for c in last) / len(last)
            if abs(ch.cy - centre) <= 0.45 * max(ch.size, 1.0):
                last.append(ch)
                continue
        lines.append([ch])
    return [(min(c.y0 for c in line), _line_text(line)) for line in lines]


def _table_rows(table: _Table, chars: list[_Char]) -> list[tuple[float, list[str]]]:
    """The rows of a ruled table: bands between the strokes that reach its right edge, cells between the
    vertical strokes that cross each band."""
    right = table.x1
    ys = sorted({round(h.a, 1) for h in table.horizontal if h.hi >= right - 3 * _TOL})
    bands = [(a, b) for a, b in itertools.pairwise(ys) if b - a > 2 * _TOL]
    rows = []
    for top, bottom in bands:
        middle = (top + bottom) / 2
        xs = sorted(
            {round(v.a, 1) for v in table.vertical if v.lo - _TOL <= middle <= v.hi + _TOL}
            | {round(table.x0, 1), round(table.x1, 1)}
        )
        cells: list[list[_Char]] = [[] for _ in range(max(len(xs) - 1, 1))]
        in_band = [c for c in chars if top <= c.cy < bottom]
        for ch in in_band:
            for k in range(len(xs) - 1):
                if xs[k] <= ch.cx < xs[k + 1]:
                    cells[k].append(ch)
                    break
        texts = [" ".join(t for _y, t in _text_lines(cell)) for cell in cells]
        if any(texts):
            rows.append((top, texts))
    return rows


def _page_chars(page: Any) -> list[_Char]:
    raw = page.get_text("rawdict")
    chars = []
    for block in raw.get("blocks", []):
        if block.get("type") != 0:
            continue
        for line in block.get("lines", []):
            direction = line.get("dir", (1, 0))
            if abs(direction[1]) > 0.5:  # rotated text: watermarks, stamps
                continue
            for span in line.get("spans", []):
                size = float(span.get("size", 10.0))
                for ch in span.get("chars", []):
                    c = ch.get("c", "")
                    if not c or c.isspace():
                        continue
                    x0, y0, x1, y1 = ch["bbox"]
                    chars.append(_Char(clean_text(c), x0, y0, x1, y1, size))
    return [c for c in chars if c.c]


def read_pdf(data: bytes) -> Layout:
    """A PDF's text layer, its ruled tables as rows of cells."""
    try:
        return _read_pdf(data)
    except ReadError:
        raise
    except Exception as exc:  # PyMuPDF raises RuntimeError and others on damaged files, even mid-way
        raise ReadError(gettext("PDF 文件已损坏，无法完整读取。")) from exc


def _read_pdf(data: bytes) -> Layout:
    import pymupdf

    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own and RuntimeErrors on broken files
        raise ReadError(gettext("PDF 文件已损坏，无法打开。")) from exc
    with document:
        if document.needs_pass and not document.authenticate(""):
            raise ReadError(gettext("PDF 文件已加密，需要密码才能打开。"))
        if document.page_count == 0:
            raise ReadError(gettext("PDF 文件没有页面。"))
        if document.page_count > MAX_PDF_PAGES:
            raise ReadError(
                gettext("PDF 有 %(pages)s 页，超过 %(limit)s 页，不像一份年度报告，已拒绝读取。") % {
                    "pages": document.page_count, "limit": MAX_PDF_PAGES}
            )
        layout = Layout(kind="pdf", pages=document.page_count)
        total_chars = 0
        blank_pages = []
        for number, page in enumerate(_pages(document), start=1):
            chars = _page_chars(page)
            total_chars += len(chars)
            if not chars:
                blank_pages.append(number)
                continue
            horizontal, vertical = _segments(page)
            tables = _tables(horizontal, vertical)
            items: list[tuple[float, str, list[str] | None]] = []
            rest = chars
            for table in tables:
                inside = [c for c in rest if table.contains(c)]
                if not inside:
                    continue
                rest = [c for c in rest if not table.contains(c)]
                items.extend((top, "", cells) for top, cells in _table_rows(table, inside))
            items.extend((top, text, None) for top, text in _text_lines(rest))
            for _top, text, cells in sorted(items, key=lambda item: item[0]):
                if cells is None:
                    layout.add_text(text, page=number)
                else:
                    layout.add_row(cells, page=number)
    if total_chars < MIN_TEXT_CHARS:
        raise ReadError(gettext("PDF 没有文字层（可能是扫描件），无法读取其中的文字和表格。"), kind="unreadable")
    if blank_pages:
        layout.notes.append(gettext("第 %(pages)s 页没有文字层（可能是扫描的图片）。") % {
            "pages": "、".join(map(str, blank_pages))})
    return _drop_page_numbers(layout)


def _pages(document: Any) -> Iterator[Any]:
    for index in range(document.page_count):
        try:
            yield document.load_page(index)
        except Exception:  # one broken page must not lose the others
            logger.warning("PDF page %d could not be loaded", index + 1, exc_info=True)
