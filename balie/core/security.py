"""Security headers Django and django-csp do not set themselves (review L6).

Django's SecurityMiddleware sets HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy, the clickjacking
middleware X-Frame-Options, django-csp the Content-Security-Policy (all configured in settings.py). This adds
Permissions-Policy: the browser features no Balie page uses are switched off, for Balie and anything it would embed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy: str = getattr(settings, "BALIE_PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response


_STYLE_BLOCK = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def allow_own_style_blocks(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For a view that returns a whole, self-contained HTML document rendered without a request (a report that is also
    made into a PDF): allow exactly the <style> blocks in that document, by their hash, and nothing else."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponse) and response.get("Content-Type", "").startswith("text/html"):
            blocks = _STYLE_BLOCK.findall(response.content.decode(response.charset or "utf-8", "replace"))
            hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in blocks})
            if hashes:
                response._csp_update = {"style-src": hashes}  # read by django-csp's middleware
        return response

    return wrapper
