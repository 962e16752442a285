"""Document output: downloads keep Chinese file names; PDF and Word on the official page."""

from __future__ import annotations

from gongkai.core import documents


def test_download_names_and_disposition() -> None:
    response = documents.download(b"%PDF-1.7", "明川市科学技术局-2025.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    saved = documents.download(b"x", "报表.xlsx", private=True)
    assert saved["Content-Disposition"].startswith("attachment;") and saved["Cache-Control"] == "private, no-store"
    assert saved["Content-Type"].endswith("spreadsheetml.sheet")


def test_word_documents_use_the_official_page() -> None:
    doc = documents.new_docx(body_font="仿宋", body_size=16)
    section = doc.sections[0]
    assert [round(length.mm) for length in (section.page_width, section.page_height, section.top_margin,
                                            section.left_margin)] == [210, 297, 37, 28]
    documents.set_font(doc.add_paragraph().add_run("正文"), "仿宋", 16)
    assert documents.docx_bytes(doc).startswith(b"PK")


def test_pdf_from_html() -> None:
    pdf = documents.html_to_pdf("<html><body><p>测试</p></body></html>")
    assert pdf.startswith(b"%PDF")
