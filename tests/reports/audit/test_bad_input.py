"""Any file at all gets a finding or a clear refusal, never a crash or a hang; the readers are fuzzed."""

from __future__ import annotations

import io
import time
import zipfile

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reports.audit import isolation
from gongkai.reports.audit.findings import AuditResult
from gongkai.reports.audit.isolation import BoundedAuditor
from gongkai.reports.audit.run import audit_bytes
from tests.reports.audit.derive import CORPUS, REAL_PDFS, SEED, as_docx, as_html_table, real_layout


def _refused(result: AuditResult, kind: str, words: str) -> None:
    assert not result.readable
    assert [f.kind for f in result.findings] == [kind]
    assert words in result.findings[0].message, result.findings[0].message


def _pdf(pages: int, text: str = "Annual report, page text") -> bytes:
    document = pymupdf.open()
    for _ in range(pages):
        document.new_page().insert_text((72, 72), text)
    return bytes(document.tobytes())


def test_empty_binary_and_office_97_files_are_refused() -> None:
    _refused(audit_bytes(b"", "empty"), "unreadable", "空")
    _refused(audit_bytes(bytes(range(256)) * 8, "binary"), "unreadable", "无法审查此类文件")
    _refused(audit_bytes(b"MZ\x90\x00" + b"\x00" * 300, "program.exe"), "unreadable", "无法审查此类文件")
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
    assert not audit_bytes(ole2, "old.doc").readable


def test_a_zip_bomb_posing_as_a_docx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (45 * 1024 * 1024) + b"</w:document>")
    assert len(buffer.getvalue()) < 1024 * 1024
    _refused(audit_bytes(buffer.getvalue(), "bomb.docx"), "unreadable", "压缩炸弹")


def test_encrypted_scanned_broken_and_endless_pdfs() -> None:
    document = pymupdf.open(stream=_pdf(1), filetype="pdf")
    locked = document.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    _refused(audit_bytes(locked, "locked.pdf"), "unreadable", "加密")

    scan = pymupdf.open()
    page = scan.new_page()
    page.insert_image(page.rect, pixmap=pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 50, 50), False))
    _refused(audit_bytes(bytes(scan.tobytes()), "scan.pdf"), "unreadable", "没有文字层")

    _refused(audit_bytes(_pdf(200), "long.pdf"), "unreadable", "200 页")
    truncated = (CORPUS / REAL_PDFS[0]).read_bytes()[:5000]
    assert audit_bytes(truncated, "truncated.pdf").findings


def test_a_website_annual_report_and_an_old_format_report_are_not_audited_as_reports() -> None:
    website = "洪泽区人民政府门户网站\n政府网站工作年度报表\n（2023年度）\n网站名称 洪泽区人民政府\n独立用户访问总量 12345 个\n"
    _refused(audit_bytes(website.encode(), "website.txt"), "not_a_report", "政府网站工作年度报表")
    old = "某县人民政府2017年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n主动公开信息755条。\n"
    _refused(audit_bytes(old.encode(), "2017.txt"), "format_unknown", "2019 年以前")
    _refused(audit_bytes("一段与年度报告无关的文字。".encode(), "note.txt"), "not_a_report", "不像一份年度报告")


def test_html_with_script_reads_the_page_not_the_script() -> None:
    page = as_html_table(real_layout(REAL_PDFS[-1])).replace(
        b"</body>", b"<script>alert('\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93\xe6\x83\x85\xe5\x86\xb5 99')</script></body>"
    )
    page = page.replace(b"<body>", "<body><!-- 一、总体情况 2019年 --><?php echo 1 ?>".encode(), 1)
    result = audit_bytes(page, "page.html")
    assert result.readable and result.findings == []


def test_a_reader_that_hangs_is_stopped_by_the_time_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(data: bytes, source: str) -> AuditResult:
        time.sleep(600)
        raise AssertionError("unreachable")

    monkeypatch.setattr(isolation, "audit_bytes", hang)
    with BoundedAuditor(timeout=0.5) as auditor:
        result = auditor(b"x", "slow.pdf")
        _refused(result, "unreadable", "超过 0.5 秒")
    monkeypatch.undo()
    with BoundedAuditor(timeout=600) as auditor:  # a fresh worker reads normally afterwards
        assert auditor((CORPUS / SEED).read_bytes(), SEED).organisation == "银川市科学技术局"


_SAMPLES = {
    "pdf": (CORPUS / REAL_PDFS[0]).read_bytes(),
    "docx": as_docx(real_layout(SEED)),
    "text": (CORPUS / SEED).read_bytes(),
    "html": as_html_table(real_layout(SEED)),
}


@settings(deadline=None, max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(_SAMPLES)), data=st.data())
def test_mutated_reports_never_crash_a_reader(kind: str, data: st.DataObject) -> None:
    sample = bytearray(_SAMPLES[kind])
    for _ in range(data.draw(st.integers(min_value=1, max_value=20))):
        position = data.draw(st.integers(min_value=0, max_value=len(sample) - 1))
        sample[position] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=1, max_value=len(sample)))
    result = audit_bytes(bytes(sample[:cut]), f"fuzzed.{kind}")
    assert isinstance(result, AuditResult)
    assert all(f.severity in ("error", "warning", "uncertain") for f in result.findings)


@settings(deadline=None, max_examples=60)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    assert isinstance(audit_bytes(data, "random"), AuditResult)


@settings(deadline=None, max_examples=60)
@given(st.text(max_size=3000))
def test_arbitrary_text_never_crashes(text: str) -> None:
    assert isinstance(audit_bytes(text.encode("utf-8", "surrogatepass"), "random.txt"), AuditResult)
