"""The walk-in queue listens to the desk (desk.signals), so the desk needs to know nothing about the queue."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import services


def ticket_served_on_registration(*, visit: Any, ticket: str = "", **_: Any) -> str | None:
    """desk.signals.visit_registered: the registered visitor came from the queue with this ticket.

    Marks the ticket served (a stale, foreign or malformed id changes nothing) and sends the staff member back to
    the queue for the next number; None when there was no ticket of this organisation, so the desk stays on its form.
    """
    if not ticket:
        return None
    if services.ticket_mark_registered(ticket, visit) is None:
        return None
    return reverse("walkin:staff")
