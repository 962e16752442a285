"""Markdown: prose as paragraphs, each table block flattened to a pipe table (Markdown cannot merge cells).

Merged headers become paths ("法人或其他组织／商业企业"), group rows prefix their children's labels.
"""

from __future__ import annotations

from django.utils.translation import gettext

from gongkai.reports.document import ReportDocument
from gongkai.reports.render.html import section_parts
from gongkai.reports.render.layout import format_value, leaf_column_paths, leaf_row_paths


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: ReportDocument) -> str:
    lines = [f"# {report.title}", ""]
    if report.preamble:
        lines += [report.preamble, ""]
    for part in section_parts(report, with_charts=False):
        if part.section.show_heading:
            lines += [f"## {part.section.numbered_heading}", ""]
        for paragraph in part.paragraphs:
            lines += [paragraph, ""]
        if part.missing:
            lines += [gettext("（本部分未填报）"), ""]
        if part.grid is None:
            continue
        assert part.section.table is not None
        table = report.format.table(part.section.table)
        values = report.tables[table.key]
        for block in table.blocks:
            if block.heading:
                lines += [f"**{block.heading}**", ""]
            columns = leaf_column_paths(block)
            header = [
                *([block.corner or gettext("项目")] if block.show_row_labels else []),
                *("／".join(path) for _, path in columns),
            ]
            lines.append("| " + " | ".join(_cell(h) for h in header) + " |")
            lines.append("|" + "|".join([" --- "] * len(header)) + "|")
            for row, path in leaf_row_paths(block):
                cells = [format_value(values.get(row.key, {}).get(col.key or "")) for col, _ in columns]
                label = ["／".join(path)] if block.show_row_labels else []
                lines.append("| " + " | ".join(_cell(c) for c in [*label, *cells]) + " |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
