"""Staff pages of the walk-in queue: the queue at the desk and the coordinator's statistics."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core.access import Cap, get_or_404, requires
from balie.core.dates import parse_day
from balie.core.idempotency import IdempotencyConflict
from balie.core.qr import qr_svg
from balie.desk.views import current_location
from balie.network.models import Location
from balie.network.selectors import own_locations

from .. import selectors, services
from ..models import Channel, Status, Ticket
from ..services import QueueError
from ..topics import TOPICS, topic_info

SESSION_DESK = "walkin_desk_label"
STATS_DEFAULT_DAYS = 30
STATS_MAX_DAYS = 366



def _location(request: HttpRequest) -> Location:
    """The desk's current location; an explicit ?locatie= of another organisation is a 404, not a silent switch."""
    request.scope.require(Cap.REGISTER)
    wanted = request.GET.get("locatie")
    if wanted and wanted not in {loc.code for loc in own_locations(request.scope)}:
        raise Http404(_("Deze locatie bestaat niet in uw organisatie."))
    return current_location(request)


def register_url(ticket: Ticket) -> str:
    """The desk form, pre-filled from the visitor's pictogram, remembering which number is being served."""
    info = topic_info(ticket.topic)
    query = {"instantie": info.instantie, "onderwerp": info.onderwerp, "ticket": str(ticket.uuid), "locatie": ticket.location.code}
    return f"{reverse('desk:register')}?{urlencode({k: v for k, v in query.items() if v})}"


def _back(location: Location, **extra: str) -> HttpResponse:
    return redirect(f"{reverse('walkin:staff')}?{urlencode({'locatie': location.code, **extra})}")


@requires(Cap.REGISTER)
def staff(request: HttpRequest) -> HttpResponse:
    location = _location(request)
    day = timezone.localdate()
    if request.htmx and request.GET.get("deel") == "wachtend":
        # Polled every few seconds: only the read-only waiting list, so focus on the buttons is never lost.
        return render(request, "walkin/_staff_waiting.html", {"waiting": selectors.waiting_with_estimates(location, day)})
    settings = services.queue_settings_ensure(location)
    called = list(selectors.called(location, day).select_related("location", "called_by"))
    for ticket in called:
        ticket.register_url = register_url(ticket)
    issued = None
    if request.GET.get("uitgegeven"):
        issued = selectors.tickets_for_user(request.user).filter(uuid=_uuid_or_none(request.GET["uitgegeven"])).first()
    day_counts = {s: 0 for s in Status.values}
    for status in selectors.day_tickets(location, day).values_list("status", flat=True):
        day_counts[status] += 1
    kiosk_path = reverse("walkin:kiosk", args=[location.code, settings.kiosk_token])
    ticket_path = reverse("walkin:ticket", args=[issued.uuid]) if issued else ""
    return render(request, "walkin/staff.html", {
        "location": location,
        "locations": own_locations(request.scope),
        "settings": settings,
        "staff_today": settings.staff_on(day),
        "called": called,
        "waiting": selectors.waiting_with_estimates(location, day),
        "newcomer": selectors.expected_wait_for_newcomer(location),
        "day_counts": day_counts,
        "topics": TOPICS.values(),
        "desk_label": request.session.get(SESSION_DESK, "balie 1"),
        "call_key": uuid.uuid4().hex,
        "issue_key": uuid.uuid4().hex,
        "issued": issued,
        "issued_qr": qr_svg(request.build_absolute_uri(ticket_path)) if issued else "",
        "kiosk_url": request.build_absolute_uri(kiosk_path),
        "display_url": request.build_absolute_uri(reverse("walkin:display", args=[location.code])),
    })


