"""The desk's hooks: today's announcements in 'Vandaag' and the queue, and the announcement a registration came from.

Template tags, so the desk and the queue import nothing from this app (they only load the tag library).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from balie.core.access import request_scope

from .. import selectors
from ..models import Announcement, Status

register = template.Library()


def register_url(announcement: Announcement) -> str:
    """The desk form, pre-filled: location, instantie, onderwerp and the announcement travelling along."""
    params = {"aanmelding": str(announcement.uuid), "locatie": announcement.location.code}
    params.update({k: v for k, v in (("instantie", announcement.instantie), ("onderwerp", announcement.onderwerp)) if v})
    return reverse("desk:register") + "?" + urlencode(params)


def _row(announcement: Announcement) -> dict[str, Any]:
    instantie, onderwerp = selectors.code_labels(announcement)
    return {
        "a": announcement, "instantie": instantie if announcement.instantie else "", "onderwerp": onderwerp if announcement.onderwerp else "",
        "register_url": register_url(announcement), "open": announcement.status in (Status.AANGEMELD, Status.NIET_GEKOMEN, Status.VERLOPEN),
        "outcome": selectors.outcome_text(announcement),
    }


@register.inclusion_tag("announcements/_today.html", takes_context=True)
def announcements_today(context: template.Context, location: Any = None) -> dict[str, Any]:
    """Today's announcements for the desk's library (or one location, in the queue)."""
    request = context.get("request")
    scope = request_scope(request) if request is not None else None
    rows = []
    if scope is not None and scope.is_desk_staff:
        found = selectors.today_for_desk(scope)
        if location is not None:
            found = [a for a in found if a.location_id == location.pk]
        rows = [_row(a) for a in found]
    return {"rows": rows, "request": request, "csrf_token": context.get("csrf_token"), "location": location}


@register.inclusion_tag("announcements/_register_field.html", takes_context=True)
def announcement_field(context: template.Context) -> dict[str, Any]:
    """On the desk form: which announcement this registration comes from (hidden) and what the sender said."""
    request = context.get("request")
    if request is None:
        return {}
    raw = (request.POST if request.method == "POST" else request.GET).get("aanmelding", "")[:36]
    try:
        key = uuid.UUID(raw)
    except ValueError:
        return {}
    announcement = selectors.announcements_for(request_scope(request)).filter(uuid=key).first()
    if announcement is None or not request_scope(request).is_desk_staff:
        return {}
    return {"row": _row(announcement)}
