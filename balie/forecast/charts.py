"""Server-side SVG line chart: history, last year's forecast and the forecast with its interval band.

Hand-written SVG rather than a chart library: one chart type, no dependency, and the markup is ours to make
accessible (role="img" with a title and description; the page adds the same numbers as a table). It looks the
same on screen and in print, and needs no JavaScript.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 960, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


@dataclass
class Series:
    label: str
    points: list[tuple[dt.date, float]]
    css: str  # class name: colour and dash pattern live in the stylesheet (and print the same)


def nice_step(span: float, ticks: int = 5) -> float:
    raw = max(span, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def line_chart(*, chart_id: str, title: str, description: str, lines: list[Series],
               band: list[tuple[dt.date, float, float]] | None = None, band_label: str = "") -> SafeString:
    dates = [d for s in lines for d, _ in s.points] + [d for d, _, _ in band or []]
    values = [v for s in lines for _, v in s.points] + [hi for _, _, hi in band or []]
    if not dates:
        return mark_safe("")
    first, last = min(dates), max(dates)
    span_days = max(1, (last - first).days)
    step = nice_step(max(values) if values else 1)
    top = step * math.ceil((max(values) if values else 1) / step) or step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - first).days / span_days

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    tick = 0.0
    while tick <= top + 1e-9:
        parts.append(f'<line class="chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(f'<text class="chart__label" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
        tick += step
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first and month.month in (1, 4, 7, 10):
            label = f"{MONTHS[month.month - 1]} {month.year}" if month.month == 1 else MONTHS[month.month - 1]
            parts.append(f'<line class="chart__axis" x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 5}"/>')
            parts.append(f'<text class="chart__label" x="{x(month):.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">{label}</text>')
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    parts.append(f'<line class="chart__axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>')
    if band:
        upper = " ".join(f"{x(d):.1f},{y(hi):.1f}" for d, _, hi in band)
        lower = " ".join(f"{x(d):.1f},{y(lo):.1f}" for d, lo, _ in reversed(band))
        parts.append(f'<polygon class="chart__band" points="{upper} {lower}"><title>{escape(band_label)}</title></polygon>')
    for series in lines:
        if series.points:
            points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in series.points)
            parts.append(f'<polyline class="chart__line {series.css}" points="{points}"><title>{escape(series.label)}</title></polyline>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
