"""Auditing reports end to end: bytes in, findings out (pure: no database, no network).

`audit_bytes` reads one source of any kind and judges it; `audit_many` does that for a batch and adds the
cross-year chains between reports of one organisation in consecutive years. The same input always gives
the same output: findings are sorted, nothing depends on time or order of arrival.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable

from django.utils.translation import gettext

from gongkai.core.files import detect_type
from gongkai.reports.document import ReportDocument, ReportValidationError, parse_report

from . import checks
from .findings import AuditResult, Finding, Place, unreadable
from .layout import Layout, ReadError
from .readers import read_docx, read_html, read_pdf, read_text
from .rebuild import recognise

logger = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024

_HTML_HINT = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta)\b", re.IGNORECASE)

_READERS: dict[str, Callable[[bytes], Layout]] = {
    "text": read_text, "html": read_html, "docx": read_docx, "pdf": read_pdf,
}


def detect_kind(data: bytes) -> str:
    """text, html, docx or pdf, by content; ReadError for anything else (with what it is)."""
    if not data:
        raise ReadError(gettext("文件是空的。"))
    if len(data) > MAX_BYTES:
        raise ReadError(gettext("文件超过 %(limit)s MB，已拒绝读取。") % {"limit": MAX_BYTES // (1024 * 1024)})
    kind, label = detect_type(io.BytesIO(data))
    if kind == "pdf":
        return "pdf"
    if kind == "docx":
        return "docx"
    if kind == "doc":
        raise ReadError(gettext("这是 Word 97-2003（.doc）文档，请另存为 DOCX 或 PDF 后再审查。"))
    if kind == "text":
        return "html" if _HTML_HINT.search(data[:8192]) else "text"
    if data.lstrip()[:1] == b"<" and _HTML_HINT.search(data[:8192]):
        return "html"  # an HTML page with bytes detect_type does not take for text (odd encodings)
    raise ReadError(gettext("无法审查此类文件：文件内容是%(kind)s。可以审查的是文本、网页、DOCX 和 PDF。") % {"kind": label})


def _too_old(year: int) -> str:
    return gettext(
        "%(year)s 年度报告采用 2019 年以前的格式；可审查的是 2019 年格式（2019—2020 年度）和 2021 年格式（2021 年度起）的报告。"
    ) % {"year": year}


def audit_layout(layout: Layout, source: str) -> AuditResult:
    """Recognise and judge a report already read."""
    rec = recognise(layout)
    result = AuditResult(
        source=source, format=rec.format.edition if rec.format else None, year=rec.year,
        organisation=rec.organisation, input_kind=layout.kind,
    )
    if rec.website_report:
        return _refuse(result, "not_a_report", gettext("这是《政府网站工作年度报表》，不是政府信息公开工作年度报告。"))
    fmt = rec.format
    if fmt is None or (not rec.sections and not rec.tables):
        if rec.year is not None and rec.year < 2019:
            return _refuse(result, "format_unknown", _too_old(rec.year))
        return _refuse(
            result, "not_a_report",
            gettext("没有找到政府信息公开工作年度报告的各部分标题和统计表，不像一份年度报告。"),
        )
    if rec.year is not None and rec.year < 2019:
        return _refuse(result, "format_unknown", _too_old(rec.year))
    findings: list[Finding] = []
    if rec.year is None:
        findings.append(Finding(
            kind="unrecognised", severity="uncertain", place=Place(),
            message=gettext("没有从标题或统计期限中识别出报告年度，未检查格式是否与年度相符"),
        ))
    if rec.organisation is None:
        findings.append(Finding(
            kind="unrecognised", severity="uncertain", place=Place(),
            message=gettext("没有从标题或开头识别出报告机关，不能与同一机关其他年度的报告衔接"),
        ))
    for note in layout.notes:
        findings.append(Finding(kind="unreadable", severity="uncertain", place=Place(), message=note))
    values = checks.Values(fmt, rec.tables, rec.collapsed_groups)
    findings += checks.check_format(rec)
    findings += checks.check_sections(rec)
    findings += checks.check_rows(rec)
    findings += checks.check_cells(rec)
    findings += checks.check_identities(rec, values)
    findings += checks.check_subtotals(rec, values)
    findings += checks.check_rules(rec, values)
    document = values.document(rec.organisation or "", rec.year or fmt.first_year, rec.texts, rec.preamble)
    findings += checks.check_prose(document)
    result.findings = _ordered(findings)
    result.document = document.to_dict()
    return result


def _refuse(result: AuditResult, kind: str, message: str) -> AuditResult:
    result.readable = False
    result.findings = [Finding(kind=kind, severity="error", place=Place(), message=message)]
    return result


def _ordered(findings: list[Finding]) -> list[Finding]:
    unique: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        unique.setdefault((f.kind, f.place, f.message), f)
    return sorted(unique.values(), key=Finding.sort_key)


def audit_bytes(data: bytes, source: str) -> AuditResult:
    """Read and judge one source. Never raises for bad input: an unreadable one is a finding."""
    try:
        kind = detect_kind(data)
        layout = _READERS[kind](data)
    except ReadError as exc:
        return unreadable(source, exc.message, kind=exc.kind)
    except (MemoryError, RecursionError):
        return unreadable(source, gettext("文件结构过于复杂或过大，无法读取。"))
    except Exception:  # a reader's library failing on a hostile file must cost that file only
        logger.warning("an audited %s could not be read", source.rsplit(".", 1)[-1][:8], exc_info=True)
        return unreadable(source, gettext("文件已损坏或结构异常，无法读取。"))
    return audit_layout(layout, source)


# ---- several reports ----------------------------------------------------------------------------------------


def same_organisation(a: str, b: str) -> bool:
    """One agency under two names as reports print them ("洪泽区人民政府", "淮安市洪泽区人民政府")."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return long.endswith(short) and len(short) >= 4


