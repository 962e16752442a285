"""The auditor's results as text, JSON, HTML and xlsx (审查结果输出)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import get_language, gettext, gettext_lazy

from gongkai.core.spreadsheets import Column, Sheet, workbook_bytes

from .findings import SEVERITY_LABELS, AuditResult, Finding

OUTPUT_FORMATS = ("text", "json", "html", "xlsx")
_INPUT_KINDS = {"text": gettext_lazy("文本"), "html": gettext_lazy("网页"), "docx": "Word", "pdf": "PDF"}


def _input_kind(result: AuditResult) -> str:
    return str(_INPUT_KINDS.get(result.input_kind or "", ""))


def verdict(result: AuditResult) -> str:
    if not result.readable:
        return gettext("无法审查")
    if not result.findings:
        return gettext("未发现问题")
    counts = result.counts()
    parts = [gettext("%(count)s 项%(severity)s") % {"count": counts[k], "severity": SEVERITY_LABELS[k]}
             for k in ("error", "warning", "uncertain") if counts[k]]
    return gettext("，").join(parts)


def heading(result: AuditResult) -> str:
    facts = [
        result.organisation or gettext("（机关未识别）"),
        gettext("%(year)s 年度") % {"year": result.year} if result.year else gettext("（年度未识别）"),
        gettext("%(format)s 年格式") % {"format": result.format} if result.format else gettext("（格式未识别）"),
        _input_kind(result),
    ]
    return " · ".join(f for f in facts if f)


def render_text(results: Sequence[AuditResult]) -> str:
    lines = []
    for result in results:
        lines.append(f"== {result.source}")
        lines.append("   " + gettext("%(heading)s：%(verdict)s") % {"heading": heading(result), "verdict": verdict(result)})
        for f in result.findings:
            where = f.place.describe()
            kind = gettext("%(kind)s（%(where)s）") % {"kind": f.kind_label, "where": where} if where else f.kind_label
            lines.append(f"   [{f.severity_label}] {kind}")
            lines.append(f"       {f.message}")
            if f.expected is not None or f.found is not None:
                lines.append("       " + gettext("应为：%(expected)s；实为：%(found)s") % {
                    "expected": f.shown_expected, "found": f.shown_found})
    clean = sum(1 for r in results if r.clean)
    lines.append(gettext("共审查 %(count)s 份，%(clean)s 份未发现问题。") % {"count": len(results), "clean": clean})
    return "\n".join(lines) + "\n"


def render_json(results: Sequence[AuditResult]) -> str:
    return json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2) + "\n"


_CSS = (
    "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0 2em}"
    "th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eef2f7}"
    ".error{color:#a40000}.warning{color:#8a5a00}.uncertain{color:#555}"
)


def render_html(results: Sequence[AuditResult]) -> str:
    e = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="{e(get_language() or "zh-Hans")}"><head><meta charset="utf-8">'
        f"<title>{e(gettext('年度报告审查结果'))}</title>",
        f"<style>{_CSS}</style></head><body><h1>{e(gettext('政府信息公开工作年度报告审查结果'))}</h1>",
    ]
    headers = (gettext("程度"), gettext("类别"), gettext("位置"), gettext("说明"), gettext("应为"), gettext("实为"))
    for result in results:
        summary = gettext("%(heading)s：%(verdict)s") % {"heading": heading(result), "verdict": verdict(result)}
        parts.append(f"<h2>{e(result.source)}</h2><p>{e(summary)}</p>")
        if not result.findings:
            continue
        parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr>")
        for f in result.findings:
            parts.append(
                f'<tr class="{e(f.severity)}"><td>{e(f.severity_label)}</td><td>{e(f.kind_label)}</td>'
                f"<td>{e(f.place.describe())}</td><td>{e(f.message)}</td><td>{e(f.shown_expected)}</td>"
                f"<td>{e(f.shown_found)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def finding_row(result: AuditResult, f: Finding) -> list[Any]:
    return [
        result.source, result.organisation or "", result.year, result.format or "", f.severity_label, f.kind_label,
        f.place.section or "", f.place.row_label or f.place.row or "", f.place.column_label or f.place.column or "",
        f.shown_expected, f.shown_found, f.message,
    ]


def _columns() -> tuple[list[Column], list[Column]]:
    """The findings sheet's columns and the summary sheet's."""
    place, found = gettext("位置"), gettext("发现")
    return [
        Column(gettext("来源")), Column(gettext("报告机关")), Column(gettext("年度")), Column(gettext("格式")),
        Column(gettext("程度")), Column(gettext("类别")), Column((place, gettext("部分"))), Column((place, gettext("行"))),
        Column((place, gettext("列"))), Column(gettext("应为")), Column(gettext("实为")),
        Column(gettext("说明"), width=80, wrap=True),
    ], [
        Column(gettext("来源")), Column(gettext("报告机关")), Column(gettext("年度")), Column(gettext("格式")),
        Column(gettext("输入")), Column((found, gettext("错误"))), Column((found, gettext("警告"))),
        Column((found, gettext("存疑"))), Column(gettext("结论")),
    ]


def render_xlsx(results: Sequence[AuditResult]) -> bytes:
    """One workbook: a summary sheet (one row per report) and a findings sheet (one row per finding)."""
    summary: list[list[Any]] = []
    rows: list[list[Any]] = []
    for result in results:
        counts = result.counts()
        summary.append([
            result.source, result.organisation or "", result.year, result.format or "",
            _input_kind(result), counts["error"], counts["warning"], counts["uncertain"],
            verdict(result),
        ])
        rows.extend(finding_row(result, f) for f in result.findings)
    finding_columns, summary_columns = _columns()
    return workbook_bytes([Sheet(gettext("报告汇总"), summary_columns, summary),
                           Sheet(gettext("审查发现"), finding_columns, rows)])


def render(results: Sequence[AuditResult], output_format: str) -> bytes:
    if output_format == "xlsx":
        return render_xlsx(results)
    text = {"text": render_text, "json": render_json, "html": render_html}[output_format](results)
    return text.encode("utf-8")
