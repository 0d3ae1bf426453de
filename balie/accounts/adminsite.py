"""The admin site (/beheer/): Django's, but only for an admin who also gave the second factor.

The two-factor middleware already sends an admin without a verified code to the code page; this is the same rule
asked by the admin itself (like django-otp's OTPAdminSite, but following BALIE_REQUIRE_2FA), so the admin never
opens on a password alone, whatever the order of the middleware.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite


class BalieAdminSite(AdminSite):
    site_header = "Balie beheer"
    site_title = "Balie beheer"
    index_title = "Gebruikers, rollen en instellingen"

    def has_permission(self, request: Any) -> bool:
        from .twofactor import owes_second_factor  # the rule lives there; imported late (models load after the admin)

        return super().has_permission(request) and not owes_second_factor(request)
