"""DOCX in the official layout (公文格式, GB/T 9704 style): A4, 小标宋 title, 黑体 headings, 仿宋 body,
tables with merged header cells exactly as the format draws them, page numbers in the footer."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from gongkai.core.documents import docx_bytes, new_docx
from gongkai.core.documents import set_font as _font
from gongkai.reports.document import ReportDocument
from gongkai.reports.render.html import section_parts
from gongkai.reports.render.layout import Grid, positioned

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"


def _para(
    doc_or_cell: object,
    text: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    indent: bool = False,
) -> Paragraph:
    paragraph: Paragraph = doc_or_cell.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _field(paragraph: Paragraph, instruction: str, font: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    _font(run, font, size)
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._element.extend([begin, instr, end])


def _table(doc: object, grid: Grid, width: int, size: float) -> None:
    table = doc.add_table(rows=len(grid), cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for r, c, cell in positioned(grid):
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        left = cell.kind in ("block", "row_label")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(cell.text), TABLE_FONT, size, bold=cell.kind == "block")


def render_docx(report: ReportDocument) -> bytes:
    doc = new_docx()
    section = doc.sections[0]

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("第 "), BODY_FONT, 10.5)
    _field(footer, "PAGE", BODY_FONT, 10.5)
    _font(footer.add_run(" 页 共 "), BODY_FONT, 10.5)
    _field(footer, "NUMPAGES", BODY_FONT, 10.5)
    _font(footer.add_run(" 页"), BODY_FONT, 10.5)

    for line in report.format.printed_title(report.organisation.name, report.year):
        _para(doc, line, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.core_properties.title = report.title
    if report.preamble:
        _para(doc, report.preamble, BODY_FONT, 16, indent=True)
    for part in section_parts(report, with_charts=False):
        if part.section.show_heading:
            _para(doc, part.section.numbered_heading, HEADING_FONT, 16, indent=True)
        for text in part.paragraphs:
            _para(doc, text, BODY_FONT, 16, indent=True)
        if part.grid is not None:
            assert part.section.table is not None
            table = report.format.table(part.section.table)
            _table(doc, part.grid, table.width, 9 if table.width > 6 else 10.5)
        elif part.missing:
            _para(doc, "（本部分未填报）", BODY_FONT, 16, indent=True)
    return docx_bytes(doc)
