"""QR codes as inline SVG (segno, pure Python): nothing is fetched from outside the library network."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int = 5) -> SafeString:
    # Error level M survives a smudged or glare-covered tablet screen; the border is the quiet zone scanners need.
    svg = segno.make(url, error="m").svg_inline(scale=scale, border=3, dark="#000", light="#fff", svgclass="qr")
    return mark_safe(svg)  # segno builds the markup itself; the URL only becomes black and white modules
