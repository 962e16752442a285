"""Uploaded files (附件): what a file really is, whether we accept it, and its text for search.

The type is decided by the content (magic bytes, the member names inside ZIP containers, the stream names
inside OLE2 compound files), never by the name or the browser's Content-Type; the name's extension must then
agree with what the content is, so a renamed executable or a spreadsheet called .pdf is refused by name.
"""

from __future__ import annotations

import io
import logging
import os
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileType:
    """One accepted type: its MIME type, canonical extension, other extensions it may carry, a label."""

    mime: str
    extension: str
    label: str
    aliases: frozenset[str] = frozenset()

    @property
    def extensions(self) -> frozenset[str]:
        return self.aliases | {self.extension}


@dataclass(frozen=True)
class DetectedType:
    """What an accepted upload is: its MIME type and canonical extension without the dot.

    For example ("application/pdf", "pdf").
    """

    mime: str
    extension: str


_OOXML = "application/vnd.openxmlformats-officedocument"
# The types an attachment may have (允许上传的文件类型), by canonical extension.
ALLOWED_TYPES: dict[str, FileType] = {
    t.extension: t
    for t in (
        FileType("application/pdf", "pdf", "PDF"),
        FileType("application/ofd", "ofd", "OFD"),
        FileType("application/msword", "doc", "Word 97-2003 文档"),
        FileType("application/vnd.ms-excel", "xls", "Excel 97-2003 工作簿"),
        FileType("application/vnd.ms-powerpoint", "ppt", "PowerPoint 97-2003 演示文稿"),
        FileType(f"{_OOXML}.wordprocessingml.document", "docx", "Word 文档"),
        FileType(f"{_OOXML}.spreadsheetml.sheet", "xlsx", "Excel 工作簿"),
        FileType(f"{_OOXML}.presentationml.presentation", "pptx", "PowerPoint 演示文稿"),
        FileType("image/jpeg", "jpg", "JPEG 图片", frozenset({"jpeg"})),
        FileType("image/png", "png", "PNG 图片"),
        FileType("image/gif", "gif", "GIF 图片"),
        FileType("image/webp", "webp", "WebP 图片"),
        FileType("text/plain", "txt", "纯文本"),
        FileType("text/csv", "csv", "CSV 表格"),
    )
}
_BY_MIME = {t.mime: t for t in ALLOWED_TYPES.values()}
# Types `filetype` recognises from magic bytes that we accept as they are.
_MAGIC_ACCEPTED = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}
_TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD_BYTES = 8192


def _extension_of(name: str) -> str:
    base = os.path.basename(name or "")
    return base.rpartition(".")[2].lower() if "." in base.strip(".") else ""


def _format_mb(n_bytes: int) -> str:
    mb = n_bytes / (1024 * 1024)
    return f"{mb:.1f}".removesuffix(".0")


def _read_all(fileobj: IO[bytes]) -> bytes:
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    return data


# ---- ZIP containers ---------------------------------------------------------------------------------------

def _zip_kind(fileobj: IO[bytes]) -> str:
    """docx / xlsx / pptx / ofd, "macro" for Office files with VBA, or "zip" for any other ZIP."""
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:  # reads the central directory only; nothing is inflated
            names = {info.filename.lstrip("/") for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"
    finally:
        fileobj.seek(0)
    lowered = {n.lower() for n in names}
    if "ofd.xml" in lowered:
        return "ofd"
    if "[content_types].xml" in lowered:
        if any(n.endswith("vbaproject.bin") for n in lowered):
            return "macro"
        for part, kind in (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                           ("ppt/presentation.xml", "pptx")):
            if part in lowered:
                return kind
    return "zip"


# ---- OLE2 compound files (.doc, .xls, .ppt) ---------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_MAX_SECTORS = 1 << 16  # a guard against loops in a hostile FAT


def _ole2_stream_names(data: bytes) -> set[str]:
    """The names in an OLE2 file's directory, read by following the FAT; empty if the file is malformed."""
    try:
        if len(data) < 512:
            return set()
        sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
        if sector_shift not in (9, 12):
            return set()
        size = 1 << sector_shift
        first_dir = struct.unpack_from("<I", data, 0x30)[0]
        first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _ENDOFCHAIN - 1]
        per_sector = size // 4
        sector = first_difat
        for _ in range(min(n_difat, _MAX_SECTORS)):
            if sector >= _ENDOFCHAIN - 1:
                break
            entries = struct.unpack_from(f"<{per_sector}I", data, (sector + 1) * size)
            fat_sectors.extend(s for s in entries[:-1] if s < _ENDOFCHAIN - 1)
            sector = entries[-1]

        def fat_entry(n: int) -> int:
            where, slot = divmod(n, per_sector)
            return int(struct.unpack_from("<I", data, (fat_sectors[where] + 1) * size + slot * 4)[0])

        names: set[str] = set()
        sector, seen = first_dir, 0
        while sector < _ENDOFCHAIN - 1 and seen < _MAX_SECTORS:
            base = (sector + 1) * size
            for offset in range(base, base + size, 128):
                name_len = struct.unpack_from("<H", data, offset + 64)[0]
                if 2 <= name_len <= 64:
                    names.add(data[offset : offset + name_len - 2].decode("utf-16-le", "replace"))
            sector, seen = fat_entry(sector), seen + 1
        return names
    except (struct.error, IndexError):
        return set()


