"""Reads the first pages of a PDF in a separate, limited process: `python -I pdftext.py PAGES < letter.pdf`.

A PDF is a program more than a document: a 600-byte file can declare a page of two metres square, and a 40 KB file
can hold content streams that take pypdf minutes to parse. So the web process never parses an uploaded PDF itself.
This script runs with a CPU-time and address-space limit (set first thing, below) and a wall-clock timeout (set by the
caller), and answers on stdout with one JSON object:

    {"page_count": 12, "pages": [{"width": 595.0, "height": 842.0, "text": "...", "content_bytes": 5230}, ...]}
    {"error": "encrypted" | "broken" | "too_large" | "too_complex"}

width and height are the size of the visible page in points (crop box, times /UserUnit, turned by /Rotate), which is
what pdftoppm renders. It imports nothing from Balie (only pypdf), so it starts in about 0.15 s.
"""

from __future__ import annotations

import io
import json
import resource
import sys
from typing import Any

CPU_SECONDS = 5
ADDRESS_SPACE = 768 * 1024 * 1024
# The decoded content streams of the pages read, together. A letter page has 5-50 KB; pypdf needs about 2 s of CPU per
# MB of text operators, so this keeps a hostile file (megabytes of operators in a few KB of Flate) to about a second.
MAX_CONTENT_BYTES = 512 * 1024
MAX_STREAM_BYTES = 20_000_000  # one decoded stream (pypdf's own default is 75 MB)


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _size(page: Any) -> tuple[float, float]:
    box = page.cropbox
    unit = float(page.user_unit or 1)
    width, height = abs(float(box.width)) * unit, abs(float(box.height)) * unit
    if (page.rotation or 0) % 180 == 90:
        width, height = height, width
    return width, height


def read(data: bytes, max_pages: int) -> dict[str, object]:
    import pypdf
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        pypdf.overwrite_configuration(zlib_maximum_output_length=MAX_STREAM_BYTES,
                                      array_based_stream_maximum_output_length=MAX_STREAM_BYTES)
    except (AttributeError, TypeError):  # an older pypdf: its own (larger) limits apply, the process limits still hold
        pass
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return {"error": "encrypted"}
        pages, content_bytes = [], 0
        page_count = len(reader.pages)
        for page in reader.pages[:max_pages]:
            contents = page.get_contents()
            size = len(contents.get_data()) if contents is not None else 0
            content_bytes += size
            if content_bytes > MAX_CONTENT_BYTES:
                return {"error": "too_complex"}
            width, height = _size(page)
            pages.append({"width": width, "height": height, "content_bytes": size, "text": page.extract_text() or ""})
    except (LimitReachedError, MemoryError, RecursionError):
        return {"error": "too_large"}
    except (PdfReadError, Exception):  # noqa: BLE001 - any failure of the parser on a malformed file: not a PDF we can read
        return {"error": "broken"}
    return {"page_count": page_count, "pages": pages}


def main() -> None:
    _limit()
    max_pages = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    result = read(sys.stdin.buffer.read(), max_pages)
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
