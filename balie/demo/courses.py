"""Demo courses of the Rotterdam and Gouda libraries, dated relative to today so there is always one to enrol in."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from balie.courses.models import Course
from balie.network.models import Location, Organisation

# organisation, kind, title, location, starts in (days), weeks, schedule, capacity, language level, cost, description
COURSES = [
    ("BIB-RDAM", "digisterker", "Digisterker: werken met de digitale overheid", "RDAM-CENTRAAL", 14, 4, "4 dinsdagochtenden, 10.00-12.00 uur", 8, "A2", "Gratis",
     "Inloggen met DigiD, MijnOverheid en de Berichtenbox, zaken regelen met de gemeente."),
    ("BIB-RDAM", "klik_en_tik", "Klik & Tik: de basis", "RDAM-ZUIDPLEIN", 7, 6, "6 donderdagmiddagen, 13.30-15.30 uur", 6, "geen", "Gratis",
     "Voor wie nog nooit met een computer werkte: muis, toetsenbord, internet en e-mail."),
    ("BIB-RDAM", "taalcafe", "Taalcafé Feijenoord", "RDAM-FEIJENOORD", 0, 52, "Elke woensdag, 14.00-15.30 uur", 20, "A1", "Gratis",
     "Nederlands oefenen in een kleine groep, met koffie."),
    ("BIB-RDAM", "veilig_online", "Veilig online: nep-berichten herkennen", "RDAM-CENTRAAL", 21, 1, "Eén middag, 14.00-16.00 uur", 12, "A2", "Gratis",
     "Phishing, nepwebshops en WhatsApp-fraude herkennen."),
    ("BIB-RDAM", "lokaal", "Spreekuur Rotterdampas en RET-app", "RDAM-DELFSHAVEN", 10, 3, "3 maandagochtenden, 10.00-11.30 uur", 10, "geen", "Gratis",
     "De Rotterdampas en de RET-app op uw telefoon zetten en gebruiken."),
    ("BIB-GOUDA", "digisterker", "Digisterker Gouda", "GOUDA-CHOCOLADEFABRIEK", 10, 4, "4 vrijdagochtenden, 10.00-12.00 uur", 8, "A2", "Gratis",
     "Inloggen met DigiD en zaken regelen met de overheid."),
]



def build_courses() -> int:
    """Create the demo courses unless there are courses already. Returns how many were made."""
    if Course.objects.exists():
        return 0
    orgs = {o.code: o for o in Organisation.objects.all()}
    locs = {loc.code: loc for loc in Location.objects.all()}
    today = timezone.localdate()
    for org, kind, title, loc, starts_in, weeks, schedule, capacity, level, cost, description in COURSES:
        start = today + dt.timedelta(days=starts_in)
        Course.objects.create(organisation=orgs[org], kind=kind, title=title, location=locs.get(loc), start_date=start,
                              end_date=start + dt.timedelta(weeks=max(weeks - 1, 0)), schedule=schedule, capacity=capacity,
                              language_level=level, cost=cost, description=description)
    return len(COURSES)
