"""DOCX in the official layout (GB/T 9704-2012《党政机关公文格式》): A4 with the standard margins, 小标宋 2号 title,
黑体 first-level and bold 楷体 run-in second-level headings, 仿宋 3号 body on a 28-line grid, tables with merged
header cells exactly as the format draws them, page numbers "— 1 —" in 4号 宋体 on the outer side (odd pages
right, even pages left). Fonts are the first of each role's list (core/typography.py): Word substitutes by
itself where a font is missing, so the official name goes in."""

from __future__ import annotations

from django.utils.translation import gettext
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from gongkai.core import typography
from gongkai.core.documents import docx_bytes, new_docx
from gongkai.core.documents import set_font as _font
from gongkai.reports.document import ReportDocument
from gongkai.reports.render.html import section_parts
from gongkai.reports.render.layout import Grid, positioned

TITLE_FONT = typography.fonts("title")[0]
HEADING_FONT = typography.fonts("heading")[0]
BODY_FONT = typography.fonts("body")[0]
KAI_FONT = typography.fonts("kai")[0]
TABLE_FONT = typography.fonts("song")[0]


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

    # Page numbers on the outer side: odd pages right, even pages left, one character in from the type area.
    doc.settings.odd_and_even_pages_header_footer = True
    size = typography.PAGE_NUMBER_PT
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        number = footer.paragraphs[0]
        number.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            number.paragraph_format.right_indent = Pt(size)
        else:
            number.paragraph_format.left_indent = Pt(size)
        _font(number.add_run("— "), TABLE_FONT, size)
        _field(number, "PAGE", TABLE_FONT, size)
        _font(number.add_run(" —"), TABLE_FONT, size)
    grid = Mm((typography.PAGE_MM[1] - typography.MARGINS_MM["top"] - typography.MARGINS_MM["bottom"])
              / typography.LINES_PER_PAGE)
    normal = doc.styles["Normal"].paragraph_format
    normal.line_spacing_rule, normal.line_spacing = WD_LINE_SPACING.EXACTLY, grid
    normal.space_before = normal.space_after = Pt(0)

    for line in report.format.printed_title(report.organisation.name, report.year):
        _para(doc, line, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.core_properties.title = report.title
    if report.preamble:
        _para(doc, report.preamble, BODY_FONT, 16, indent=True)
    for part in section_parts(report, with_charts=False):
        if part.section.show_heading:
            _para(doc, part.section.numbered_heading, HEADING_FONT, 16, indent=True)
        for lead, rest in part.runs:
            paragraph = _para(doc, rest, BODY_FONT, typography.BODY_PT, indent=True)
            if lead:  # "（一）主动公开情况。" in bold 楷体, run in before the paragraph's text
                run = paragraph.runs[0]._element
                lead_run = paragraph.add_run(lead)
                _font(lead_run, KAI_FONT, typography.BODY_PT, bold=True)
                run.addprevious(lead_run._element)
        if part.grid is not None:
            assert part.section.table is not None
            table = report.format.table(part.section.table)
            _table(doc, part.grid, table.width, 9 if table.width > 6 else 10.5)
        elif part.missing:
            _para(doc, gettext("（本部分未填报）"), BODY_FONT, 16, indent=True)
    return docx_bytes(doc)
