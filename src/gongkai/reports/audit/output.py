"""The auditor's results as text, JSON, HTML and xlsx (审查结果输出)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from gongkai.core.spreadsheets import Column, Sheet, workbook_bytes

from .findings import AuditResult, Finding

OUTPUT_FORMATS = ("text", "json", "html", "xlsx")
_INPUT_KINDS = {"text": "文本", "html": "网页", "docx": "Word", "pdf": "PDF"}


def verdict(result: AuditResult) -> str:
    if not result.readable:
        return "无法审查"
    if not result.findings:
        return "未发现问题"
    counts = result.counts()
    parts = [f"{counts[k]} 项{label}" for k, label in (("error", "错误"), ("warning", "警告"), ("uncertain", "存疑"))
             if counts[k]]
    return "，".join(parts)


def heading(result: AuditResult) -> str:
    facts = [
        result.organisation or "（机关未识别）",
        f"{result.year} 年度" if result.year else "（年度未识别）",
        f"{result.format} 年格式" if result.format else "（格式未识别）",
        _INPUT_KINDS.get(result.input_kind or "", ""),
    ]
    return " · ".join(f for f in facts if f)


def render_text(results: Sequence[AuditResult]) -> str:
    lines = []
    for result in results:
        lines.append(f"== {result.source}")
        lines.append(f"   {heading(result)}：{verdict(result)}")
        for f in result.findings:
            where = f.place.describe()
            lines.append(f"   [{f.severity_label}] {f.kind_label}{'（' + where + '）' if where else ''}")
            lines.append(f"       {f.message}")
            if f.expected is not None or f.found is not None:
                lines.append(f"       应为：{f.shown_expected}；实为：{f.shown_found}")
    clean = sum(1 for r in results if r.clean)
    lines.append(f"共审查 {len(results)} 份，{clean} 份未发现问题。")
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
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>年度报告审查结果</title>',
        f"<style>{_CSS}</style></head><body><h1>政府信息公开工作年度报告审查结果</h1>",
    ]
    for result in results:
        parts.append(f"<h2>{e(result.source)}</h2><p>{e(heading(result))}：{e(verdict(result))}</p>")
        if not result.findings:
            continue
        parts.append("<table><tr><th>程度</th><th>类别</th><th>位置</th><th>说明</th><th>应为</th><th>实为</th></tr>")
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


FINDING_COLUMNS = [
    Column("来源"), Column("报告机关"), Column("年度"), Column("格式"), Column("程度"), Column("类别"),
    Column(("位置", "部分")), Column(("位置", "行")), Column(("位置", "列")), Column("应为"), Column("实为"),
    Column("说明", width=80, wrap=True),
]
SUMMARY_COLUMNS = [
    Column("来源"), Column("报告机关"), Column("年度"), Column("格式"), Column("输入"),
    Column(("发现", "错误")), Column(("发现", "警告")), Column(("发现", "存疑")), Column("结论"),
]


def render_xlsx(results: Sequence[AuditResult]) -> bytes:
    """One workbook: a summary sheet (one row per report) and a findings sheet (one row per finding)."""
    summary: list[list[Any]] = []
    rows: list[list[Any]] = []
    for result in results:
        counts = result.counts()
        summary.append([
            result.source, result.organisation or "", result.year, result.format or "",
            _INPUT_KINDS.get(result.input_kind or "", ""), counts["error"], counts["warning"], counts["uncertain"],
            verdict(result),
        ])
        rows.extend(finding_row(result, f) for f in result.findings)
    return workbook_bytes([Sheet("报告汇总", SUMMARY_COLUMNS, summary), Sheet("审查发现", FINDING_COLUMNS, rows)])


def render(results: Sequence[AuditResult], output_format: str) -> bytes:
    if output_format == "xlsx":
        return render_xlsx(results)
    text = {"text": render_text, "json": render_json, "html": render_html}[output_format](results)
    return text.encode("utf-8")
