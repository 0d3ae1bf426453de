"""Announcement pages: announce (partner, gemeente), the list, one announcement with its loop, 'who sends people to us'."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core import codelists
from balie.core.access import Cap, get_or_404, request_scope, requires
from balie.core.idempotency import IdempotencyConflict
from balie.core.models import CodeList
from balie.core.ratelimit import hit, too_many_requests

from . import selectors, services
from .models import Status
from .templatetags.announcements import register_url

MAX_PERIOD_DAYS = 366 * 3


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    """New announcements per account (the web form and the API count together)."""
    wait = hit(request, "announce", scope=f"user:{request.user.pk}", per_address=False)
    if wait is None:
        return None
    response = too_many_requests(request, wait)
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response


@requires(Cap.REGISTER, Cap.ANNOUNCE)
def announcement_list(request: HttpRequest) -> HttpResponse:
    """Staff: announcements for their library from a week ago on. A sender: what it announced, with the outcome."""
    scope = request_scope(request)
    since = timezone.localdate() - dt.timedelta(days=7)
    found = selectors.announcements_for(scope).filter(expected_on__gte=since).order_by("-expected_on", "preferred_start", "-created_at")[:200]
    rows = []
    for a in found:
        instantie, onderwerp = selectors.code_labels(a)
        rows.append({"a": a, "instantie": instantie if a.instantie else "", "onderwerp": onderwerp if a.onderwerp else "",
                     "outcome": selectors.outcome_text(a)})
    return render(request, "announcements/list.html", {"rows": rows, "is_sender": scope.can(Cap.ANNOUNCE), "since": since})


def _parse_date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()[:10]) if raw.strip() else None
    except ValueError:
        return None


def _parse_slot(raw: str) -> tuple[dt.date, dt.time] | None:
    try:
        moment = dt.datetime.strptime(raw.strip()[:16], "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return moment.date(), moment.time()


@requires(Cap.ANNOUNCE)
def announcement_new(request: HttpRequest) -> HttpResponse:
    """Announce a visitor: first the IDO location, then the day or consultation hour, what it is about, and consent."""
    locations = list(services.announce_locations(request.user)[:1000])
    by_code = {loc.code: loc for loc in locations}
    data = request.POST if request.method == "POST" else request.GET
    location = by_code.get(data.get("locatie", "")[:40]) or (locations[0] if len(locations) == 1 else None)
    errors: list[services.AnnouncementError] = []
    fresh_key = False
    today = timezone.localdate()
    slots = services.consultation_slots(location, start=today, days=14) if location else []
    if request.method == "POST" and location is not None:
        limited = _rate_limited(request)
        if limited is not None:
            return limited
        consent = request.POST.get("toestemming") == "ja"
        expected_on = _parse_date(request.POST.get("datum", ""))
        slot: tuple[dt.time, dt.time] | None = None
        raw_slot = request.POST.get("spreekuur", "")
        if raw_slot:
            parsed = _parse_slot(raw_slot)
            chosen = next((s for s in slots if parsed and (s.date, s.start) == parsed), None)
            if chosen is None:
                errors.append(services.AnnouncementError("spreekuur", _("Kies een spreekuur uit de lijst.")))
            else:
                expected_on, slot = chosen.date, (chosen.start, chosen.end)
        elif request.POST.get("datum", "").strip() and expected_on is None:
            errors.append(services.AnnouncementError("datum", _("Vul een geldige datum in, bijvoorbeeld 14-12-2026.")))
        key = request.POST.get("submission_key") or None
        if not errors:
            try:
                announcement, _created = services.announcement_create(
                    user=request.user, location=location, expected_on=expected_on, slot=slot,
                    instantie=request.POST.get("instantie", "")[:40], onderwerp=request.POST.get("onderwerp", "")[:40],
                    description=request.POST.get("toelichting", "")[:5000], consent=consent,
                    contact={k: request.POST.get(k, "")[:500] for k in ("naam", "telefoon")} if consent or any(
                        request.POST.get(k, "").strip() for k in ("naam", "telefoon")) else None,
                    submission_key=f"form:{key}" if key else None,
                )
            except services.AnnouncementInvalid as exc:
                errors = exc.errors
            except IdempotencyConflict as exc:
                errors, fresh_key = [services.AnnouncementError("submission_key", exc.message)], True
            else:
                messages.success(request, _("Aangemeld bij %(location)s voor %(date)s. U ziet hier of de bezoeker kwam en geholpen is.") % {
                    "location": announcement.location.naam, "date": f"{announcement.expected_on:%d-%m-%Y}"})
                return redirect("announcements:detail", uuid=announcement.uuid)
    version = codelists.current_version()
    return render(request, "announcements/form.html", {
        "locations": locations, "location": location, "slots": slots, "errors": errors,
        "error_map": {e.field: e.message for e in errors}, "post": request.POST,
        "instanties": codelists.codes(version, CodeList.INSTANTIE), "onderwerpen": codelists.codes(version, CodeList.ONDERWERP),
        "consent_text": services.consent_text(location.naam) if location else "", "today": today,
        "max_day": today + dt.timedelta(days=services.DAYS_AHEAD), "max_description": services.DESCRIPTION_MAX,
        "submission_key": (not fresh_key and request.POST.get("submission_key")) or uuidlib.uuid4().hex,
    }, status=422 if errors else 200)


@requires(Cap.REGISTER, Cap.ANNOUNCE)
def announcement_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    scope = request_scope(request)
    announcement = get_or_404(selectors.announcements_for(scope).prefetch_related("history__by"), uuid=uuid)
    contact: dict[str, str] = {}
    may_read = services.may_read_contact(request.user, announcement)
    if may_read and request.GET.get("contact") == "1":
        # Only on request: every read of name and phone is an audit event.
        contact = services.contact_for(announcement, user=request.user, via="pagina")
    instantie, onderwerp = selectors.code_labels(announcement)
    context: dict[str, Any] = {
        "a": announcement, "instantie": instantie if announcement.instantie else "", "onderwerp": onderwerp if announcement.onderwerp else "",
        "outcome": selectors.outcome_text(announcement), "history": announcement.history.all(), "may_read": may_read, "contact": contact,
        "is_desk": scope.owns(announcement.organisation_id), "is_sender": services.is_sender(request.user, announcement),
        "can_register": scope.owns(announcement.organisation_id) and announcement.status in (Status.AANGEMELD, Status.NIET_GEKOMEN, Status.VERLOPEN),
        "register_url": register_url(announcement),
    }
    return render(request, "announcements/detail.html", context)


@requires(Cap.REGISTER)
@require_POST
def announcement_no_show(request: HttpRequest, uuid: str) -> HttpResponse:
    announcement = get_or_404(selectors.announcements_for(request_scope(request)), uuid=uuid)
    try:
        services.mark_no_show(announcement=announcement, by=request.user)
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Vastgelegd: de aangemelde bezoeker is niet gekomen."))
    return redirect("desk:today")


@requires(Cap.ANNOUNCE)
@require_POST
def announcement_withdraw(request: HttpRequest, uuid: str) -> HttpResponse:
    announcement = get_or_404(selectors.announcements_for(request_scope(request)), uuid=uuid)
    try:
        services.withdraw(announcement=announcement, by=request.user)
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De aanmelding is ingetrokken; naam en telefoon zijn gewist."))
    return redirect("announcements:detail", uuid=announcement.uuid)


@requires(Cap.SEE_INSIGHT)
def figures(request: HttpRequest) -> HttpResponse:
    """Who sends people to us: announced visitors per partner or municipality, and how many came and were helped."""
    scope = request_scope(request)
    today = timezone.localdate()
    start = _parse_date(request.GET.get("van", "")) or today.replace(day=1) - dt.timedelta(days=365)
    end = _parse_date(request.GET.get("tot", "")) or today
    errors = []
    if start > end:
        errors.append(_("De begindatum ligt na de einddatum; we tonen de afgelopen twaalf maanden."))
    elif (end - start).days > MAX_PERIOD_DAYS:
        errors.append(_("Kies een periode van hoogstens drie jaar; we tonen de afgelopen twaalf maanden."))
    if errors:
        start, end = today.replace(day=1) - dt.timedelta(days=365), today
    return render(request, "announcements/figures.html", {
        "rows": selectors.by_sender(scope, start=start, end=end), "total": selectors.total(scope, start=start, end=end),
        "start": start, "end": end, "suppressed": scope.suppressed, "errors": errors,
    }, status=400 if errors else 200)
