"""Demo social map for Rotterdam and Gouda, so `make run` shows where visitors can be referred to.

Demo data only: local phone numbers and all e-mail addresses are made up (example domains); national helplines
use their public numbers. Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from balie.core.codelists import join_multi
from balie.core.pii import normalise_phone
from balie.network.models import Gemeente, Organisation
from balie.partners.models import Access, HoursKind, Partner, PartnerLocation, PartnerUser, Service, ServiceHours

WEEKDAYS = range(5)
RDAM, GOUDA = "GM0599", "GM0513"

# name, owner (None = national), email, description, [services]
# service: name, instanties, onderwerpen, profielen, gemeenten, warm phone, access, cost, eligibility, talen, (weekdays, from, to) warm line
SOCIAL_MAP = [
    ("BelastingTelefoon en Belastingdienst-hulp", None, "hulp@belastingdienst.example",
     "Hulp bij de aangifte inkomstenbelasting en toeslagen, aan de telefoon of op een steunpunt.", [
         ("Hulp bij aangifte en toeslagen", "BELASTINGDIENST|TOESLAGEN", "AANGIFTE|AANVRAGEN|WIJZIGEN|BERICHT|BETALEN", "FYSIEKE_HULP|OVERHEIDSTAAL",
          [], "0800 0543", Access.AFSPRAAK, "Gratis", "Iedereen met een vraag over belastingen of toeslagen.", "NL|EN", (WEEKDAYS, 8, 20)),
     ]),
    ("Sociale Verzekeringsbank (SVB)", None, "klantcontact@svb.example", "AOW, kinderbijslag en pgb.", [
        ("Vragen over AOW en kinderbijslag", "SVB", "AANVRAGEN|WIJZIGEN|BERICHT|CONTACT", "OVERHEIDSTAAL",
         [], "030 264 90 90", Access.AFSPRAAK, "Gratis", "Iedereen met AOW, kinderbijslag of een pgb.", "NL", (WEEKDAYS, 8, 17)),
    ]),
    ("CAK", None, "klantenservice@cak.example", "Eigen bijdrage Wmo en Wlz, regelingen voor onverzekerden.", [
        ("Eigen bijdrage en betalingsregeling", "CAK|ZORGVERZEKERAAR", "BETALEN|BERICHT|BEZWAAR", "OVERHEIDSTAAL|STEUN",
         [], "0800 0087", Access.AFSPRAAK, "Gratis", "Iedereen die een rekening van het CAK krijgt.", "NL", (WEEKDAYS, 9, 17)),
    ]),
    ("Het Juridisch Loket", None, "rotterdam@juridischloket.example", "Gratis juridisch advies, ook bij bezwaar tegen de overheid.", [
        ("Juridisch advies en bezwaar", "BELASTINGDIENST|TOESLAGEN|UWV|SVB|CJIB|GEMEENTE|WONEN|DUO", "BEZWAAR|BERICHT|BETALEN", "OVERHEIDSTAAL|STEUN",
         [RDAM, GOUDA], "0900 8020", Access.BEIDE, "Gratis", "Mensen met een laag inkomen of een vraag over een besluit.", "NL|EN|TR|AR", (WEEKDAYS, 9, 17)),
    ]),
    ("SchuldHulpMaatje Rotterdam", "BIB-RDAM", "coordinatie@schuldhulpmaatje-rotterdam.example",
     "Vrijwillige maatjes helpen bij geldzorgen en schulden, samen met de gemeente.", [
         ("Maatje bij geldzorgen en schulden", "BELASTINGDIENST|TOESLAGEN|CJIB|CAK|ZORGVERZEKERAAR|ENERGIE|BANK|GEMEENTE", "BETALEN|BERICHT",
          "STEUN|BEVESTIGING|OVERHEIDSTAAL", [RDAM], "010 789 45 60", Access.AFSPRAAK, "Gratis",
          "Inwoners van Rotterdam met geldzorgen of schulden.", "NL|EN|TR", ([0, 1, 2, 3], 9, 16)),
     ]),
    ("Sociaal wijkteam Feijenoord", "BIB-RDAM", "wijkteam-feijenoord@rotterdam.example", "Hulp bij geld, wonen, zorg en opvoeding in de wijk.", [
        ("Wijkteam: hulp bij meerdere problemen", "GEMEENTE|WONEN|ZORGVERLENER|ENERGIE", "AANVRAGEN|BETALEN|CONTACT|INFORMATIE", "STEUN|WEGWIJS|FYSIEKE_HULP",
         [RDAM], "010 498 12 34", Access.BEIDE, "Gratis", "Inwoners van Rotterdam-Zuid.", "NL|TR|AR|PL", (WEEKDAYS, 8, 17)),
    ]),
    ("Humanitas Thuisadministratie Rotterdam", "BIB-RDAM", "thuisadministratie@humanitas-rotterdam.example",
     "Een vrijwilliger helpt thuis de post en administratie op orde te brengen.", [
         ("Thuisadministratie", "BELASTINGDIENST|TOESLAGEN|GEMEENTE|ZORGVERZEKERAAR|BANK|ENERGIE|PENSIOEN", "BERICHT|BETALEN|AANVRAGEN|WIJZIGEN",
          "FYSIEKE_HULP|BEVESTIGING|OVERHEIDSTAAL", [RDAM], "010 265 44 10", Access.AFSPRAAK, "Gratis",
          "Inwoners van Rotterdam die moeite hebben met hun administratie.", "NL", ([1, 3], 10, 12)),
     ]),
    ("UWV WERKbedrijf Werkplein Rotterdam", "BIB-RDAM", "werkplein-rotterdam@uwv.example", "Werk zoeken, WW en WIA.", [
        ("Werkplein: WW en werk zoeken", "UWV", "AANVRAGEN|WIJZIGEN|INLOGGEN|DOCUMENTEN|CONTACT", "WEGWIJS|FYSIEKE_HULP",
         [RDAM], "088 898 92 94", Access.BEIDE, "Gratis", "Werkzoekenden en mensen met een WW- of WIA-uitkering.", "NL|EN", (WEEKDAYS, 8, 17)),
    ]),
    ("Sociaal Team Gouda", "BIB-GOUDA", "sociaalteam@gouda.example", "Hulp bij geld, werk, zorg en wonen in Gouda.", [
        ("Sociaal team: hulp bij geld en zorg", "GEMEENTE|WONEN|ZORGVERLENER|CAK", "AANVRAGEN|BETALEN|CONTACT|INFORMATIE", "STEUN|WEGWIJS",
         [GOUDA], "0182 588 988", Access.BEIDE, "Gratis", "Inwoners van Gouda.", "NL|TR|AR", (WEEKDAYS, 9, 17)),
    ]),
    ("SchuldHulpMaatje Gouda", "BIB-GOUDA", "info@schuldhulpmaatje-gouda.example", "Maatjes bij geldzorgen.", [
        ("Maatje bij geldzorgen", "BELASTINGDIENST|TOESLAGEN|CJIB|BANK|ENERGIE", "BETALEN|BERICHT", "STEUN|BEVESTIGING",
         [GOUDA], "0182 745 120", Access.AFSPRAAK, "Gratis", "Inwoners van Gouda met geldzorgen.", "NL", ([0, 2], 9, 13)),
    ]),
]

# (postcode, address, plaats) per local partner's first location; national ones have a Rotterdam steunpunt.
ADDRESSES = {
    "SchuldHulpMaatje Rotterdam": ("3071 AB", "Beijerlandselaan 2", "Rotterdam"),
    "Sociaal wijkteam Feijenoord": ("3071 BC", "Hillevliet 90", "Rotterdam"),
    "Humanitas Thuisadministratie Rotterdam": ("3011 AB", "Hoogstraat 150", "Rotterdam"),
    "UWV WERKbedrijf Werkplein Rotterdam": ("3011 DE", "Coolsingel 5", "Rotterdam"),
    "Het Juridisch Loket": ("3012 AA", "Weena 10", "Rotterdam"),
    "Sociaal Team Gouda": ("2801 AB", "Burgemeester Jamessingel 1", "Gouda"),
    "SchuldHulpMaatje Gouda": ("2802 AB", "Klein Amerika 20", "Gouda"),
}


@transaction.atomic
def build_social_map() -> dict[str, Partner]:
    """Create (or return) the demo partners and services, and link the demo partner account."""
    if Partner.objects.filter(name="SchuldHulpMaatje Rotterdam").exists():
        return {p.name: p for p in Partner.objects.all()}
    orgs = {o.code: o for o in Organisation.objects.all()}
    gemeenten = {g.cbs_code: g for g in Gemeente.objects.filter(cbs_code__in=[RDAM, GOUDA])}
    today = timezone.localdate()
    partners: dict[str, Partner] = {}
    for n, (name, owner, email, description, services) in enumerate(SOCIAL_MAP):
        # One entry was last checked long ago: the 12-month flag shows on the social map.
        verified = today - dt.timedelta(days=420 if name.startswith("Humanitas") else 30 + 7 * n)
        partner = Partner.objects.create(name=name, organisation=orgs.get(owner) if owner else None, email=email, description=description,
                                         last_verified=verified, website="")
        partners[name] = partner
        location = None
        if name in ADDRESSES:
            postcode, address, plaats = ADDRESSES[name]
            location = PartnerLocation.objects.create(partner=partner, name=f"{name}, {plaats}", address=address, postcode=postcode, plaats=plaats)
        for (sname, inst, ond, prof, gms, phone, access, cost, elig, talen, warm) in services:
            service = Service.objects.create(
                partner=partner, name=sname, instanties=join_multi(inst.split("|")), onderwerpen=join_multi(ond.split("|")),
                behoefteprofielen=join_multi(prof.split("|")), warm_phone=normalise_phone(phone) or phone, access=access, cost=cost, eligibility=elig,
                languages=join_multi(talen.split("|")), last_verified=verified, description=description,
            )
            service.gemeenten.set([gemeenten[g] for g in gms if g in gemeenten])
            days, start, end = warm
            hours = [ServiceHours(service=service, kind=HoursKind.WARME_LIJN, weekday=d, opens=dt.time(start), closes=dt.time(end)) for d in days]
            if location is not None:
                service.locations.add(location)
                hours += [ServiceHours(service=service, location=location, kind=HoursKind.OPEN, weekday=d, opens=dt.time(9), closes=dt.time(12, 30))
                          for d in days]
            ServiceHours.objects.bulk_create(hours)
    _link_signal_recipients(partners)
    users = get_user_model()
    partner_user = users.objects.filter(username="partner").first()
    if partner_user is not None:
        # One login, one organisation: the same link shows SchuldHulpMaatje's referrals and its signals.
        PartnerUser.objects.get_or_create(user=partner_user, defaults={"partner": partners["SchuldHulpMaatje Rotterdam"]})
    return partners


# The same organisations also receive signal reports (ADR 0007): name -> instantie codes. SchuldHulpMaatje is the
# demo partner login's organisation, so that login shows referrals and signals from one link.
SIGNAL_CODES = {"Sociale Verzekeringsbank (SVB)": "|SVB|", "CAK": "|CAK|", "SchuldHulpMaatje Rotterdam": "|CJIB|ENERGIE|BANK|"}


# National government organisations that receive signals (review 2026-12, B11: "Aan welke organisatie?" was empty).
# National (no library organisation): every library can pick them. Demo addresses on the reserved .example domain.
NATIONAL_SIGNAL_RECIPIENTS = [
    ("Belastingdienst", "signalen@belastingdienst.example", "|BELASTINGDIENST|"),
    ("Dienst Toeslagen", "signalen@toeslagen.example", "|TOESLAGEN|"),
    ("Logius (DigiD en MijnOverheid)", "signalen@logius.example", "|DIGID|MIJNOVERHEID|"),
    ("UWV", "signalen@uwv.example", "|UWV|"),
    ("DUO", "signalen@duo.example", "|DUO|"),
    ("CJIB", "signalen@cjib.example", "|CJIB|"),
    ("RDW", "signalen@rdw.example", "|RDW|"),
]


def _link_signal_recipients(partners: dict[str, Partner]) -> None:
    for name, codes in SIGNAL_CODES.items():
        Partner.objects.filter(pk=partners[name].pk).update(receives_signals=True, signal_codes=codes)
    for name, email, codes in NATIONAL_SIGNAL_RECIPIENTS:
        Partner.objects.get_or_create(organisation=None, name=name, defaults={
            "email": email, "receives_referrals": False, "receives_signals": True, "signal_codes": codes,
            "description": "Landelijke organisatie die signalen van de Informatiepunten ontvangt (demo).",
        })
