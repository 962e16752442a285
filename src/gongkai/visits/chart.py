"""The daily trend of a site (访问趋势) as server-rendered SVG: a bar per day for page views, a line for visitors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .selectors import Day

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 260, 56, 16, 16, 44


def _ceiling(n: int) -> int:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least n."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= n:
                return step * factor
        step *= 10


def trend_svg(days: list[Day]) -> str:
    if not days:
        return ""
    top = _ceiling(max([d.views for d in days] + [1]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)

    def y(n: int) -> float:
        return TOP + plot_h - plot_h * n / top

    title = _("每日浏览量（柱）与独立访客（线）")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="visits-trend-title" class="visits-chart"><title id="visits-trend-title">{title}</title>']
    for k in range(5):
        n = top * k // 4
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(n):.1f}" y2="{y(n):.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y(n) + 4:.1f}" text-anchor="end" font-size="11">{n}</text>')
    label_every = max(1, len(days) // 10)
    for i, d in enumerate(days):
        x = LEFT + slot * i
        height = plot_h * d.views / top
        parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{TOP + plot_h - height:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{height:.1f}" fill="#0b4a8b"><title>{d.day:%Y-%m-%d}：{d.views} / {d.visitors}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'font-size="10">{d.day:%m-%d}</text>')
    points = " ".join(f"{LEFT + slot * (i + 0.5):.1f},{y(d.visitors):.1f}" for i, d in enumerate(days))
    parts.append(f'<polyline fill="none" stroke="#a8141b" stroke-width="2" points="{points}"/>')
    parts.append("</svg>")
    return "".join(parts)