def _ole2_kind(data: bytes) -> str:
    names = _ole2_stream_names(data)
    if "WordDocument" in names:
        return "doc"
    if "Workbook" in names or "Book" in names:
        return "xls"
    if "PowerPoint Document" in names:
        return "ppt"
    return "ole2"


# ---- plain text -------------------------------------------------------------------------------------------

_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}


def decode_text(data: bytes) -> str | None:
    """`data` as text if it is UTF-8 (with or without BOM) or GB18030 and has no NUL or other stray control
    characters; None for anything else."""
    if any(b < 0x20 and b not in _ALLOWED_CONTROLS for b in set(data)):
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


# ---- detection and validation -----------------------------------------------------------------------------

_CONTAINER_LABELS = {
    "zip": "ZIP 压缩包",
    "macro": "含宏的 Office 文档",
    "ole2": "Office 复合文档（无法识别的类型）",
}


def detect_type(fileobj: IO[bytes]) -> tuple[str, str]:
    """What the content of `fileobj` is, as (key, label): the key is an ALLOWED_TYPES extension for accepted
    types, "text" for text (which the name makes .txt or .csv), or another word ("exe", "zip", "unknown"...)
    for refused ones. The file position is left at the start."""
    fileobj.seek(0)
    head = fileobj.read(_HEAD_BYTES)
    fileobj.seek(0)
    if head.startswith(_ZIP_MAGIC):
        kind = _zip_kind(fileobj)
        return kind, ALLOWED_TYPES[kind].label if kind in ALLOWED_TYPES else _CONTAINER_LABELS[kind]
    if head.startswith(_OLE2_MAGIC):
        kind = _ole2_kind(_read_all(fileobj))
        return kind, ALLOWED_TYPES[kind].label if kind in ALLOWED_TYPES else _CONTAINER_LABELS[kind]
    guess = filetype.guess(head)
    if guess is not None:
        if guess.mime in _MAGIC_ACCEPTED:
            allowed = _BY_MIME[guess.mime]
            return allowed.extension, allowed.label
        labels = {"exe": "Windows 可执行程序（EXE）", "elf": "Linux 可执行程序（ELF）"}
        return guess.extension, labels.get(guess.extension, f"{guess.extension.upper()}（{guess.mime}）")
    if decode_text(_read_all(fileobj)) is not None:
        return "text", "纯文本"
    return "unknown", "无法识别的二进制内容"


