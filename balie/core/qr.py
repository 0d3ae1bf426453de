"""QR codes as inline SVG (segno, pure Python): nothing is fetched from outside the library network, no image
request, and the code stays sharp when printed."""

from __future__ import annotations

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(
    url: str, *, scale: int = 5, border: int = 3, light: str | None = "#fff", svgclass: str = "qr", omitsize: bool = False,
    label: str = "",
) -> SafeString:
    """`label` (already translated) makes the code an image with that accessible name; without it, text around the
    code must say what it is. `omitsize` lets CSS size it (a poster); `light=None` leaves the background transparent."""
    # Error level M survives a smudged or glare-covered tablet screen; the border is the quiet zone scanners need.
    svg = segno.make(url, error="m").svg_inline(scale=scale, border=border, dark="#000", light=light, svgclass=svgclass, omitsize=omitsize)
    if label:
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)
    return mark_safe(svg)  # segno builds the markup itself; the URL only becomes black and white modules
