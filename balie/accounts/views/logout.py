"""Logging out also wipes what Balie kept in this browser (issue 16)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse


class LogoutView(auth_views.LogoutView):
    """Django's logout, plus Clear-Site-Data: the offline desk's visits (IndexedDB), its service worker and its cached
    page leave the device with the session. Desk PCs and tablets are shared; the next person must find nothing.

    The offline page also clears them itself before it logs out (browsers that ignore the header); unsent visits are
    lost, and the page says so beside the button.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
