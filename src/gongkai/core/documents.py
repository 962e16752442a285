"""Document output (文书输出): PDF from HTML, Word documents on an official A4 page, and download responses.

Every generated document (annual reports, reply letters, the demo's attachments) is made here, so the page, the
Chinese fonts and the quirks of the libraries are set up once:

- `html_to_pdf`: WeasyPrint, imported on first use (it loads Pango, which only PDF output needs) and kept quiet
  (it logs every layout step at INFO).
- `new_docx` and `set_font`: python-docx on an A4 page with the margins of GB/T 9704 (党政机关公文格式); Word takes
  Chinese glyphs from the east-Asian font, which python-docx does not set by itself.
- `download`: the HTTP response for a generated file, with a Chinese file name that every browser keeps. A
  standalone HTML document keeps its own `<style>` block (it must print the same when saved): the response allows
  exactly that block by its hash, and nothing else inline, under the site's Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.run import Run

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
# Formats a browser shows by itself rather than saving.
_INLINE = frozenset({"pdf", "html"})

# GB/T 9704-2012: A4, type area 156 × 225 mm, top margin 37 mm, left margin 28 mm.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """`html` (a whole page with its own CSS, fonts named there) laid out as PDF."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=base_url).write_pdf()
    if pdf is None:  # only when a target is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


def new_docx(*, body_font: str | None = None, body_size: float | None = None) -> DocxDocument:
    """An empty Word document on an A4 page with the official margins; `body_font`/`body_size` set the
    Normal style (east-Asian font included)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    if body_font or body_size:
        style: Any = doc.styles["Normal"]
        if body_size:
            style.font.size = Pt(body_size)
        if body_font:
            style.font.name = body_font
            style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), body_font)
    return doc


def set_font(run: Run, name: str, size: float, bold: bool = False) -> None:
    """Font of one run, for Latin and Chinese glyphs alike."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def docx_bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def download(content: bytes | str, filename: str, *, fmt: str | None = None, inline: bool | None = None,
             private: bool = False) -> HttpResponse:
    """A generated file as an HTTP response. `fmt` defaults to the file name's extension; PDF and HTML open in
    the browser unless `inline=False`; `private` keeps it out of shared caches (personal data, drafts)."""
    fmt = fmt or filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))
    as_inline = fmt in _INLINE if inline is None else inline
    response["Content-Disposition"] = content_disposition_header(not as_inline, filename) or ""
    if private:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "html":
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        hashes = [style_hash(block) for block in _STYLE_BLOCK.findall(text)]
        if hashes:
            response._csp_update = {"style-src": hashes}  # type: ignore[attr-defined]  # read by django-csp
    return response


_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def style_hash(css: str) -> str:
    """The CSP source expression that allows exactly this inline style block."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"
