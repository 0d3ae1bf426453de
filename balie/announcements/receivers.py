"""Announcements listen to the desk (desk.signals.visit_registered): the desk needs to know nothing about them."""

from __future__ import annotations

import uuid
from typing import Any

from . import services
from .models import Announcement


def announcement_came(*, visit: Any, aanmelding: str = "", **_: Any) -> str | None:
    """The registration was started from an announcement: mark it gekomen (and geholpen when the outcome says so).

    A stale, foreign or malformed id changes nothing. Returns None: the desk goes wherever it would go anyway.
    """
    try:
        key = uuid.UUID(str(aanmelding)[:36])
    except ValueError:
        return None
    announcement = Announcement.objects.filter(uuid=key, organisation_id=visit.organisation_id).first()
    if announcement is not None:
        services.mark_came(announcement=announcement, visit=visit, by=visit.created_by)
    return None
