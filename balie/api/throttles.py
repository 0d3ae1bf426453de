"""Rate limit of the public (open-data) API: the same counters as the public pages (core/ratelimit.py), answered
as a 429 problem+json with Retry-After through the API's exception handler (api/problems.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from balie.core.ratelimit import hit


def refused(detail: str, wait: int) -> Throttled:
    """A 429 with our own text and Retry-After. ``wait`` is set afterwards: Throttled(wait=...) appends DRF's "Expected
    available in … seconds.", which is English in every language."""
    exc = Throttled(detail=detail)
    exc.wait = wait
    return exc


class PublicApiThrottle(BaseThrottle):
    """Per client address: settings.BALIE_RATELIMITS["public_api"]."""

    def allow_request(self, request: Request, view: Any) -> bool:
        wait = hit(request._request, "public_api")
        if wait is not None:
            raise refused(_("Te veel verzoeken vanaf dit adres. Probeer het over %(seconds)s seconden opnieuw; "
                            "het antwoord mag vijf minuten bewaard worden.") % {"seconds": wait}, wait)
        return True
