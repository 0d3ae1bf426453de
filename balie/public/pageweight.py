"""Bytes a browser fetches for a page: the HTML plus every stylesheet, script and image it references.

Shared by the tests and bench/public.py, so the 60 KB budget is measured one way.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

PAGE_BUDGET = 60 * 1024
ASSET = re.compile(r"""<(?:link[^>]*rel=["']?stylesheet["']?[^>]*href|script[^>]*src|img[^>]*src)=["']([^"']+)["']""", re.IGNORECASE)


def _asset_bytes(client: Client, url: str) -> int:
    if url.startswith("data:"):
        return 0  # already counted inside the HTML
    response: Any = client.get(url)
    if response.status_code == 200:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        return len(body)
    # Fallback when WhiteNoise does not serve from the finders: read the file itself.
    path = finders.find(url.removeprefix("/static/"))
    if not path:
        raise AssertionError(f"asset niet gevonden: {url}")
    with open(path, "rb") as fh:
        return len(fh.read())


def page_weight(client: Client, path: str) -> tuple[int, int]:
    """(status code, total bytes of HTML + assets). Each asset is counted once."""
    response = client.get(path)
    html = response.content.decode("utf-8", "replace")
    assets = dict.fromkeys(ASSET.findall(html))
    return response.status_code, len(response.content) + sum(_asset_bytes(client, url) for url in assets)
