"""Generated PDFs in the official typography (GB/T 9704-2012): the fonts of each role from the configured lists,
page numbers "— N —" below the type area on the outer side, no forced page break, charts only when asked for."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from gongkai.core.typography import MARGINS_MM, run_in
from gongkai.reports.document import ReportDocument
from gongkai.reports.render import render
from gongkai.reports.render.pdf import render_pdf

MM = 72 / 25.4


def _installed(family: str) -> bool:
    fc_list = shutil.which("fc-list")
    return bool(fc_list and subprocess.run([fc_list, family], capture_output=True, text=True).stdout.strip())


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def _page_numbers(reader: PdfReader) -> list[tuple[str, float, float]]:
    """(text, x, y) of every "— N —" drawn, page by page."""
    found: list[tuple[str, float, float]] = []
    for page in reader.pages:
        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            if re.fullmatch(r"\s*—\s*\d+\s*—\s*", text):
                found.append((text.strip(), cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))
        page.extract_text(visitor_text=visit)
    return found


def test_page_numbers_sit_below_the_type_area_on_the_outer_side(huaian: ReportDocument) -> None:
    reader = PdfReader(io.BytesIO(render(huaian, "pdf")))
    width = float(reader.pages[0].mediabox.width)
    numbers = _page_numbers(reader)
    assert [text.replace(" ", "") for text, _x, _y in numbers] == [f"—{n}—" for n in range(1, len(reader.pages) + 1)]
    for n, (_text, x, y) in enumerate(numbers, start=1):
        assert 0 < y < MARGINS_MM["bottom"] * MM  # in the bottom margin, below the type area
        assert (x > width / 2) if n % 2 else (x < width / 2), f"page {n}: odd on the right, even on the left"
    text = "".join(page.extract_text() for page in reader.pages)
    assert "第 1 页" not in text  # the old footer


def test_each_role_has_its_font_from_the_ordered_lists(huaian: ReportDocument, settings: Any) -> None:
    fonts = _fonts(PdfReader(io.BytesIO(render(huaian, "pdf"))))
    assert "Noto-Sans-CJK-SC" in fonts  # 黑体 role: SimHei absent here, the free fallback
    assert any(f.startswith("Noto-Serif-CJK-SC") for f in fonts)  # 仿宋 (body) and 宋体 fall back to Noto Serif
    if _installed("AR PL KaitiM GB"):  # fonts-arphic-gkai00mp (scripts/bootstrap): 楷体 run-in headings
        assert any(f.startswith("AR-PL-KaitiM-GB") for f in fonts)
        settings.DOCUMENT_FONTS = {"body": ["方正仿宋_GBK", "AR PL KaitiM GB"]}  # an operator's own order
        assert any(f.startswith("AR-PL-KaitiM-GB") and "Bold" not in f
                   for f in _fonts(PdfReader(io.BytesIO(render(huaian, "pdf")))))


def test_no_forced_page_break_and_charts_only_when_asked(huaian: ReportDocument) -> None:
    plain, charted = render_pdf(huaian), render_pdf(huaian, charts=True)
    assert b"report-section-t3" not in plain
    pages = PdfReader(io.BytesIO(plain)).pages
    starts = [p.extract_text() for p in pages]
    t3_page = next(i for i, text in enumerate(starts) if "收到和处理政府信息公开申请情况" in text)
    assert "主动公开政府信息情况" in starts[t3_page]  # table 三 follows 二 on the same page
    charted_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(charted)).pages)
    assert "按申请人" in charted_text and "按申请人" not in "".join(starts)  # the charts, on request only


def test_run_in_headings_are_found() -> None:
    assert run_in("（一）主动公开情况。2024年，本机关……") == ("（一）主动公开情况。", "2024年，本机关……")
    assert run_in("2024年，本机关……") == ("", "2024年，本机关……")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (scripts/bootstrap) renders PDF pages")
def test_pages_render_to_png(huaian: ReportDocument, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render(huaian, "pdf"))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(PdfReader(str(pdf)).pages) and all(p.stat().st_size > 5000 for p in pngs)


def test_docx_has_the_same_typography(huaian: ReportDocument) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document(io.BytesIO(render(huaian, "docx")))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    assert odd.text.strip() == "—  —" and "PAGE" in odd._p.xml  # "— {PAGE} —", the number filled in by Word
    assert round(section.top_margin.mm) == MARGINS_MM["top"] and round(section.left_margin.mm) == MARGINS_MM["left"]
    run_in_para = next(p for p in document.paragraphs if p.text.startswith("（一）"))
    lead = run_in_para.runs[0]
    assert lead.bold and lead.text.startswith("（一）") and lead.text.endswith("。")
    assert "第" not in odd.text  # no more "第 1 页 共 4 页"
