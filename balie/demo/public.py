"""Demo schedule on top of the demo network: coordinates, visitor information, outreach sessions and a closure.

Dates are relative to today, so the demo always has something in the coming two weeks. Idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from balie.network.geo import fill_coordinates
from balie.network.models import Closure, HoursKind, Location, Session

VISITOR_INFO = {
    "RDAM-CENTRAAL": {
        "wheelchair_accessible": True, "hearing_loop": True,
        "transit_note": "Metro en tram, halte Blaak. Daarna 2 minuten lopen.",
        "public_description": "De IDO-balie is op de begane grond, links van de ingang.",
    },
    "RDAM-ZUIDPLEIN": {"wheelchair_accessible": True, "hearing_loop": False, "transit_note": "Metro, halte Zuidplein. De bibliotheek is in het theater."},
    "GOUDA-CHOCOLADEFABRIEK": {"wheelchair_accessible": True, "hearing_loop": True, "transit_note": "Vanaf station Gouda 10 minuten lopen."},
    "OUDEWATER": {"wheelchair_accessible": True},
    "RDAM-SCHOOL-REGENBOOG": {"wheelchair_accessible": True, "public_description": "Voor ouders van leerlingen en voor buurtbewoners."},
    "RDAM-VOEDSELBANK-ZUID": {"public_description": "Tijdens de uitgifte van de voedselbank."},
}


def _next_weekday(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


@transaction.atomic
def add_demo_schedule(today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    locations = {loc.code: loc for loc in Location.objects.select_related("gemeente", "organisation")}
    if "RDAM-CENTRAAL" not in locations:
        return
    for loc in locations.values():
        fill_coordinates(loc)
        for field, value in VISITOR_INFO.get(loc.code, {}).items():
            setattr(loc, field, value)
        loc.save()
    school, foodbank = locations.get("RDAM-SCHOOL-REGENBOOG"), locations.get("RDAM-VOEDSELBANK-ZUID")
    if school and not Session.objects.filter(location=school).exists():
        first = _next_weekday(today + dt.timedelta(days=1), 2)  # Wednesday mornings, when parents bring their children
        Session.objects.bulk_create(
            Session(location=school, date=first + dt.timedelta(weeks=w), start=dt.time(8, 30), end=dt.time(10),
                    kind=HoursKind.SPREEKUUR, title="Ouderspreekuur op basisschool De Regenboog", staff=1)
            for w in range(4)
        )
    if foodbank and not Session.objects.filter(location=foodbank).exists():
        first = _next_weekday(today + dt.timedelta(days=1), 4)
        Session.objects.bulk_create(
            Session(location=foodbank, date=first + dt.timedelta(weeks=w), start=dt.time(13), end=dt.time(15),
                    kind=HoursKind.INLOOP, title="Digitale hulp bij de voedselbank", staff=2)
            for w in range(0, 6, 2)
        )
    hoogvliet = locations.get("RDAM-HOOGVLIET")
    if hoogvliet and not Closure.objects.filter(location=hoogvliet).exists():
        start = _next_weekday(today + dt.timedelta(days=21), 0)
        Closure.objects.create(organisation=hoogvliet.organisation, location=hoogvliet, start_date=start,
                               end_date=start + dt.timedelta(days=4), reason="Verbouwing")