def chain_findings(results: list[AuditResult]) -> dict[int, list[Finding]]:
    """Cross-year findings between reports of one organisation in consecutive years, by the index of the
    later report in `results`."""
    documents: list[tuple[int, AuditResult, ReportDocument]] = []
    for index, result in enumerate(results):
        if result.document is None or result.year is None or not result.organisation:
            continue
        try:
            documents.append((index, result, parse_report(result.document)))
        except ReportValidationError:
            continue
    found: dict[int, list[Finding]] = {}
    for index, result, current in documents:
        for _other_index, other, previous in documents:
            if other.year != (result.year or 0) - 1 or not same_organisation(
                other.organisation or "", result.organisation or ""
            ):
                continue
            for finding in checks.check_chains(previous, current):
                found.setdefault(index, []).append(Finding(
                    kind=finding.kind, severity=finding.severity, rule=finding.rule, expected=finding.expected,
                    found=finding.found, place=finding.place, message=gettext("%(message)s（上年报告：%(source)s）") % {
                        "message": finding.message, "source": other.source},
                ))
    return found


def add_chains(results: list[AuditResult]) -> None:
    """The cross-year findings added to the later report of each pair."""
    for index, extra in chain_findings(results).items():
        results[index].findings = _ordered([*results[index].findings, *extra])


def audit_many(sources: Iterable[tuple[str, bytes]], auditor: Callable[[bytes, str], AuditResult] | None = None) -> list[AuditResult]:
    """Every source judged (by `auditor`, default `audit_bytes`), then the cross-year chains among them."""
    judge = auditor or audit_bytes
    results = [judge(data, source) for source, data in sources]
    add_chains(results)
    return results


def exit_status(results: list[AuditResult]) -> int:
    """0 all clean, 1 findings, 2 some source could not be read as a report."""
    if any(not r.readable for r in results):
        return 2
    return 1 if any(r.findings for r in results) else 0