def _uuid_or_none(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


@requires(Cap.REGISTER)
@require_POST
def call(request: HttpRequest) -> HttpResponse:
    """'Volgende oproepen', or call the number a visitor shows at the desk."""
    location = _location(request)
    try:
        # Checked before it goes into the session (stored in the database too) or onto the public screen.
        desk = services.clean_desk_label(request.POST.get("desk_label", "").strip()[:30] or "balie 1")
    except QueueError as exc:
        messages.error(request, exc.message)
        return _back(location)
    request.session[SESSION_DESK] = desk
    call_key = f"{request.user.pk}:{request.POST['call_key']}" if request.POST.get("call_key") else None
    raw_number = request.POST.get("nummer", "").strip()
    try:
        if raw_number:
            ticket = _ticket_by_number(location, raw_number)
            ticket = services.ticket_call(user=request.user, ticket=ticket, desk_label=desk, call_key=call_key)
        else:
            ticket = services.ticket_call_next(user=request.user, location=location, desk_label=desk, call_key=call_key)
    except QueueError as exc:
        messages.error(request, exc.message)
        return _back(location)
    if ticket is None:
        messages.info(request, _("Er wacht nu niemand."))
    else:
        messages.success(request, _("Nummer %(number)s is opgeroepen naar %(desk)s.") % {"number": ticket.number, "desk": ticket.desk_label})
    return _back(location)


def _ticket_by_number(location: Location, raw: str) -> Ticket:
    """The number a visitor shows. Yesterday's ticket gets a clear explanation instead of a silent miss."""
    if not raw.isdigit() or not 0 < int(raw) < 100_000:
        raise QueueError(_("'%(raw)s' is geen volgnummer. Vul alleen het nummer in, bijvoorbeeld 12.") % {"raw": raw[:20]})
    number = int(raw)
    today = timezone.localdate()
    ticket = Ticket.objects.filter(location=location, service_date=today, number=number).select_related("location").first()
    if ticket is not None:
        return ticket
    earlier = Ticket.objects.filter(location=location, number=number, service_date__lt=today).order_by("-service_date").first()
    if earlier is not None:
        raise QueueError(
            _("Nummer %(number)s is van een andere dag (%(date)s). Dat nummer geldt vandaag niet meer: geef de bezoeker een nieuw "
              "nummer.") % {"number": number, "date": f"{earlier.service_date:%d-%m-%Y}"}
        )
    raise QueueError(_("Nummer %(number)s is vandaag niet uitgegeven op %(location)s. Controleer het nummer of geef een nieuw nummer.")
                     % {"number": number, "location": location.naam})


@requires(Cap.REGISTER)
@require_POST
def ticket_action(request: HttpRequest, ticket_uuid: str) -> HttpResponse:
    ticket = get_or_404(selectors.tickets_for_user(request.user), uuid=ticket_uuid)
    action = request.POST.get("action", "")
    try:
        if action == "opnieuw":
            services.ticket_recall(user=request.user, ticket=ticket, desk_label=request.session.get(SESSION_DESK, ""))
            messages.success(request, _("Nummer %(number)s is opnieuw omgeroepen.") % {"number": ticket.number})
        elif action == "niet_verschenen":
            services.ticket_no_show(user=request.user, ticket=ticket)
            messages.success(request, _("Nummer %(number)s staat op niet verschenen.") % {"number": ticket.number})
        elif action == "annuleren":
            services.ticket_cancel(user=request.user, ticket=ticket)
            messages.success(request, _("Nummer %(number)s is geannuleerd.") % {"number": ticket.number})
        else:
            messages.error(request, _("Onbekende handeling; er is niets veranderd."))
    except QueueError as exc:
        messages.error(request, exc.message)
    return _back(ticket.location)


@requires(Cap.REGISTER)
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    """A staff member hands out a number to a visitor at the desk."""
    location = _location(request)
    key = request.POST.get("issue_key", "")[:40]
    try:
        ticket, _created = services.ticket_issue(
            location=location, topic=request.POST.get("onderwerp", ""), channel=Channel.BALIE, user=request.user,
            idempotency_key=f"balie:{location.pk}:{key}" if key else None,
        )
    except (QueueError, IdempotencyConflict) as exc:
        messages.error(request, exc.message)
        return _back(location)
    messages.success(request, _("Nummer %(number)s is uitgegeven.") % {"number": ticket.number})
    return _back(location, uitgegeven=str(ticket.uuid))


@requires(Cap.REGISTER)
@require_POST
def update_settings(request: HttpRequest) -> HttpResponse:
    location = _location(request)
    try:
        if "kioskcode" in request.POST:
            services.kiosk_token_renew(user=request.user, location=location)
            messages.success(request, _("Er is een nieuwe kiosklink. De oude link werkt niet meer: zet de nieuwe op de kiosk."))
        elif "enabled" in request.POST:
            enabled = request.POST["enabled"] == "1"
            services.queue_settings_update(user=request.user, location=location, enabled=enabled)
            messages.success(request, _("De wachtrij staat aan.") if enabled else _("De wachtrij staat uit. Er worden geen nummers meer uitgegeven."))
        else:
            raw_staff = request.POST.get("staff_on_duty", "").strip()
            if not raw_staff.isdigit():
                raise QueueError(_("'%(raw)s' is geen aantal. Vul een heel getal in, bijvoorbeeld 2.") % {"raw": raw_staff[:10]})
            services.queue_settings_update(
                user=request.user, location=location, staff_on_duty=int(raw_staff),
                opening_note=request.POST.get("opening_note", ""),
            )
            messages.success(request, _("De instellingen zijn opgeslagen."))
    except QueueError as exc:
        messages.error(request, exc.message)
    return _back(location)


# ---------------------------------------------------------------- statistics


@requires(Cap.COORDINATE)
def stats(request: HttpRequest) -> HttpResponse:
    location = _location(request)
    today = timezone.localdate()
    problems: list[str] = []
    date_to = parse_day(request.GET.get("tot", ""), today, "tot en met", problems)
    date_from = parse_day(request.GET.get("van", ""), date_to - dt.timedelta(days=STATS_DEFAULT_DAYS - 1), "van", problems)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
        problems.append(_("De begindatum lag na de einddatum; we hebben ze omgedraaid."))
    if (date_to - date_from).days >= STATS_MAX_DAYS:
        date_from = date_to - dt.timedelta(days=STATS_MAX_DAYS - 1)
        problems.append(_("We tonen hoogstens een jaar tegelijk."))
    result = selectors.queue_stats(location, date_from, date_to)
    return render(request, "walkin/stats.html", {
        "location": location,
        "locations": own_locations(request.scope),
        "stats": result,
        "problems": problems,
        "heatmap": result.heatmap_rows(),
    })