def validate_upload(uploaded_file: Any, *, max_bytes: int) -> DetectedType:
    """Check an uploaded attachment (附件) and say what it is.

    `uploaded_file` is a Django `UploadedFile` (or any `File` with a name). Refused, with a ValidationError
    whose message is in Chinese: an empty file, one larger than `max_bytes`, a content type not in
    ALLOWED_TYPES, or a name whose extension does not agree with the content. The file position is left at
    the start so the caller can save it.
    """
    size = uploaded_file.size
    if size is None:
        uploaded_file.seek(0, io.SEEK_END)
        size = uploaded_file.tell()
    if size == 0:
        raise ValidationError(gettext("文件是空的（0 字节），请重新选择文件。"), code="file_empty")
    if size > max_bytes:
        raise ValidationError(
            gettext("文件大小为 %(size)s MB，超过了 %(limit)s MB 的上限。"),
            code="file_too_large",
            params={"size": _format_mb(size), "limit": _format_mb(max_bytes)},
        )
    name_ext = _extension_of(uploaded_file.name or "")
    kind, label = detect_type(uploaded_file)
    allowed_names = "、".join(sorted({e for t in ALLOWED_TYPES.values() for e in t.extensions}))
    if kind == "text":
        if name_ext in _TEXT_TYPES:
            return DetectedType(_TEXT_TYPES[name_ext], name_ext)
        kind = "txt"
    if kind not in ALLOWED_TYPES:
        raise ValidationError(
            gettext("不允许上传此类文件：文件内容是%(detected)s。允许的类型：%(allowed)s。"),
            code="file_type_not_allowed",
            params={"detected": label, "allowed": allowed_names},
        )
    allowed = ALLOWED_TYPES[kind]
    if name_ext not in allowed.extensions:
        if not name_ext:
            raise ValidationError(
                gettext("文件名没有扩展名，而文件内容是%(detected)s，请使用 .%(expected)s 扩展名。"),
                code="file_type_mismatch",
                params={"detected": label, "expected": allowed.extension},
            )
        raise ValidationError(
            gettext("文件扩展名为 .%(ext)s，但文件内容是%(detected)s，两者不符，已拒绝。"),
            code="file_type_mismatch",
            params={"ext": name_ext, "detected": label},
        )
    return DetectedType(allowed.mime, allowed.extension)


# ---- text extraction --------------------------------------------------------------------------------------

# The most text kept per attachment (search and pre-checks read it; a 500-page PDF has about this much).
MAX_TEXT_CHARS = 200_000


class ExtractionProblem:
    """Why the text of an attachment could not be (wholly) read: the pre-checks then ask a person to look."""

    NONE = ""
    NO_TEXT = "no_text"  # a PDF of scanned pages: images, no text layer
    PARTIAL = "partial"  # some pages have text, others are scanned
    ENCRYPTED = "encrypted"  # a password is needed to open it
    UNREADABLE = "unreadable"  # damaged or not what it claims to be
    TRUNCATED = "truncated"  # longer than MAX_TEXT_CHARS; only the beginning was read
    UNSUPPORTED = "unsupported"  # a type whose text we do not extract (images, .doc, .ofd, ...)


@dataclass(frozen=True)
class Extraction:
    """The text of an attachment with where each part of it is (全文及其位置).

    `text` is the parts joined by line breaks; `places` holds (offset in `text`, label) for the part starting
    there: "第3页" for a PDF page, "第12段" or "表格1 第2行" in a DOCX, "工作表“名单” B3" for a spreadsheet cell.
    `problem` is an ExtractionProblem value; `unread` names the parts without text (the scanned pages).
    """

    text: str = ""
    places: tuple[tuple[int, str], ...] = ()
    problem: str = ExtractionProblem.NONE
    unread: tuple[str, ...] = ()

    def place_of(self, offset: int) -> str:
        """The label of the part holding `text[offset]` ("" when the text has no parts)."""
        label = ""
        for start, name in self.places:
            if start > offset:
                break
            label = name
        return label


def _open(path_or_file: str | os.PathLike[str] | IO[bytes]) -> IO[bytes]:
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, "rb") as fh:
            return io.BytesIO(fh.read())
    path_or_file.seek(0)
    return path_or_file


class _Encrypted(Exception):
    pass


