"""Server-side SVG charts: the same markup on screen, in print and in the PDF; each has a title, a description
and a data table next to it (the tables are the text alternative). Hidden (suppressed) values are not drawn."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BLUE, GREY, INK = "#154273", "#8fa8c8", "#1a1a1a"


def _fmt(n: float) -> str:
    return f"{int(round(n)):,}".replace(",", ".")


def bars(chart_id: str, title: str, description: str, items: list[tuple[str, int | None]], *, width: int = 640) -> SafeString:
    """Horizontal bars, one per label; None draws no bar and writes "<5" instead."""
    if not items:
        return mark_safe("")
    row, label_w, pad = 24, 300, 8
    height = row * len(items) + 2 * pad
    top = max([v for _, v in items if v is not None] + [1])
    scale = (width - label_w - 70) / top
    parts = []
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        short = label if len(label) <= 36 else label[:35] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="13" fill="{INK}">{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 16}" font-size="13" fill="{INK}">&lt;5</text>')
            continue
        w = max(1.0, value * scale) if value else 0
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{BLUE}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 16}" font-size="13" fill="{INK}">{_fmt(value)}</text>')
    return _svg(chart_id, title, description, width, height, "".join(parts))


def months(chart_id: str, title: str, description: str, labels: list[str], current: list[int | None], previous: list[int | None],
           *, width: int = 640, height: int = 240) -> SafeString:
    """Grouped columns per month: this period (dark) against the same month a year earlier (light)."""
    if not labels:
        return mark_safe("")
    pad_l, pad_b, pad_t = 56, 36, 12
    top = max([v for v in current + previous if v is not None] + [1]) * 1.1
    slot = (width - pad_l - 8) / len(labels)
    bar = max(2.0, slot * 0.36)
    plot_h = height - pad_b - pad_t
    parts = [f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - 4}" y2="{height - pad_b}" stroke="{INK}"/>',
             f'<text x="{pad_l - 6}" y="{pad_t + 10}" text-anchor="end" font-size="12" fill="{INK}">{_fmt(top)}</text>',
             f'<text x="{pad_l - 6}" y="{height - pad_b}" text-anchor="end" font-size="12" fill="{INK}">0</text>']
    for i, label in enumerate(labels):
        x = pad_l + i * slot + slot * 0.1
        for j, (values, colour) in enumerate(((previous, GREY), (current, BLUE))):
            v = values[i]
            if v is None:
                continue
            h = v / top * plot_h
            parts.append(f'<rect x="{x + j * bar:.1f}" y="{height - pad_b - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>')
        if len(labels) <= 12 or i % 2 == 0:
            parts.append(f'<text x="{x + bar:.1f}" y="{height - pad_b + 16}" text-anchor="middle" font-size="12" fill="{INK}">{escape(label)}</text>')
    legend_y = height - 6
    this_period, year_before = escape(_("deze periode")), escape(_("een jaar eerder"))  # outside the f-string: extractable
    parts.append(f'<rect x="{pad_l}" y="{legend_y - 10}" width="12" height="12" fill="{BLUE}"/>'
                 f'<text x="{pad_l + 16}" y="{legend_y}" font-size="12" fill="{INK}">{this_period}</text>'
                 f'<rect x="{pad_l + 120}" y="{legend_y - 10}" width="12" height="12" fill="{GREY}"/>'
                 f'<text x="{pad_l + 136}" y="{legend_y}" font-size="12" fill="{INK}">{year_before}</text>')
    return _svg(chart_id, title, description, width, height, "".join(parts))


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" role="img" class="insight-chart" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d"><title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>{body}</svg>'
    )
