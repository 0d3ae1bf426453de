"""Reads of announcements: today's list at the desk, the sender's list, and the counts per sender ("who sends people")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from balie.core import codelists, privacy
from balie.core.access import Scope
from balie.core.models import CodeList
from balie.network.models import Location

from .models import Announcement, Status


def announcements_for(scope: Scope) -> QuerySet[Announcement]:
    return Announcement.objects.for_scope(scope).select_related("location", "partner", "gemeente", "organisation")


def today_for_desk(scope: Scope, *, day: dt.date | None = None) -> list[Announcement]:
    """The announcements for today at the scope's library (every location), earliest consultation hour first."""
    if not scope.is_desk_staff:
        return []
    day = day or timezone.localdate()
    return list(announcements_for(scope).filter(expected_on=day).order_by("location__naam", "preferred_start", "created_at"))


def code_labels(announcement: Announcement) -> tuple[str, str]:
    """The instantie and onderwerp in words (current code list; an announcement has no version of its own)."""
    version = codelists.current_version()
    return (codelists.codes(version, CodeList.INSTANTIE).get(announcement.instantie, announcement.instantie),
            codelists.codes(version, CodeList.ONDERWERP).get(announcement.onderwerp, announcement.onderwerp))


def outcome_text(announcement: Announcement) -> str:
    """What the sender may know, in words: came or not, helped or not. Never the registration itself."""
    if announcement.status == Status.GEHOLPEN:
        return gettext("Gekomen, geholpen")
    if announcement.status == Status.GEKOMEN:
        return gettext("Gekomen, niet geholpen")
    return str(Status(announcement.status).label)


@dataclass
class SenderRow:
    sender: str
    kind: str  # "partner" or "gemeente"
    announced: int | None
    came: int | None
    helped: int | None
    no_show: int | None


def _count(pks: list[int]) -> privacy.Count:
    return privacy.records("announcement", pks)


def by_sender(scope: Scope, *, start: dt.date, end: dt.date) -> list[SenderRow]:
    """Counts of announced visitors per sender for the scope's locations, published by the shared rule.

    Library staff see their own organisation exactly; a municipality (its gemeenten) and the national role see
    every count through core.privacy.published (small cells "<5", cell-key noise): Scope.suppressed decides.
    """
    locations = Location.objects.for_scope(scope)
    rows = (Announcement.objects.filter(location__in=locations, expected_on__gte=start, expected_on__lte=end)
            .values_list("pk", "status", "partner__name", "gemeente__naam"))
    groups: dict[tuple[str, str], dict[str, list[int]]] = {}
    for pk, status, partner_name, gemeente_name in rows:
        key = (partner_name, "partner") if partner_name else (gettext("Gemeente %(name)s") % {"name": gemeente_name}, "gemeente")
        cell = groups.setdefault(key, {"announced": [], "came": [], "helped": [], "no_show": []})
        cell["announced"].append(pk)
        if status in (Status.GEKOMEN, Status.GEHOLPEN):
            cell["came"].append(pk)
        if status == Status.GEHOLPEN:
            cell["helped"].append(pk)
        if status in (Status.NIET_GEKOMEN, Status.VERLOPEN):
            cell["no_show"].append(pk)

    def shown(pks: list[int]) -> int | None:
        return privacy.published(_count(pks), suppressed=scope.suppressed)

    result = [SenderRow(sender, kind, shown(c["announced"]), shown(c["came"]), shown(c["helped"]), shown(c["no_show"]))
              for (sender, kind), c in groups.items()]
    result.sort(key=lambda r: (-(r.announced or 0), r.sender))
    return result


def total(scope: Scope, *, start: dt.date, end: dt.date) -> Any:
    pks = list(Announcement.objects.filter(location__in=Location.objects.for_scope(scope), expected_on__gte=start,
                                           expected_on__lte=end).values_list("pk", flat=True))
    return privacy.published(_count(pks), suppressed=scope.suppressed)
