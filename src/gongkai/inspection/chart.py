"""The supervisor's trend chart (近一年趋势), server-rendered SVG: one line per organisation (the worst few below
the supervisor), the number of indicators with findings at each monthly point; a month without a recorded run
breaks the line."""

from __future__ import annotations

import datetime as dt
from html import escape

from django.utils.translation import gettext

from .selectors import TrendLine

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 300, 44, 170, 16, 40
COLOURS = ["#a8141b", "#0b4a8b", "#1b7a3a", "#7a4a00", "#5b2a86", "#00697a", "#555555", "#b3006b"]


def trend_svg(children: list[TrendLine]) -> str:
    if not children or not children[0].points:
        return ""
    dates = [d for d, _n in children[0].points]
    top = max([n for c in children for _d, n in c.points if n is not None] + [1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / max(len(dates) - 1, 1))

    def y(n: int) -> float:
        return TOP + plot_h - plot_h * n / top

    title = escape(gettext("近一年各机构存在问题的指标数"))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="trend-title" class="trend-chart"><title id="trend-title">{title}</title>']
    for n in range(top + 1):
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(n):.1f}" y2="{y(n):.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y(n) + 4:.1f}" text-anchor="end" font-size="11">{n}</text>')
    for i, d in enumerate(dates):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="10">'
                     f'{d:%y-%m}</text>')
    for k, child in enumerate(children):
        colour = COLOURS[k % len(COLOURS)]
        name = escape(child.organisation.short_name or child.organisation.name)
        for segment in _segments(child.points):
            points = " ".join(f"{x(i):.1f},{y(n):.1f}" for i, n in segment)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
                         f'<title>{name}</title></polyline>')
            if len(segment) == 1:  # a lone month still shows
                i, n = segment[0]
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(n):.1f}" r="3" fill="{colour}"><title>{name}</title></circle>')
        ly = TOP + 16 * k + 8
        parts.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{WIDTH - RIGHT + 28}" y="{ly + 1}" font-size="12">{name}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _segments(points: list[tuple[dt.date, int | None]]) -> list[list[tuple[int, int]]]:
    """Runs of consecutive months that have a value, as (position, value)."""
    segments: list[list[tuple[int, int]]] = [[]]
    for i, (_d, n) in enumerate(points):
        if n is None:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append((i, n))
    return [s for s in segments if s]
