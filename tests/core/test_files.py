"""Upload validation by content, and text extraction for search."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.files import (
    ALLOWED_TYPES,
    MAX_TEXT_CHARS,
    DetectedType,
    ExtractionProblem,
    decode_text,
    detect_type,
    extract,
    extract_text,
    validate_upload,
)
from tests.core.factories import minimal_pdf, pdf_pages

MB = 1024 * 1024


def zip_with(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "单元格甲"
    table.rows[0].cells[1].text = "单元格乙"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ole2_with(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file: header, one FAT sector, one directory sector naming `stream_names`."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<III", header, 0x38, 4096, 0xFFFFFFFE, 0)
    struct.pack_into("<II", header, 0x44, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = bytearray(512)
    for i, name in enumerate(("Root Entry", *stream_names)[:4]):
        encoded = (name + "\0").encode("utf-16-le")
        directory[i * 128 : i * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, i * 128 + 64, len(encoded))
    return bytes(header) + fat + bytes(directory)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64

DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
PPTX_PARTS = ("[Content_Types].xml", "ppt/presentation.xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refused(name: str, content: bytes, max_bytes: int = 20 * MB) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload(name, content), max_bytes=max_bytes)
    return excinfo.value


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("通知.pdf", minimal_pdf(), DetectedType("application/pdf", "pdf")),
        ("照片.JPG", JPEG, DetectedType("image/jpeg", "jpg")),
        ("照片.jpeg", JPEG, DetectedType("image/jpeg", "jpg")),
        ("图.png", PNG, DetectedType("image/png", "png")),
        ("动图.gif", GIF, DetectedType("image/gif", "gif")),
        ("图.webp", WEBP, DetectedType("image/webp", "webp")),
        ("文件.docx", zip_with(*DOCX_PARTS), DetectedType(ALLOWED_TYPES["docx"].mime, "docx")),
        ("表.xlsx", zip_with(*XLSX_PARTS), DetectedType(ALLOWED_TYPES["xlsx"].mime, "xlsx")),
        ("演示.pptx", zip_with(*PPTX_PARTS), DetectedType(ALLOWED_TYPES["pptx"].mime, "pptx")),
        ("公文.ofd", zip_with("OFD.xml", "Doc_0/Document.xml"), DetectedType("application/ofd", "ofd")),
        ("旧文档.doc", ole2_with("WordDocument", "1Table"), DetectedType("application/msword", "doc")),
        ("旧表格.xls", ole2_with("Workbook"), DetectedType("application/vnd.ms-excel", "xls")),
        ("说明.txt", "政务公开\n第二行".encode(), DetectedType("text/plain", "txt")),
        ("说明.txt", "政务公开\n第二行".encode("gb18030"), DetectedType("text/plain", "txt")),
        ("数据.csv", "名称,数量\n甲,1\n".encode("utf-8-sig"), DetectedType("text/csv", "csv")),
    ],
)
def test_accepted_types_are_recognised_by_content(name: str, content: bytes, expected: DetectedType) -> None:
    file = upload(name, content)
    assert validate_upload(file, max_bytes=20 * MB) == expected
    assert file.tell() == 0  # ready for the caller to save


def test_real_docx_is_recognised() -> None:
    assert validate_upload(upload("a.docx", docx_bytes("正文")), max_bytes=MB).extension == "docx"


def test_too_large_names_the_limit_in_mb() -> None:
    error = refused("a.pdf", minimal_pdf() + b" " * MB, max_bytes=MB)
    assert error.code == "file_too_large"
    assert "1 MB" in message(error)


def test_fractional_limit_is_shown_as_such() -> None:
    assert "0.5 MB" in message(refused("a.txt", b"x" * MB, max_bytes=MB // 2))


def test_empty_file_is_refused() -> None:
    error = refused("a.pdf", b"")
    assert error.code == "file_empty"
    assert "空" in message(error)


def test_exe_named_pdf_is_refused_naming_both() -> None:
    error = refused("通知.pdf", EXE)
    assert error.code == "file_type_not_allowed"
    assert "EXE" in message(error)
    error = refused("通知.pdf", ELF)
    assert "ELF" in message(error)


def test_allowed_content_under_the_wrong_extension_names_both() -> None:
    error = refused("通知.pdf", zip_with(*XLSX_PARTS))
    assert error.code == "file_type_mismatch"
    assert ".pdf" in message(error) and "Excel" in message(error)
    error = refused("照片.png", JPEG)
    assert error.code == "file_type_mismatch"
    assert ".png" in message(error) and "JPEG" in message(error)


def test_missing_extension_is_refused() -> None:
    error = refused("通知", minimal_pdf())
    assert error.code == "file_type_mismatch"
    assert ".pdf" in message(error)


@pytest.mark.parametrize(
    "content",
    [
        zip_with("a.txt", "b/c.txt"),  # an ordinary archive
        zip_with("word/document.xml"),  # no [Content_Types].xml: not a real Office file
        zip_with(*DOCX_PARTS, "word/vbaProject.bin"),  # macros
        ole2_with("SomethingElse"),  # OLE2 but neither Word nor Excel
        b"PK\x03\x04garbage that is not really a zip",
        ELF,
    ],
)
def test_containers_that_are_not_documents_are_refused(content: bytes) -> None:
    assert refused("文件.docx", content).code == "file_type_not_allowed"


def test_text_with_nul_or_invalid_encoding_is_refused() -> None:
    assert refused("a.txt", b"abc\x00def").code == "file_type_not_allowed"
    assert refused("a.csv", b"\xff\xfe\xff\xfe\x80\x80").code == "file_type_not_allowed"


def test_text_under_a_non_text_extension_is_refused() -> None:
    error = refused("a.pdf", "只是文字".encode())
    assert error.code == "file_type_mismatch"
    assert "纯文本" in message(error)


def test_corrupt_ole2_is_refused_not_crashing() -> None:
    broken = bytearray(ole2_with("WordDocument"))
    struct.pack_into("<I", broken, 0x30, 0x7FFFFFF0)  # directory sector far beyond the end
    assert refused("a.doc", bytes(broken)).code == "file_type_not_allowed"
    assert refused("a.doc", bytes(broken[:300])).code == "file_type_not_allowed"


@settings(max_examples=200)
@given(st.binary(min_size=1, max_size=2048))
def test_arbitrary_bytes_never_crash_validation(data: bytes) -> None:
    try:
        detected = validate_upload(upload("x.bin", data), max_bytes=MB)
    except ValidationError:
        return
    raise AssertionError(f".bin is never allowed, got {detected}")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=200))
def test_any_printable_text_is_accepted_as_text(text: str) -> None:
    data = text.encode()
    kind, _ = detect_type(io.BytesIO(data))
    if kind == "text":
        assert decode_text(data) == text.removeprefix("\ufeff")
    else:  # a text that happens to start with a magic number (e.g. "GIF89a", "%PDF")
        assert kind != "unknown"


def test_extract_text_from_pdf() -> None:
    assert "Hello gongkai" in extract_text(io.BytesIO(minimal_pdf()), "application/pdf")


def test_extract_text_from_pdf_path(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(minimal_pdf("From a path"))
    assert "From a path" in extract_text(path, "application/pdf")
    assert "From a path" in extract_text(str(path), "application/pdf")


def test_extract_text_from_docx() -> None:
    text = extract_text(io.BytesIO(docx_bytes("第一段", "第二段")), ALLOWED_TYPES["docx"].mime)
    assert "第一段" in text and "第二段" in text and "单元格乙" in text


def test_extract_text_from_plain_text() -> None:
    assert extract_text(io.BytesIO("甲\n乙".encode("gb18030")), "text/plain") == "甲\n乙"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.4\n",
        minimal_pdf()[:200],
        minimal_pdf().replace(b"/Contents 4 0 R", b"/Contents 99 0 R"),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj trailer << /Root 1 0 R >>\n%%EOF",
        b"not a pdf at all",
    ],
)
def test_extract_text_from_broken_pdf_returns_empty_or_text_never_raises(data: bytes) -> None:
    assert isinstance(extract_text(io.BytesIO(data), "application/pdf"), str)


def test_extract_text_from_broken_docx_is_empty() -> None:
    assert extract_text(io.BytesIO(b"PK\x03\x04broken"), ALLOWED_TYPES["docx"].mime) == ""
    assert extract_text(io.BytesIO(zip_with(*DOCX_PARTS)), ALLOWED_TYPES["docx"].mime) == ""


def test_extract_text_of_other_types_is_empty() -> None:
    assert extract_text(io.BytesIO(PNG), "image/png") == ""


def test_extract_text_from_missing_path_is_empty(tmp_path: Path) -> None:
    assert extract_text(tmp_path / "nope.pdf", "application/pdf") == ""


@settings(max_examples=50)
@given(st.binary(max_size=600))
def test_extract_text_never_raises_on_mangled_pdf(noise: bytes) -> None:
    pdf = minimal_pdf()
    mangled = pdf[:150] + noise + pdf[150 + len(noise) :]
    assert isinstance(extract_text(io.BytesIO(mangled), "application/pdf"), str)


# ---- extraction with places and problems ------------------------------------------------------------------

def test_pdf_text_knows_its_pages() -> None:
    extraction = extract(io.BytesIO(pdf_pages("first page", "second page")), "application/pdf")
    assert extraction.problem == ExtractionProblem.NONE
    assert extraction.place_of(extraction.text.index("second")) == "第2页"
    assert extraction.place_of(0) == "第1页"


def test_scanned_pdf_has_no_text_and_says_so() -> None:
    extraction = extract(io.BytesIO(pdf_pages("", "")), "application/pdf")
    assert (extraction.text, extraction.problem, extraction.unread) == ("", "no_text", ("第1页", "第2页"))


def test_partly_scanned_pdf_names_the_pages_without_text() -> None:
    extraction = extract(io.BytesIO(pdf_pages("typed page", "")), "application/pdf")
    assert extraction.problem == ExtractionProblem.PARTIAL and extraction.unread == ("第2页",)
    assert "typed page" in extraction.text


def test_encrypted_pdf_is_reported_as_such() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(minimal_pdf("secret text"))).pages[0])
    writer.encrypt(user_password="open-sesame", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    extraction = extract(io.BytesIO(out.getvalue()), "application/pdf")
    assert (extraction.text, extraction.problem) == ("", "encrypted")


def test_pdf_with_only_an_owner_password_is_read() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(minimal_pdf("printable text"))).pages[0])
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "printable text" in extract(io.BytesIO(out.getvalue()), "application/pdf").text


def test_broken_pdf_is_unreadable() -> None:
    assert extract(io.BytesIO(b"%PDF-1.4 broken"), "application/pdf").problem == ExtractionProblem.UNREADABLE


def test_docx_places_are_paragraphs_and_table_rows() -> None:
    extraction = extract(io.BytesIO(docx_bytes("第一段", "第二段")), ALLOWED_TYPES["docx"].mime)
    assert extraction.place_of(extraction.text.index("第二段")) == "第2段"
    assert extraction.place_of(extraction.text.index("单元格乙")) == "表格1 第1行"


def test_xlsx_text_names_sheet_and_cell() -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "名单"
    sheet["A1"], sheet["B3"] = "姓名", "身份证号 11010519491231002X"
    out = io.BytesIO()
    workbook.save(out)
    extraction = extract(io.BytesIO(out.getvalue()), ALLOWED_TYPES["xlsx"].mime)
    assert extraction.problem == ExtractionProblem.NONE
    assert extraction.place_of(extraction.text.index("11010519491231002X")) == "工作表“名单” B3"
    assert extract_text(io.BytesIO(out.getvalue()), ALLOWED_TYPES["xlsx"].mime).startswith("姓名")


def test_types_without_text_are_unsupported() -> None:
    assert extract(io.BytesIO(PNG), "image/png").problem == ExtractionProblem.UNSUPPORTED


def test_very_long_text_is_cut_and_says_so() -> None:
    text = ("甲" * 99 + "\n") * 2100
    extraction = extract(io.BytesIO(text.encode()), "text/plain")
    assert extraction.problem == ExtractionProblem.TRUNCATED and len(extraction.text) <= MAX_TEXT_CHARS