def _pdf_parts(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader  # imported here: only extraction needs it

    reader = PdfReader(stream, strict=False)
    if reader.is_encrypted:
        try:  # many PDFs carry only an owner password (no printing/copying) and open with an empty one
            opened = reader.decrypt("")
        except Exception as exc:  # pypdf raises DependencyError for AES without a crypto library, and others
            raise _Encrypted from exc
        if not opened:
            raise _Encrypted
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception:  # one broken page (bad font, bad stream) must not lose the others
            logger.warning("PDF page text could not be extracted", exc_info=True)
            text = ""
        yield gettext("第%(n)d页") % {"n": number}, text


def _docx_parts(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    import docx

    document = docx.Document(stream)
    for number, paragraph in enumerate(document.paragraphs, start=1):
        yield gettext("第%(n)d段") % {"n": number}, paragraph.text
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            yield gettext("表格%(t)d 第%(r)d行") % {"t": t, "r": r}, "\t".join(cell.text for cell in row.cells)


def _xlsx_parts(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    coordinate = getattr(cell, "coordinate", None)
                    if value is None or coordinate is None:
                        continue
                    label = gettext("工作表“%(sheet)s” %(cell)s") % {"sheet": sheet.title, "cell": coordinate}
                    yield label, str(value)
    finally:
        workbook.close()


_EXTRACTORS = {
    "application/pdf": _pdf_parts,
    ALLOWED_TYPES["docx"].mime: _docx_parts,
    ALLOWED_TYPES["xlsx"].mime: _xlsx_parts,
}


def _clean_line(line: str) -> str:
    return line.replace("\x00", "").rstrip()


def extract(path_or_file: str | os.PathLike[str] | IO[bytes], mime: str) -> Extraction:
    """The text of a PDF, DOCX, XLSX or plain-text attachment with its places, or the problem that stopped it.

    Never raises for a corrupt or hostile file: it says `unreadable` (and logs a warning without the content).
    """
    try:
        stream = _open(path_or_file)
        if mime in {"text/plain", "text/csv"}:
            decoded = decode_text(stream.read())
            if decoded is None:
                return Extraction(problem=ExtractionProblem.UNREADABLE)
            parts: list[tuple[str, str]] = [("", decoded)]
        elif mime in _EXTRACTORS:
            parts = list(_EXTRACTORS[mime](stream))
        else:
            return Extraction(problem=ExtractionProblem.UNSUPPORTED)
    except _Encrypted:
        return Extraction(problem=ExtractionProblem.ENCRYPTED)
    except Exception:  # pypdf, python-docx and openpyxl raise many kinds of errors on broken input
        logger.warning("text could not be extracted from a %s attachment", mime, exc_info=True)
        return Extraction(problem=ExtractionProblem.UNREADABLE)

    lines: list[str] = []
    places: list[tuple[int, str]] = []
    unread: list[str] = []
    length = 0
    truncated = False
    for label, text in parts:
        kept = [_clean_line(line) for line in text.splitlines()]
        kept = [line for line in kept if line.strip()]
        if not kept:
            if mime == "application/pdf":
                unread.append(label)
            continue
        if length >= MAX_TEXT_CHARS:
            truncated = True
            break
        places.append((length, label))
        for line in kept:
            lines.append(line)
            length += len(line) + 1
    text = "\n".join(lines)
    if len(text) > MAX_TEXT_CHARS:
        text, truncated = text[:MAX_TEXT_CHARS], True
    if truncated:
        problem = ExtractionProblem.TRUNCATED
    elif unread and not text:
        problem = ExtractionProblem.NO_TEXT
    elif unread:
        problem = ExtractionProblem.PARTIAL
    else:
        problem = ExtractionProblem.NONE
    return Extraction(text=text, places=tuple(places), problem=problem, unread=tuple(unread))


def extract_text(path_or_file: str | os.PathLike[str] | IO[bytes], mime: str) -> str:
    """The text of a PDF, DOCX, XLSX or plain-text attachment, for full-text search (全文检索); "" for other types.

    Never raises for a corrupt or hostile file: whatever cannot be read yields "".
    """
    return extract(path_or_file, mime).text


# ---- showing a PDF as pictures -----------------------------------------------------------------------------

# Pages wider than this many pixels are scaled down; the page images are for reading on screen, not printing.
PDF_PAGE_WIDTH = 1000


def pdf_page_count(fileobj: IO[bytes]) -> int:
    """How many pages a PDF has; 0 when it cannot be opened (broken, encrypted with a password)."""
    import pymupdf  # imported here: only the review's attachment view needs it

    try:
        with pymupdf.open(stream=_read_all(fileobj), filetype="pdf") as doc:
            return 0 if doc.needs_pass else doc.page_count
    except Exception:
        logger.info("PDF could not be opened for viewing")
        return 0


def pdf_page_png(fileobj: IO[bytes], page: int, *, width: int = PDF_PAGE_WIDTH) -> bytes | None:
    """Page `page` (from 1) of a PDF as a PNG at most `width` pixels wide, so staff read it in the page itself
    (no plug-in, no script); None when there is no such page or the PDF cannot be read."""
    import pymupdf

    try:
        with pymupdf.open(stream=_read_all(fileobj), filetype="pdf") as doc:
            if doc.needs_pass or not 1 <= page <= doc.page_count:
                return None
            pdf_page = doc[page - 1]
            zoom = min(2.0, width / max(pdf_page.rect.width, 1))
            return bytes(pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).tobytes("png"))
    except Exception:
        logger.info("PDF page could not be rendered")
        return None
