"""A small horizontal bar chart as pure SVG (no script), e.g. applications by applicant and by result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from gongkai.reports.document import ReportDocument, Value
from gongkai.reports.spec import ChartSpec


@dataclass(frozen=True)
class ChartData:
    key: str
    title: str
    bars: list[tuple[str, Value]]

    @property
    def total(self) -> Decimal:
        return sum((Decimal(v) for _, v in self.bars), Decimal(0))


def chart_data(report: ReportDocument, spec: ChartSpec) -> ChartData | None:
    """The bars of one chart of the format, or None when the report lacks a figure it needs."""
    table = report.format.table(spec.table)
    values = report.tables.get(spec.table)
    if values is None:
        return None
    bars: list[tuple[str, Value]] = []
    for bar in spec.bars:
        total: Value = 0
        for key in bar.keys:
            if spec.kind == "row":
                cells = [report.value(spec.table, spec.line, key)]
            else:
                cells = [report.value(spec.table, leaf.key, spec.line) for leaf in table.row(key).leaves()]
            if any(v is None for v in cells):
                return None
            for v in cells:
                assert v is not None
                total += v
        bars.append((bar.label, total))
    return ChartData(key=spec.key, title=spec.title, bars=bars)


def report_charts(report: ReportDocument) -> list[ChartData]:
    """The charts worth drawing: those whose figures are all present and not all zero."""
    charts = [chart_data(report, spec) for spec in report.format.charts]
    return [c for c in charts if c is not None and c.total]


def bar_chart_svg(chart: ChartData, width: int = 560) -> str:
    """An accessible SVG bar chart: a title, one labelled bar per item, its figure at the bar's end."""
    label_w, value_w, bar_h, gap, top = 110, 70, 18, 8, 30
    height = top + len(chart.bars) * (bar_h + gap) + 4
    largest = max((float(v) for _, v in chart.bars), default=0.0) or 1.0
    span = width - label_w - value_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart.title)}" class="report-chart">',
        f"<title>{escape(chart.title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold" '
        f'font-family="Noto Sans CJK SC, sans-serif">{escape(chart.title)}</text>',
    ]
    for i, (label, value) in enumerate(chart.bars):
        y = top + i * (bar_h + gap)
        w = max(span * float(value) / largest, 0.0)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" font-size="12" text-anchor="end" '
            f'font-family="Noto Sans CJK SC, sans-serif">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#9b2c2c"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" font-size="12" '
            f'font-family="Noto Sans CJK SC, sans-serif">{escape(str(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
