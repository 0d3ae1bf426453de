"""Pages without login: the kiosk (behind its secret link), the display screen and the visitor's phone page.

Visitors see B1 Dutch and never an error page: unknown links, old numbers and closed queues get a
plain explanation of what to do next.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.core.idempotency import IdempotencyConflict
from balie.core.language import public_language
from balie.core.qr import qr_svg
from balie.core.ratelimit import limit
from balie.network.models import Location

from .. import selectors, services
from ..models import Channel, QueueSettings, Status, Ticket
from ..services import QueueError
from ..topics import TOPICS

KIOSK_RETURN_SECONDS = 60


def _friendly(request: HttpRequest, title: str, text: str, *, status: int, hint: str = "") -> HttpResponse:
    # A poll that runs past midnight swaps this in place of the status block (and stops polling), not a whole page.
    template = "walkin/_message.html" if request.htmx else "walkin/message.html"
    return render(request, template, {"title": title, "text": text, "hint": hint}, status=200 if request.htmx else status)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _friendly(
        request, _("Deze pagina bestaat niet"),
        _("Dit adres kennen we niet. Misschien is de link oud of niet helemaal goed overgenomen."),
        hint=_("Vraag het aan een medewerker van de bibliotheek."), status=404,
    )


def _active_location(code: str) -> Location | None:
    return Location.objects.filter(code=code, active=True).select_related("organisation").first()


def _kiosk_settings(code: str, token: str) -> QueueSettings | None:
    location = _active_location(code)
    settings = QueueSettings.objects.filter(location=location).select_related("location").first() if location else None
    # Constant-time compare: the token is the only thing standing between the internet and the number dispenser.
    if settings is None or not secrets.compare_digest(settings.kiosk_token.encode(), token.encode()):
        return None
    return settings


def _kiosk_location(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    # Counted per kiosk link, not per location code: posts with a wrong token cannot use up the real kiosk's numbers.
    return f"{kwargs.get('code', '')}|{kwargs.get('token', '')}"


def _kiosk_busy(request: HttpRequest, wait: int) -> HttpResponse:
    return render(request, "walkin/message.html", {
        "title": _("Even geduld"),
        "text": _("Er zijn in korte tijd heel veel nummers gevraagd. Probeer het over een paar minuten opnieuw."),
        "hint": _("Of vraag het aan een medewerker van de bibliotheek."),
        "back_url": request.path,
    }, status=429)


# All kiosks of a library share the library's one internet address, so the limits are generous: per address and
# location, and per kiosk link in total (a kiosk cannot hand out numbers faster than that). See README, rate limits.
@public_language
@limit("kiosk", scope=_kiosk_location, refuse=_kiosk_busy)
@limit("kiosk_location", scope=_kiosk_location, per_address=False, refuse=_kiosk_busy)
def kiosk(request: HttpRequest, code: str, token: str) -> HttpResponse:
    settings = _kiosk_settings(code, token)
    if settings is None:
        return _not_found(request)
    location = settings.location
    error = ""
    if request.method == "POST":
        key = request.POST.get("sleutel", "")[:40]
        try:
            ticket, _ = services.ticket_issue(
                location=location, topic=request.POST.get("onderwerp", ""), channel=Channel.KIOSK,
                idempotency_key=f"kiosk:{location.pk}:{key}" if key else None,
            )
        except (QueueError, IdempotencyConflict) as exc:
            error = exc.message
        else:
            return redirect("walkin:kiosk_ticket", code=location.code, token=settings.kiosk_token, ticket_uuid=ticket.uuid)
    return render(request, "walkin/kiosk.html", {
        "location": location,
        "settings": settings,
        "topics": TOPICS.values(),
        "key": uuid.uuid4().hex,
        "error": error,
        "newcomer": selectors.expected_wait_for_newcomer(location) if settings.enabled else None,
    })


@public_language
def kiosk_ticket(request: HttpRequest, code: str, token: str, ticket_uuid: str) -> HttpResponse:
    settings = _kiosk_settings(code, token)
    ticket = _ticket_or_none(ticket_uuid)
    if settings is None or ticket is None or ticket.location_id != settings.location_id:
        return _not_found(request)
    kiosk_url = reverse("walkin:kiosk", args=[code, token])
    ticket_url = request.build_absolute_uri(reverse("walkin:ticket", args=[ticket.uuid]))
    return render(request, "walkin/kiosk_ticket.html", {
        "location": settings.location,
        "ticket": ticket,
        "wait": selectors.expected_wait(ticket),
        "qr": qr_svg(ticket_url, scale=6),
        "kiosk_url": kiosk_url,
        "return_seconds": KIOSK_RETURN_SECONDS,
    })


@public_language
def display(request: HttpRequest, code: str) -> HttpResponse:
    location = _active_location(code)
    if location is None:
        return _not_found(request)
    day = timezone.localdate()
    calls = selectors.recent_calls(location, day)
    latest = calls[0] if calls else None
    key = selectors.announcement_key(latest)
    context: dict[str, Any] = {
        "location": location,
        "settings": selectors.queue_settings(location),
        "latest": latest,
        "earlier": calls[1:],
        "waiting_count": selectors.waiting(location, day).count(),
        "key": key,
        # Only a poll that sees a new (re)call announces it; the first page load stays quiet.
        "is_new": bool(request.htmx) and bool(key) and request.GET.get("gezien", "") != key,
        "now": timezone.localtime(),
    }
    template = "walkin/_display_board.html" if request.htmx else "walkin/display.html"
    return render(request, template, context)


def _ticket_or_none(raw: str) -> Ticket | None:
    try:
        key = uuid.UUID(str(raw))
    except ValueError:
        return None
    return Ticket.objects.filter(uuid=key).select_related("location").first()


def _status_key(ticket: Ticket) -> str:
    return f"{ticket.status}-{ticket.desk_label}-{int(ticket.announced_at.timestamp()) if ticket.announced_at else 0}"


@public_language
def ticket(request: HttpRequest, ticket_uuid: str) -> HttpResponse:
    """The visitor's phone, through the QR code. B1 Dutch or English (?lang=en, remembered), refreshes itself."""
    ticket = _ticket_or_none(ticket_uuid)
    if ticket is None:
        return _friendly(
            request, _("We kennen dit nummer niet"),
            _("Dit nummer staat niet in onze wachtrij. Misschien is de link niet helemaal goed overgenomen."),
            hint=_("Neem een nieuw nummer bij de kiosk, of vraag het aan de balie."), status=404,
        )
    if ticket.service_date != timezone.localdate():
        return _friendly(
            request, _("Dit nummer is van een andere dag"),
            _("Nummer %(number)s was voor %(date)s in %(location)s. Het geldt vandaag niet meer.") % {
                "number": ticket.number, "date": f"{ticket.service_date:%d-%m-%Y}", "location": ticket.location.naam},
            hint=_("Wilt u vandaag geholpen worden? Neem een nieuw nummer bij de kiosk, of vraag het aan de balie."), status=200,
        )
    message = ""
    stop = request.POST.get("stoppen", "") if request.method == "POST" else ""
    if stop == "zeker":
        try:
            services.ticket_cancel(ticket=ticket)
        except QueueError as exc:
            message = exc.message
        else:
            return redirect("walkin:ticket", ticket_uuid=ticket.uuid)
    key = _status_key(ticket)
    context = {
        "ticket": ticket,
        "location": ticket.location,
        "settings": selectors.queue_settings(ticket.location),
        "wait": selectors.expected_wait(ticket) if ticket.status == Status.WACHTEND else None,
        "key": key,
        "is_new": bool(request.htmx) and request.GET.get("gezien", "") != key,
        "message": message,
        "can_stop": ticket.status in (Status.WACHTEND, Status.OPGEROEPEN),
        # One accidental tap must not throw away someone's place in the queue.
        "confirm_stop": stop == "vraag",
    }
    template = "walkin/_ticket_status.html" if request.htmx else "walkin/ticket.html"
    return render(request, template, context)
