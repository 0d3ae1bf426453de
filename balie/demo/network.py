"""The demo network: a city library with 21 branches, a town library and a village library.

Deterministic, so tests and demos can rely on the codes and usernames below. Demo data only:
every demo login has the password "demo".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from balie.accounts.models import Role
from balie.demo.public import add_demo_schedule
from balie.network.models import Gemeente, HoursKind, LocalCode, Location, LocationKind, Organisation, WeeklyHours

DEMO_PASSWORD = "demo"

# (code suffix, name, postcode, IDO consultation hours?)
RDAM_BRANCHES = [
    ("CENTRAAL", "Centrale Bibliotheek", "3011 AA", True),
    ("ZUIDPLEIN", "Bibliotheek Zuidplein", "3083 BE", True),
    ("FEIJENOORD", "Bibliotheek Feijenoord", "3071 AB", True),
    ("DELFSHAVEN", "Bibliotheek Delfshaven", "3024 AB", True),
    ("HOOGVLIET", "Bibliotheek Hoogvliet", "3191 AB", True),
    ("OMMOORD", "Bibliotheek Ommoord", "3068 AB", True),
    ("CHARLOIS", "Bibliotheek Charlois", "3082 AB", True),
    ("IJSSELMONDE", "Bibliotheek IJsselmonde", "3079 AB", True),
    ("HILLEGERSBERG", "Bibliotheek Hillegersberg", "3054 AB", False),
    ("KRALINGEN", "Bibliotheek Kralingen", "3062 AB", False),
    ("PRINS-ALEXANDER", "Bibliotheek Prins Alexander", "3069 AB", False),
    ("OOSTERFLANK", "Bibliotheek Oosterflank", "3065 AB", False),
    ("OVERSCHIE", "Bibliotheek Overschie", "3042 AB", False),
    ("LOMBARDIJEN", "Bibliotheek Lombardijen", "3076 AB", False),
    ("PERNIS", "Bibliotheek Pernis", "3195 AB", False),
    ("ROZENBURG", "Bibliotheek Rozenburg", "3181 AB", False),
    ("NESSELANDE", "Bibliotheek Nesselande", "3059 AB", False),
    ("CROOSWIJK", "Bibliotheek Crooswijk", "3034 AB", False),
    ("SCHIEBROEK", "Bibliotheek Schiebroek", "3052 AB", False),
    ("NOORD", "Bibliotheek Oude Noorden", "3035 AB", False),
    ("AFRIKAANDERWIJK", "Bibliotheek Afrikaanderwijk", "3072 AB", False),
]


# Street addresses for the demo branches (review 2026-12: "1,5 km · 3071 AB Rotterdam" without a street). Demo data:
# plausible streets in the right neighbourhood, not a directory of the real library's branches.
DEMO_ADDRESSES = {
    "RDAM-CENTRAAL": "Hoogstraat 110", "RDAM-ZUIDPLEIN": "Zuidplein 118", "RDAM-FEIJENOORD": "Beijerlandselaan 2",
    "RDAM-DELFSHAVEN": "Nieuwe Binnenweg 365", "RDAM-HOOGVLIET": "Binnenban 56", "RDAM-OMMOORD": "Hesseplaats 399",
    "RDAM-CHARLOIS": "Wolphaertsbocht 228", "RDAM-IJSSELMONDE": "Herenwaard 2", "RDAM-HILLEGERSBERG": "Hillegondastraat 17",
    "RDAM-KRALINGEN": "Lusthofstraat 40", "RDAM-PRINS-ALEXANDER": "Prinses Beatrixlaan 8", "RDAM-OOSTERFLANK": "Oosterflankweg 10",
    "RDAM-OVERSCHIE": "Burgemeester Baumannlaan 135", "RDAM-LOMBARDIJEN": "Spinozaweg 275", "RDAM-PERNIS": "Ritsevoort 5",
    "RDAM-ROZENBURG": "Raadhuisplein 1", "RDAM-NESSELANDE": "Cypruslaan 40", "RDAM-CROOSWIJK": "Boezemweg 12",
    "RDAM-SCHIEBROEK": "Peppelweg 108", "RDAM-NOORD": "Zwart Janstraat 126", "RDAM-AFRIKAANDERWIJK": "Afrikaanderplein 20",
    "RDAM-SCHOOL-REGENBOOG": "Regenboogstraat 1", "RDAM-VOEDSELBANK-ZUID": "Strevelsweg 700",
    "GOUDA-CHOCOLADEFABRIEK": "Klein Amerika 20", "GOUDA-NIEUWERKERK": "Raadhuisplein 3", "OUDEWATER": "Kapellestraat 2",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    description: str


DEMO_LOGINS = [
    DemoLogin("medewerker", Role.MEDEWERKER, "IDO-medewerker, Bibliotheek Rotterdam (Centrale Bibliotheek)"),
    DemoLogin("coordinator", Role.COORDINATOR, "coördinator, Bibliotheek Rotterdam"),
    DemoLogin("gemeente", Role.GEMEENTE, "beleidsmedewerker, gemeente Rotterdam"),
    DemoLogin("landelijk", Role.LANDELIJK, "landelijke rol (KB/BZK), beheert de codelijsten"),
    DemoLogin("partner", Role.PARTNER, "partnerorganisatie SchuldHulpMaatje Rotterdam: doorverwijzingen en signalen bijwerken"),
    DemoLogin("beheerder", Role.BEHEERDER, "beheerder van de installatie"),
    DemoLogin("collega", Role.MEDEWERKER, "tweede medewerker, Bibliotheek Rotterdam"),
    DemoLogin("medewerker-gouda", Role.MEDEWERKER, "medewerker, Bibliotheek Gouda (andere organisatie)"),
]


def _hours(location: Location, *, all_day: bool, ido: bool) -> None:
    slots = []
    for weekday in range(6 if all_day else 5):
        # Walk-in desk hours every opening day; the library's own desk.
        slots.append(WeeklyHours(location=location, weekday=weekday, start=dt.time(10), end=dt.time(17), kind=HoursKind.INLOOP))
    if ido:
        if all_day:
            slots += [WeeklyHours(location=location, weekday=d, start=dt.time(10), end=dt.time(17), kind=HoursKind.SPREEKUUR) for d in range(6)]
        else:
            slots += [
                WeeklyHours(location=location, weekday=1, start=dt.time(10), end=dt.time(12), kind=HoursKind.SPREEKUUR),
                WeeklyHours(location=location, weekday=3, start=dt.time(14), end=dt.time(16), kind=HoursKind.SPREEKUUR),
            ]
    WeeklyHours.objects.bulk_create(slots)


@transaction.atomic
def build_network() -> dict[str, Organisation]:
    """Create (or return) the demo organisations, locations and users."""
    if Organisation.objects.filter(code="BIB-RDAM").exists():
        return {o.code: o for o in Organisation.objects.all()}
    gm = {g.cbs_code: g for g in Gemeente.objects.filter(cbs_code__in=["GM0599", "GM0513", "GM0589", "GM1892"])}
    rdam = Organisation.objects.create(code="BIB-RDAM", naam="Bibliotheek Rotterdam")
    gouda = Organisation.objects.create(code="BIB-GOUDA", naam="Bibliotheek Gouda")
    oudewater = Organisation.objects.create(code="BIB-OUDEWATER", naam="Bibliotheek Oudewater")

    for suffix, naam, postcode, ido in RDAM_BRANCHES:
        loc = Location.objects.create(
            organisation=rdam, code=f"RDAM-{suffix}", naam=naam, postcode=postcode, plaats="Rotterdam",
            address=DEMO_ADDRESSES[f"RDAM-{suffix}"], gemeente=gm["GM0599"],
        )
        _hours(loc, all_day=suffix == "CENTRAAL", ido=ido)
    Location.objects.create(organisation=rdam, code="RDAM-SCHOOL-REGENBOOG", naam="Basisschool De Regenboog (ouderspreekuur)",
                            kind=LocationKind.OUTREACH, postcode="3074 AB", plaats="Rotterdam", gemeente=gm["GM0599"],
                            address=DEMO_ADDRESSES["RDAM-SCHOOL-REGENBOOG"])
    Location.objects.create(organisation=rdam, code="RDAM-VOEDSELBANK-ZUID", naam="Voedselbank Rotterdam-Zuid",
                            kind=LocationKind.OUTREACH, postcode="3083 AB", plaats="Rotterdam", gemeente=gm["GM0599"],
                            address=DEMO_ADDRESSES["RDAM-VOEDSELBANK-ZUID"])

    gouda_main = Location.objects.create(organisation=gouda, code="GOUDA-CHOCOLADEFABRIEK", naam="Bibliotheek Gouda (Chocoladefabriek)",
                                         postcode="2802 AB", plaats="Gouda", address="Klein Amerika 20", gemeente=gm["GM0513"])
    _hours(gouda_main, all_day=False, ido=True)
    zuidplas = Location.objects.create(organisation=gouda, code="GOUDA-NIEUWERKERK", naam="Bibliotheek Nieuwerkerk aan den IJssel",
                                       postcode="2912 AB", plaats="Nieuwerkerk aan den IJssel", gemeente=gm["GM1892"],
                                       address=DEMO_ADDRESSES["GOUDA-NIEUWERKERK"])
    _hours(zuidplas, all_day=False, ido=True)
    village = Location.objects.create(organisation=oudewater, code="OUDEWATER", naam="Bibliotheek Oudewater",
                                      postcode="3421 AB", plaats="Oudewater", gemeente=gm["GM0589"],
                                      address=DEMO_ADDRESSES["OUDEWATER"])
    _hours(village, all_day=False, ido=True)

    LocalCode.objects.create(organisation=rdam, list="instantie", code="WONEN_WOONSTAD", label="Woonstad Rotterdam", national_code="WONEN")
    LocalCode.objects.create(organisation=rdam, list="instantie", code="GEMEENTE_ROTTERDAMPAS", label="Rotterdampas", national_code="GEMEENTE")

    users = get_user_model()
    central = Location.objects.get(code="RDAM-CENTRAAL")
    specs = {
        "medewerker": dict(role=Role.MEDEWERKER, organisation=rdam, default_location=central, first_name="Sanne", last_name="de Boer"),
        "collega": dict(role=Role.MEDEWERKER, organisation=rdam, default_location=Location.objects.get(code="RDAM-ZUIDPLEIN"), first_name="Ahmed", last_name="Yilmaz"),
        "coordinator": dict(role=Role.COORDINATOR, organisation=rdam, default_location=central, first_name="Marieke", last_name="Visser"),
        "medewerker-gouda": dict(role=Role.MEDEWERKER, organisation=gouda, default_location=gouda_main, first_name="Joost", last_name="Bakker"),
        "coordinator-gouda": dict(role=Role.COORDINATOR, organisation=gouda, default_location=gouda_main, first_name="Ineke", last_name="Smit"),
        "medewerker-oudewater": dict(role=Role.MEDEWERKER, organisation=oudewater, default_location=village, first_name="Kees", last_name="Mulder"),
        "gemeente": dict(role=Role.GEMEENTE, first_name="Fatima", last_name="El Amrani"),
        "landelijk": dict(role=Role.LANDELIJK, first_name="Pieter", last_name="Hendriks"),
        "partner": dict(role=Role.PARTNER, first_name="Lotte", last_name="Jansen"),
        "beheerder": dict(role=Role.BEHEERDER, is_staff=True, is_superuser=True, first_name="Rob", last_name="Kok"),
    }
    for username, fields in specs.items():
        user = users(username=username, **fields)
        user.set_password(DEMO_PASSWORD)
        user.save()
        if username == "gemeente":
            user.gemeenten.set([gm["GM0599"]])
    # Coordinates, visitor information, outreach sessions and a closure for the public pages.
    add_demo_schedule()
    return {o.code: o for o in (rdam, gouda, oudewater)}
