"""The coordinator's overview (review 2026-12: "The coordinator has no overview page and lands on the registration
form"). Counts only, each with a link to the page where the work is done; everything through for_scope."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.core.access import Cap, request_scope, requires
from balie.desk.selectors import today_for_user
from balie.network.models import Location
from balie.referrals.models import OPEN_STATUSES as OPEN_REFERRALS
from balie.referrals.models import Referral
from balie.signals.models import OPEN_STATUSES as OPEN_SIGNALS
from balie.signals.models import Signal
from balie.signals.models import Status as SignalStatus
from balie.walkin.models import Status as TicketStatus
from balie.walkin.models import Ticket


@requires(Cap.COORDINATE)
def overview(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    today = timezone.localdate()
    referrals = Referral.objects.for_scope(scope).filter(status__in=OPEN_REFERRALS)
    signals = Signal.objects.for_scope(scope).filter(status__in=OPEN_SIGNALS)
    waiting = Ticket.objects.for_scope(scope).filter(service_date=today, status=TicketStatus.WACHTEND)
    locations = Location.objects.for_scope(scope).filter(active=True).order_by("naam")
    counts: dict[int, int] = {}
    for location_id in waiting.values_list("location_id", flat=True):
        counts[location_id] = counts.get(location_id, 0) + 1
    tiles = [
        {"label": _("Vragen vandaag"), "value": today_for_user(request.user).count(), "url": reverse("desk:today"),
         "link": _("Registraties van vandaag")},
        {"label": _("Wachtenden nu"), "value": sum(counts.values()), "url": reverse("walkin:staff"), "link": _("Naar de wachtrij")},
        {"label": _("Open verwijzingen"), "value": referrals.count(), "url": reverse("referrals:followup"), "link": _("Verwijzingen opvolgen")},
        {"label": _("Open signalen"), "value": signals.count(), "url": reverse("signals:list"), "link": _("Naar de signalen")},
    ]
    return render(request, "start/overview.html", {
        "tiles": tiles,
        "new_signals": signals.filter(status=SignalStatus.NIEUW).count(),
        "queues": [(loc, counts[loc.pk]) for loc in locations if counts.get(loc.pk)],
        "today": today,
    })
