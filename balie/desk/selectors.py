"""Reads for the desk, always scoped to the user's organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balie.core.access import scope_of
from balie.network.models import Location

from .models import Question

FAVOURITE_COUNT = 8
FAVOURITE_DAYS = 30


def questions_for_user(user: Any) -> QuerySet[Question]:
    return Question.objects.for_scope(scope_of(user))


FAVOURITES_CACHE_SECONDS = 600


def favourites(location: Location, *, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The instantie × onderwerp pairs most used at this location in the last 30 days.

    Cached for ten minutes: a month's ranking barely moves in that time, and the desk page is
    opened after every registration, so recounting each time would dominate its render time.
    """
    today = today or timezone.localdate()
    key = f"desk:favourites:{location.pk}:{today.isoformat()}"
    pairs = cache.get(key)
    if pairs is None:
        pairs = _favourites_uncached(location, today)
        cache.set(key, pairs, FAVOURITES_CACHE_SECONDS)
    return pairs


def _favourites_uncached(location: Location, today: dt.date) -> list[tuple[str, str]]:
    rows = (
        Question.objects.filter(location=location, date__gt=today - dt.timedelta(days=FAVOURITE_DAYS), date__lte=today)
        .values("instantie", "onderwerp")
        .annotate(n=Count("id"))
        .order_by("-n", "instantie", "onderwerp")[:FAVOURITE_COUNT]
    )
    pairs = [(r["instantie"], r["onderwerp"]) for r in rows]
    # A new location has no history yet: fall back to the national top questions.
    for pair in DEFAULT_FAVOURITES:
        if len(pairs) >= FAVOURITE_COUNT:
            break
        if pair not in pairs:
            pairs.append(pair)
    return pairs


DEFAULT_FAVOURITES = [
    ("DIGID", "INLOGGEN"),
    ("BELASTINGDIENST", "AANGIFTE"),
    ("TOESLAGEN", "WIJZIGEN"),
    ("MIJNOVERHEID", "BERICHT"),
    ("GEMEENTE", "AANVRAGEN"),
    ("GEEN", "APPARAAT"),
    ("UWV", "AANVRAGEN"),
    ("ZORGVERZEKERAAR", "INLOGGEN"),
]


def today_for_user(user: Any, *, location: Location | None = None) -> QuerySet[Question]:
    """Today's registrations: a coordinator sees the organisation's, a staff member their own."""
    today = timezone.localdate()
    qs = questions_for_user(user).filter(date=today).select_related("location", "created_by")
    if not scope_of(user).is_coordinator:
        qs = qs.filter(created_by=user)
    if location is not None:
        qs = qs.filter(location=location)
    return qs.order_by("-started_at", "-id")


def registered_today_for_other_days(user: Any) -> QuerySet[Question]:
    """Registered today (local time) for another day: back-dated ones, which "Vandaag" by visit date would hide (B10)."""
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    qs = questions_for_user(user).filter(created_at__gte=start).exclude(date=timezone.localdate()).select_related("location", "created_by")
    if not scope_of(user).is_coordinator:
        qs = qs.filter(created_by=user)
    return qs.order_by("-started_at", "-id")


def previous_question(user: Any) -> Question | None:
    # Ordered on created_at alone so PostgreSQL walks the (created_by, created_at) index backwards
    # instead of sorting all of a staff member's registrations (hundreds of thousands after a few years).
    return questions_for_user(user).filter(created_by=user).order_by("-created_at").first()


def open_tallies(user: Any) -> QuerySet[Question]:
    return today_for_user(user).filter(tally=True)


def with_labels(questions: list[Question]) -> list[Question]:
    """Set the labels people read on each question (issue 14: never a raw code on a page).

    ``instantie_label`` and ``onderwerp_label`` prefer the library's own local label ("Rotterdampas") over the
    national one; one query for the local codes of all organisations in the list.
    """
    from balie.core import codelists
    from balie.core.models import CodeList
    from balie.network.models import LocalCode

    wanted = {q.instantie_local for q in questions if q.instantie_local} | {q.onderwerp_local for q in questions if q.onderwerp_local}
    local: dict[tuple[int, str, str], str] = {}
    if wanted:
        orgs = {q.organisation_id for q in questions}
        for org_id, code_list, code, label in LocalCode.objects.filter(organisation_id__in=orgs, code__in=wanted).values_list(
            "organisation_id", "list", "code", "label"
        ):
            local[(org_id, code_list, code)] = label
    for q in questions:
        q.instantie_label = local.get((q.organisation_id, CodeList.INSTANTIE, q.instantie_local)) or codelists.label_of(CodeList.INSTANTIE, q.instantie)
        q.onderwerp_label = local.get((q.organisation_id, CodeList.ONDERWERP, q.onderwerp_local)) or codelists.label_of(CodeList.ONDERWERP, q.onderwerp)
        q.uitkomst_label = codelists.label_of(CodeList.UITKOMST, q.uitkomst)
        q.kanaal_label = codelists.label_of(CodeList.KANAAL, q.kanaal)
    return questions


# How a correction reads in the history (labels, never codes; the note only as "changed").
_FIELD_NAMES = {
    "vraagsoort": (gettext_noop("Vraagsoort"), "vraagsoort"), "instantie": (gettext_noop("Instantie"), "instantie"), "onderwerp": (gettext_noop("Onderwerp"), "onderwerp"),
    "digid_detail": (gettext_noop("DigiD-detail"), "digid_detail"), "complexiteit": (gettext_noop("Complexiteit"), "complexiteit"),
    "uitkomst": (gettext_noop("Uitkomst"), "uitkomst"), "leeftijdsgroep": (gettext_noop("Leeftijd"), "leeftijdsgroep"), "taal": (gettext_noop("Taal"), "taal"),
    "kanaal": (gettext_noop("Kanaal"), "kanaal"), "behoefteprofielen": (gettext_noop("Behoefteprofiel"), "behoefteprofiel"),
    "achterliggend": (gettext_noop("Achterliggend"), "achterliggend"),
}


def correction_history(question: Question) -> list[Any]:
    """The corrections of a question, oldest first, each with readable lines ("Uitkomst: Deels, komt terug → Opgelost")."""
    from balie.core import codelists

    def shown(list_name: str, value: Any) -> str:
        parts = codelists.split_multi(value) if isinstance(value, str) and value.startswith("|") else ([value] if value else [])
        return ", ".join(codelists.label_of(list_name, str(p)) for p in parts) or _("leeg")

    rows = list(question.corrections.select_related("by"))
    for row in rows:
        lines = []
        for name, (old, new) in sorted(row.changes.items()):
            if name == "note":
                lines.append(_("notitie gewijzigd"))
            elif name in _FIELD_NAMES:
                title, list_name = _FIELD_NAMES[name]
                lines.append(f"{_(title)}: {shown(list_name, old)} → {shown(list_name, new)}")
            elif name == "started_at":
                lines.append(f"{_('Datum en tijd')}: {old} → {new}")
            elif name == "duration_minutes":
                lines.append(f"{_('Duur')}: {old or '–'} → {new or '–'} min")
            elif name == "tally":
                lines.append(_("turf aangevuld"))
            # local codes show through their national field's line
        row.lines = lines or [_("geen inhoudelijke wijziging")]
    return rows
