"""Who may use which endpoint. Object-level scoping (other organisation → 404) lives in the views."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from balie.core.access import request_scope


class IsDeskStaff(BasePermission):
    """Registrations and locations are for library staff; other roles read aggregates elsewhere."""

    message = "Alleen medewerkers en coördinatoren van een bibliotheekorganisatie hebben toegang tot dit deel van de API."

    def has_permission(self, request: Any, view: Any) -> bool:
        # Unauthenticated requests fail IsAuthenticated first, which answers 401 instead of 403.
        return request_scope(request).is_desk_staff
