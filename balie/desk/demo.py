"""Realistic, deterministic demo registrations for the demo network (``load_demo``).

The same seed (and the same day) always gives the same rows, on SQLite and PostgreSQL alike:
every random choice comes from one ``random.Random(seed)`` and ids are handed out in order.
The data follows what IDO desks report: DigiD is the top question, about 6 in 10 visitors are
65 or older, the tax season (March-May) is busy, Tuesday and Thursday are the busy days,
most questions are solved on the spot, and notes are short, anonymous and in Dutch.

It is fast because it bypasses the ORM: rows are built as text and loaded with COPY on
PostgreSQL and with one ``executemany`` per chunk on SQLite, in chunks so memory stays flat,
while a writer thread loads one chunk as the next is being generated.
"""

from __future__ import annotations

import datetime as dt
import math
import queue
import random
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from balie.accounts.models import Role
from balie.core import codelists
from balie.core.models import CodeList
from balie.network.models import HoursKind, LocalCode, Location

from .models import Question, Visit
from .validation import VRAAGSOORT_BY_LAAG

CHUNK_VISITS = 50_000
# Visits that are "in progress" today at the busiest location, so the desk's today list is not empty.
TODAY_HANDFUL = 6
GROWTH_PER_YEAR = 0.12

# --- where and when ---------------------------------------------------------------------
# Relative number of questions per open day. Unknown (newly added) locations get 1.
LOCATION_WEIGHTS = {
    "RDAM-CENTRAAL": 10.0, "RDAM-ZUIDPLEIN": 5.0, "RDAM-FEIJENOORD": 4.0, "RDAM-DELFSHAVEN": 4.0,
    "RDAM-CHARLOIS": 3.5, "RDAM-HOOGVLIET": 3.0, "RDAM-OMMOORD": 3.0, "RDAM-IJSSELMONDE": 3.0,
    "RDAM-PRINS-ALEXANDER": 2.0, "RDAM-KRALINGEN": 1.5, "RDAM-HILLEGERSBERG": 1.2, "RDAM-OOSTERFLANK": 1.2,
    "RDAM-OVERSCHIE": 1.0, "RDAM-LOMBARDIJEN": 1.0, "RDAM-PERNIS": 0.5, "RDAM-ROZENBURG": 0.7,
    "RDAM-NESSELANDE": 0.8, "RDAM-CROOSWIJK": 1.0, "RDAM-SCHIEBROEK": 0.9, "RDAM-NOORD": 1.3,
    "RDAM-AFRIKAANDERWIJK": 1.6, "RDAM-SCHOOL-REGENBOOG": 1.2, "RDAM-VOEDSELBANK-ZUID": 1.5,
    "GOUDA-CHOCOLADEFABRIEK": 4.0, "GOUDA-NIEUWERKERK": 1.5, "OUDEWATER": 0.6,
}
# Outreach locations have no weekly hours of their own: (weekday, start, end) in local time.
OUTREACH_HOURS = {
    "RDAM-SCHOOL-REGENBOOG": [(1, dt.time(8, 30), dt.time(10, 30))],  # ouderspreekuur after school drop-off
    "RDAM-VOEDSELBANK-ZUID": [(4, dt.time(10), dt.time(13))],
}
DEFAULT_OUTREACH_HOURS = [(2, dt.time(10), dt.time(12))]
DEFAULT_LIBRARY_HOURS = [(d, dt.time(10), dt.time(17)) for d in range(5)]
# Tuesday and Thursday are the busiest days, Saturday is quiet, Sunday closed.
WEEKDAY_FACTOR = (1.0, 1.25, 0.95, 1.2, 0.85, 0.45, 0.0)
# Tax season March-May ~30 % busier than the rest of the year; summer and December quiet.
MONTH_FACTOR = (0, 1.05, 1.0, 1.25, 1.32, 1.25, 0.95, 0.85, 0.8, 1.05, 1.1, 1.1, 0.9)
TAX_SEASON = (3, 4, 5)
# Peaks 10-12 and 14-15.
HOUR_WEIGHTS = {7: 0.2, 8: 0.5, 9: 0.7, 10: 1.25, 11: 1.3, 12: 0.75, 13: 0.8, 14: 1.2, 15: 0.95, 16: 0.7, 17: 0.3}

VISIT_SIZES = {1: 0.80, 2: 0.15, 3: 0.05}

# --- what ---------------------------------------------------------------------------------
INSTANTIE = {
    "DIGID": 25.0, "BELASTINGDIENST": 10.0, "TOESLAGEN": 8.0, "GEMEENTE": 7.5, "MIJNOVERHEID": 7.0, "UWV": 5.0,
    "ZORGVERZEKERAAR": 4.5, "BANK": 4.0, "GEEN": 4.0, "SVB": 3.0, "ZORGVERLENER": 2.5, "WONEN": 2.0,
    "CJIB": 1.5, "DUO": 1.5, "ENERGIE": 1.5, "VERVOER": 1.5, "ONLINE_DIENST": 1.5, "WATERSCHAP": 1.2,
    "IND": 1.0, "CAK": 1.0, "RDW": 1.0, "TELECOM": 1.0, "PENSIOEN": 1.0, "RIJK_OVERIG": 1.0, "OVERIG": 1.0,
    "CBR": 0.5, "PROVINCIE": 0.2,
}
TAX_SEASON_BOOST = {"BELASTINGDIENST": 3.5, "TOESLAGEN": 1.15}

ONDERWERP = {
    "DIGID": {"INLOGGEN": 60, "AANVRAGEN": 20, "MACHTIGEN": 8, "WIJZIGEN": 4, "VEILIGHEID": 3, "INFORMATIE": 3, "APPARAAT": 2},
    "BELASTINGDIENST": {"AANGIFTE": 22, "BERICHT": 30, "BETALEN": 20, "WIJZIGEN": 8, "MACHTIGEN": 7, "BEZWAAR": 5, "CONTACT": 4, "INFORMATIE": 4},
    "TOESLAGEN": {"WIJZIGEN": 30, "AANVRAGEN": 30, "BERICHT": 15, "BETALEN": 10, "BEZWAAR": 5, "INLOGGEN": 5, "CONTACT": 5},
    "GEMEENTE": {"AANVRAGEN": 35, "CONTACT": 15, "WIJZIGEN": 15, "BERICHT": 10, "BETALEN": 10, "INFORMATIE": 10, "BEZWAAR": 5},
    "MIJNOVERHEID": {"BERICHT": 45, "INLOGGEN": 25, "WIJZIGEN": 10, "INFORMATIE": 10, "APPARAAT": 10},
    "UWV": {"AANVRAGEN": 35, "WIJZIGEN": 20, "BERICHT": 15, "INLOGGEN": 10, "CONTACT": 10, "DOCUMENTEN": 10},
    "SVB": {"AANVRAGEN": 30, "BERICHT": 20, "WIJZIGEN": 20, "INLOGGEN": 10, "INFORMATIE": 10, "CONTACT": 10},
    "DUO": {"AANVRAGEN": 30, "BETALEN": 30, "BERICHT": 20, "INLOGGEN": 10, "WIJZIGEN": 10},
    "CJIB": {"BETALEN": 50, "BERICHT": 35, "BEZWAAR": 15},
    "RDW": {"AANVRAGEN": 40, "WIJZIGEN": 20, "BETALEN": 20, "INFORMATIE": 20},
    "CBR": {"AANVRAGEN": 50, "INFORMATIE": 30, "CONTACT": 20},
    "IND": {"AANVRAGEN": 50, "CONTACT": 20, "DOCUMENTEN": 20, "BERICHT": 10},
    "CAK": {"BERICHT": 40, "BETALEN": 40, "WIJZIGEN": 20},
    "RIJK_OVERIG": {"INFORMATIE": 40, "AANVRAGEN": 30, "BERICHT": 30},
    "PROVINCIE": {"INFORMATIE": 60, "AANVRAGEN": 40},
    "WATERSCHAP": {"BETALEN": 45, "BERICHT": 25, "AANVRAGEN": 20, "BEZWAAR": 10},
    "ZORGVERZEKERAAR": {"INLOGGEN": 25, "DOCUMENTEN": 25, "WIJZIGEN": 20, "AANVRAGEN": 15, "CONTACT": 15},
    "ZORGVERLENER": {"CONTACT": 35, "INLOGGEN": 30, "DOCUMENTEN": 20, "APPARAAT": 15},
    "ENERGIE": {"BERICHT": 30, "BETALEN": 30, "WIJZIGEN": 20, "CONTACT": 20},
    "WONEN": {"AANVRAGEN": 45, "INLOGGEN": 20, "CONTACT": 20, "BERICHT": 15},
    "BANK": {"INLOGGEN": 35, "VEILIGHEID": 25, "APPARAAT": 20, "BETALEN": 20},
    "VERVOER": {"AANVRAGEN": 40, "APPARAAT": 20, "BETALEN": 20, "INFORMATIE": 20},
    "TELECOM": {"APPARAAT": 40, "CONTACT": 30, "BETALEN": 30},
    "PENSIOEN": {"INFORMATIE": 40, "INLOGGEN": 30, "BERICHT": 30},
    "ONLINE_DIENST": {"APPARAAT": 40, "VEILIGHEID": 30, "INLOGGEN": 30},
    "GEEN": {"APPARAAT": 60, "DOCUMENTEN": 20, "VEILIGHEID": 10, "INFORMATIE": 10},
    "OVERIG": {"INFORMATIE": 50, "OVERIG": 30, "DOCUMENTEN": 20},
}
ONDERWERP_TAX_SEASON = {
    "BELASTINGDIENST": {"AANGIFTE": 72, "BERICHT": 9, "BETALEN": 5, "MACHTIGEN": 7, "WIJZIGEN": 3, "CONTACT": 2, "INFORMATIE": 2},
}
DIGID_LOGIN_DETAIL = {"APP": 30, "ACTIVEREN": 20, "HERSTEL": 20, "SMS": 12, "ID_CHECK": 6, "OVERIG": 5, "AANVRAGEN": 4, "MACHTIGEN": 3}
OTHER_LOGIN_DETAIL = {"APP": 45, "SMS": 20, "HERSTEL": 25, "OVERIG": 10}

KANAAL_SPREEKUUR = {"SPREEKUUR": 50, "INLOOP": 40, "TELEFOON": 6, "ONLINE": 4}
KANAAL_INLOOP = {"INLOOP": 85, "TELEFOON": 10, "ONLINE": 5}

LEEFTIJD = {"TOT_25": 4, "25_44": 12, "45_64": 22, "65_74": 33, "75_PLUS": 27, "ONBEKEND": 2}
TAAL = {"NL": 88, "EN": 3, "AR": 3, "TR": 2.5, "PL": 1.5, "UK": 1.5, "OVERIG": 0.5}
BEHOEFTE = {"FYSIEKE_HULP": 45, "BEVESTIGING": 18, "OVERHEIDSTAAL": 15, "WEGWIJS": 10, "BETROUWBAARHEID": 8, "STEUN": 4}
ACHTERLIGGEND = {"FINANCIEEL": 40, "TAAL": 25, "SOCIAAL": 12, "GEZONDHEID": 10, "MENTAAL": 8, "WONEN": 5}
COMPLEXITEIT = {"1": 35, "2": 40, "3": 18, "4": 7}
COMPLEXITEIT_WITH_PROBLEMS = {"1": 5, "2": 25, "3": 45, "4": 25}
UITKOMST_BY_COMPLEXITEIT = {
    "": {"OPGELOST": 72, "DEELS": 12, "DOORVERWEZEN": 12, "NIET_OPGELOST": 4},
    "1": {"OPGELOST": 86, "DEELS": 7, "DOORVERWEZEN": 5, "NIET_OPGELOST": 2},
    "2": {"OPGELOST": 74, "DEELS": 12, "DOORVERWEZEN": 10, "NIET_OPGELOST": 4},
    "3": {"OPGELOST": 50, "DEELS": 18, "DOORVERWEZEN": 24, "NIET_OPGELOST": 8},
    "4": {"OPGELOST": 30, "DEELS": 20, "DOORVERWEZEN": 38, "NIET_OPGELOST": 12},
}
DURATION_BY_COMPLEXITEIT = {
    "": {5: 12, 10: 30, 15: 28, 30: 18, 45: 7, 60: 5},
    "1": {5: 25, 10: 40, 15: 25, 30: 8, 45: 1, 60: 1},
    "2": {5: 8, 10: 30, 15: 35, 30: 20, 45: 5, 60: 2},
    "3": {5: 2, 10: 12, 15: 28, 30: 33, 45: 15, 60: 10},
    "4": {5: 1, 10: 5, 15: 15, 30: 30, 45: 24, 60: 25},
}
P_DETAILED = 0.70  # staff opened "meer over deze vraag"
P_DURATION = 0.80
P_ACHTERLIGGEND = 0.09
P_NOTE = 0.30
P_LOCAL_CODE = 0.5

# --- notes: short, anonymous, no digits (so never a date, number or address) -------------
NOTE_TOPICS: dict[tuple[str, str], list[str]] = {
    ("DIGID", "APP"): ["DigiD app installeren op nieuwe telefoon", "DigiD app koppelen na wissel van telefoon",
                       "Inloggen met de DigiD app lukte niet", "DigiD app vroeg om een nieuwe pincode"],
    ("DIGID", "ACTIVEREN"): ["DigiD activeren met de activatiecode uit de brief", "Activatiecode DigiD was verlopen",
                             "DigiD app activeren lukte niet"],
    ("DIGID", "HERSTEL"): ["Wachtwoord DigiD vergeten", "DigiD herstellen na te vaak een verkeerd wachtwoord",
                           "Gebruikersnaam DigiD kwijt"],
    ("DIGID", "SMS"): ["Sms-code van DigiD kwam niet aan", "Nieuw telefoonnummer voor de sms-controle doorgeven"],
    ("DIGID", "ID_CHECK"): ["ID-check in de DigiD app met paspoort", "ID-check lukte niet, chip van de identiteitskaart niet gelezen"],
    ("DIGID", "AANVRAGEN"): ["DigiD voor het eerst aangevraagd", "Nieuwe DigiD aanvragen na verhuizing"],
    ("DIGID", "MACHTIGEN"): ["Machtiging via DigiD Machtigen voor partner", "DigiD Machtigen voor zoon uitgelegd"],
    ("DIGID", "INLOGGEN"): ["Vraag over inloggen met DigiD", "Uitleg over veilig inloggen met DigiD"],
    ("DIGID", "WIJZIGEN"): ["Telefoonnummer in DigiD gewijzigd", "E-mailadres in DigiD aangepast"],
    ("DIGID", "VEILIGHEID"): ["Twijfel over een mail die van DigiD leek te komen", "Nepbericht over DigiD herkend"],
    ("DIGID", "INFORMATIE"): ["Uitleg wat DigiD is en waarvoor je het nodig hebt"],
    ("DIGID", "APPARAAT"): ["Telefoon klaargemaakt voor de DigiD app"],
    ("BELASTINGDIENST", "AANGIFTE"): ["Hulp bij aangifte inkomstenbelasting", "Aangifte inkomstenbelasting samen ingevuld",
                                      "Vooraf ingevulde aangifte gecontroleerd", "Aangifte voor partner gedaan",
                                      "Uitstel van aangifte aangevraagd"],
    ("BELASTINGDIENST", "BERICHT"): ["Brief van de Belastingdienst uitgelegd", "Blauwe envelop uitgelegd", "Voorlopige aanslag uitgelegd"],
    ("BELASTINGDIENST", "BETALEN"): ["Terugbetalen aan de Belastingdienst besproken", "Aanslag betalen via de website uitgelegd"],
    ("BELASTINGDIENST", "MACHTIGEN"): ["Machtiging voor dochter uitgelegd", "Machtigingscode aangevraagd voor familielid"],
    ("BELASTINGDIENST", "WIJZIGEN"): ["Voorlopige aanslag aangepast", "Wijziging in inkomen doorgegeven"],
    ("BELASTINGDIENST", "BEZWAAR"): ["Bezwaar tegen aanslag opgesteld"],
    ("BELASTINGDIENST", "CONTACT"): ["Samen de Belastingtelefoon gebeld"],
    ("TOESLAGEN", "WIJZIGEN"): ["Inkomen voor de huurtoeslag aangepast", "Wijziging in huishouden doorgegeven aan Toeslagen"],
    ("TOESLAGEN", "AANVRAGEN"): ["Zorgtoeslag aangevraagd", "Huurtoeslag aanvragen samen gedaan", "Kinderopvangtoeslag aanvragen uitgelegd"],
    ("TOESLAGEN", "BERICHT"): ["Beschikking van Toeslagen uitgelegd", "Brief over definitieve berekening uitgelegd"],
    ("TOESLAGEN", "BETALEN"): ["Terugbetalen van toeslag besproken"],
    ("GEMEENTE", "AANVRAGEN"): ["Bijzondere bijstand aanvragen", "Afspraak voor paspoort gemaakt", "Kwijtschelding gemeentelijke belastingen aangevraagd"],
    ("GEMEENTE", "WIJZIGEN"): ["Verhuizing online doorgegeven aan de gemeente"],
    ("GEMEENTE", "CONTACT"): ["Samen de gemeente gebeld voor een afspraak"],
    ("GEMEENTE", "BETALEN"): ["Aanslag gemeentelijke belastingen uitgelegd"],
    ("MIJNOVERHEID", "BERICHT"): ["Bericht in de Berichtenbox samen gelezen", "Berichtenbox van MijnOverheid uitgelegd"],
    ("MIJNOVERHEID", "INLOGGEN"): ["Inloggen op MijnOverheid samen gedaan"],
    ("MIJNOVERHEID", "WIJZIGEN"): ["E-mailmelding van de Berichtenbox aangezet"],
    ("UWV", "AANVRAGEN"): ["WW-uitkering aanvragen", "Werkmap bij UWV ingericht"],
    ("UWV", "WIJZIGEN"): ["Inkomsten doorgeven aan UWV"],
    ("UWV", "DOCUMENTEN"): ["Documenten geüpload bij UWV"],
    ("SVB", "AANVRAGEN"): ["AOW aanvragen bij de SVB", "Kinderbijslag aanvragen uitgelegd"],
    ("SVB", "WIJZIGEN"): ["Wijziging doorgegeven aan de SVB"],
    ("DUO", "BETALEN"): ["Terugbetalen studieschuld bij DUO besproken"],
    ("DUO", "AANVRAGEN"): ["Studiefinanciering aanvragen uitgelegd"],
    ("CJIB", "BERICHT"): ["Brief van CJIB uitgelegd"],
    ("CJIB", "BETALEN"): ["Brief van CJIB uitgelegd", "Boete betalen bij het CJIB"],
    ("CAK", "BERICHT"): ["Brief van het CAK over eigen bijdrage uitgelegd"],
    ("RDW", "AANVRAGEN"): ["Rijbewijs verlengen bij de gemeente uitgelegd"],
    ("CBR", "AANVRAGEN"): ["Gezondheidsverklaring bij het CBR ingevuld"],
    ("IND", "AANVRAGEN"): ["Verblijfsvergunning verlengen uitgelegd"],
    ("ZORGVERZEKERAAR", "DOCUMENTEN"): ["Nota's declareren in de app van de zorgverzekeraar"],
    ("ZORGVERZEKERAAR", "WIJZIGEN"): ["Overstappen van zorgverzekering besproken"],
    ("ZORGVERZEKERAAR", "INLOGGEN"): ["Inloggen bij de zorgverzekeraar met DigiD"],
    ("ZORGVERLENER", "CONTACT"): ["Afspraak bij de huisarts via de app gemaakt", "Herhaalrecept aangevraagd via het patiëntenportaal"],
    ("ZORGVERLENER", "INLOGGEN"): ["Inloggen op het patiëntenportaal"],
    ("ENERGIE", "BERICHT"): ["Jaarafrekening van de energieleverancier uitgelegd"],
    ("ENERGIE", "BETALEN"): ["Termijnbedrag energie aangepast"],
    ("WONEN", "AANVRAGEN"): ["Inschrijven als woningzoekende", "Reageren op woningen uitgelegd"],
    ("WONEN", "CONTACT"): ["Reparatieverzoek bij de woningcorporatie gedaan"],
    ("BANK", "INLOGGEN"): ["Bankieren-app op nieuwe telefoon gezet"],
    ("BANK", "VEILIGHEID"): ["Verdachte sms over de bank besproken", "Phishingmail herkend, niets ingevuld"],
    ("BANK", "BETALEN"): ["Overschrijving in de bankieren-app uitgelegd"],
    ("VERVOER", "AANVRAGEN"): ["Persoonlijke OV-chipkaart aangevraagd", "Valys-pas aanvragen uitgelegd"],
    ("VERVOER", "APPARAAT"): ["Reisplanner-app uitgelegd"],
    ("TELECOM", "APPARAAT"): ["Nieuwe telefoon ingesteld", "Telefoonabonnement in de app bekeken"],
    ("PENSIOEN", "INFORMATIE"): ["Pensioenoverzicht opgezocht"],
    ("ONLINE_DIENST", "APPARAAT"): ["E-mail op de telefoon ingesteld", "Wachtwoord van het e-mailaccount hersteld"],
    ("ONLINE_DIENST", "VEILIGHEID"): ["Twijfel over een webwinkel, betrouwbaarheid samen gecheckt"],
    ("GEEN", "APPARAAT"): ["Uitleg over de tablet", "Foto's van telefoon naar computer gezet", "Apps bijwerken op de telefoon"],
    ("GEEN", "DOCUMENTEN"): ["Document gescand en als bijlage gemaild", "Formulier geprint"],
    ("GEEN", "VEILIGHEID"): ["Uitleg over veilige wachtwoorden"],
}
NOTE_BY_ONDERWERP = {
    "INLOGGEN": ["Hulp bij inloggen", "Inloggen lukte thuis niet"],
    "MACHTIGEN": ["Machtiging voor familielid uitgelegd"],
    "AANVRAGEN": ["Hulp bij online aanvraag", "Formulier samen ingevuld"],
    "WIJZIGEN": ["Wijziging online doorgegeven"],
    "AANGIFTE": ["Hulp bij aangifte"],
    "BERICHT": ["Brief samen gelezen en uitgelegd", "Bericht uitgelegd"],
    "BETALEN": ["Betaling en termijnen besproken"],
    "BEZWAAR": ["Bezwaarschrift samen opgesteld"],
    "CONTACT": ["Samen gebeld met de instantie", "Contactformulier ingevuld"],
    "INFORMATIE": ["Informatie opgezocht op de website", "Wegwijs gemaakt op de website"],
    "VEILIGHEID": ["Twijfel over een bericht, samen gecheckt"],
    "APPARAAT": ["Uitleg over de telefoon"],
    "DOCUMENTEN": ["Documenten gescand en geüpload"],
    "OVERIG": ["Algemene vraag"],
}
NOTE_DETAIL: dict[tuple[str, str], list[str]] = {
    ("BELASTINGDIENST", "AANGIFTE"): ["machtiging voor dochter uitgelegd", "zorgkosten als aftrek besproken", "teruggave gecontroleerd"],
    ("CJIB", "BETALEN"): ["betalingsregeling aangevraagd"],
    ("CJIB", "BERICHT"): ["betalingsregeling aangevraagd"],
    ("DIGID", "ACTIVEREN"): ["activatiecode per brief aangevraagd"],
    ("DIGID", "APP"): ["activatiecode per brief aangevraagd", "app opnieuw gekoppeld"],
    ("TOESLAGEN", "WIJZIGEN"): ["voorschot aangepast"],
    ("TOESLAGEN", "BETALEN"): ["betalingsregeling aangevraagd"],
    ("BELASTINGDIENST", "BETALEN"): ["betalingsregeling aangevraagd"],
}
NOTE_OUTCOME = {
    "OPGELOST": ["gelukt", "samen afgerond", "bezoeker kan nu zelf verder", "opgelost"],
    "DEELS": ["komt terug met de brief", "deels gelukt, komt volgende week terug", "komt terug met de juiste papieren",
              "nog niet afgerond, vervolgafspraak gemaakt"],
    "DOORVERWEZEN": ["doorverwezen naar het Juridisch Loket", "warm doorverwezen naar schuldhulp van de gemeente",
                     "doorverwezen naar de sociaal raadslieden", "doorverwezen naar het wijkteam",
                     "samen de instantie gebeld en doorverbonden", "doorverwezen naar een cursus digitale vaardigheden"],
    "NIET_OPGELOST": ["lukte niet", "kon niet verder zonder de brief", "storing bij de instantie", "inloggegevens niet bij zich"],
}
NOTE_REFERRAL = {
    "BELASTINGDIENST": ["doorverwezen naar de Belastingtelefoon", "doorverwezen naar de belastinghulp van de ouderenbond"],
    "DIGID": ["doorverwezen naar de DigiD-helpdesk"],
    "TOESLAGEN": ["doorverwezen naar de sociaal raadslieden"],
}


class _Dist:
    """A categorical distribution picked with one uniform number (bisect over normalised cumulative weights)."""

    __slots__ = ("cum", "items")

    def __init__(self, weights: dict[Any, float] | Sequence[tuple[Any, float]]):
        pairs = [(k, float(w)) for k, w in (weights.items() if isinstance(weights, dict) else weights) if w > 0]
        if not pairs:
            raise ValueError("empty distribution")
        total = sum(w for _, w in pairs)
        self.items = [k for k, _ in pairs]
        acc, cum = 0.0, []
        for _, w in pairs:
            acc += w / total
            cum.append(acc)
        cum[-1] = 1.0  # random() < 1.0, so bisect never runs off the end
        self.cum = cum

    def pick(self, r: float) -> Any:
        return self.items[bisect_right(self.cum, r)]


def _restricted(weights: dict[str, float], allowed: set[str] | dict[str, str]) -> dict[str, float]:
    return {k: w for k, w in weights.items() if k in allowed}


@dataclass
class _Loc:
    pk: int
    code: str
    organisation_id: int
    outreach: bool
    weight: float
    windows: dict[int, tuple[int, int]]  # weekday -> (start, end) in seconds since local midnight
    spreekuur: dict[int, list[tuple[int, int]]]
    staff: _Dist | None
    default_staff: int | None
    hour_cache: dict[tuple[int, int], _Dist | None] = field(default_factory=dict)

    def hours(self, start: int, end: int) -> _Dist | None:
        """Hour distribution (peaks 10-12, 14-15) inside [start, end)."""
        key = (start, end)
        if key not in self.hour_cache:
            pairs = []
            for hour, w in HOUR_WEIGHTS.items():
                lo, hi = max(start, hour * 3600), min(end, (hour + 1) * 3600)
                if hi > lo:
                    pairs.append(((lo, hi), w * (hi - lo) / 3600))
            self.hour_cache[key] = _Dist(pairs) if pairs else None
        return self.hour_cache[key]


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _holidays(years: Iterable[int]) -> set[dt.date]:
    out: set[dt.date] = set()
    for y in years:
        easter = _easter(y)
        kings = dt.date(y, 4, 27)
        if kings.weekday() == 6:
            kings = dt.date(y, 4, 26)
        out |= {dt.date(y, 1, 1), easter + dt.timedelta(days=1), kings, easter + dt.timedelta(days=39),
                easter + dt.timedelta(days=50), dt.date(y, 12, 25), dt.date(y, 12, 26)}
    return out


def _locations() -> list[_Loc]:
    users = list(
        get_user_model().objects.filter(role__in=[Role.MEDEWERKER, Role.COORDINATOR], organisation__isnull=False, is_active=True)
        .order_by("username").values("pk", "role", "organisation_id", "default_location_id")
    )
    result = []
    for loc in Location.objects.filter(active=True, organisation__active=True).order_by("code").prefetch_related("weekly_hours"):
        windows: dict[int, tuple[int, int]] = {}
        spreekuur: dict[int, list[tuple[int, int]]] = {}
        slots = [(s.weekday, s.start, s.end, s.kind) for s in loc.weekly_hours.all()]
        if not slots:
            hours = OUTREACH_HOURS.get(loc.code, DEFAULT_OUTREACH_HOURS) if loc.is_outreach else DEFAULT_LIBRARY_HOURS
            slots = [(d, a, b, HoursKind.INLOOP) for d, a, b in hours]
        for weekday, start, end, kind in sorted(slots, key=lambda s: (s[0], s[1], s[2], s[3])):
            if weekday == 6 or end <= start:
                continue  # closed on Sunday, whatever the hours say
            lo, hi = windows.get(weekday, (_secs(start), _secs(end)))
            windows[weekday] = (min(lo, _secs(start)), max(hi, _secs(end)))
            if kind == HoursKind.SPREEKUUR:
                spreekuur.setdefault(weekday, []).append((_secs(start), _secs(end)))
        staff_weights = []
        default_staff = None
        for u in users:
            if u["organisation_id"] != loc.organisation_id:
                continue
            own = u["default_location_id"] == loc.pk
            staff_weights.append((u["pk"], 6.0 if own else (1.0 if u["role"] == Role.MEDEWERKER else 0.5)))
            if own and u["role"] == Role.MEDEWERKER and default_staff is None:
                default_staff = u["pk"]
        result.append(_Loc(
            pk=loc.pk, code=loc.code, organisation_id=loc.organisation_id, outreach=loc.is_outreach,
            weight=LOCATION_WEIGHTS.get(loc.code, 0.8 if loc.is_outreach else 1.0), windows=windows, spreekuur=spreekuur,
            staff=_Dist(staff_weights) if staff_weights else None, default_staff=default_staff,
        ))
    return result


# --- sinks: how a chunk of rows reaches the database --------------------------------------
VISIT_FIELDS = ("id", "uuid", "organisation_id", "location_id", "started_at", "kanaal", "codelist_version_id",
                "created_by_id", "created_at", "afterwards", "submission_key", "source")
QUESTION_FIELDS = ("id", "uuid", "visit_id", "organisation_id", "location_id", "started_at", "date", "kanaal",
                   "codelist_version_id", "position", "vraagsoort", "instantie", "instantie_local", "onderwerp",
                   "onderwerp_local", "digid_detail", "behoefteprofielen", "complexiteit", "achterliggend", "uitkomst",
                   "duration_minutes", "leeftijdsgroep", "taal", "note", "tally", "created_by_id", "created_at", "updated_at")


def _columns(model: type[models.Model], fields: Sequence[str]) -> tuple[list[str], list[Any]]:
    """Column names for our fields plus any column added to the model since: those get their default."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    missing = [name for name in fields if name not in by_attname]
    if missing:
        raise RuntimeError(f"{model.__name__} heeft geen kolom(men) {missing}; pas balie/desk/demo.py aan.")
    columns = [by_attname[name].column for name in fields]
    extras = []
    for name, f in by_attname.items():
        if name in fields:
            continue
        if not f.has_default() and not f.null and getattr(f, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED:
            raise RuntimeError(f"{model.__name__}.{name} is verplicht en heeft geen standaardwaarde; pas balie/desk/demo.py aan.")
        if f.has_default() or f.null:
            value = f.get_default() if f.has_default() else None
            columns.append(f.column)
            extras.append(f.get_db_prep_save(value, connection))
    return columns, extras


class _Sink:
    null: Any
    suffix: str  # appended to "YYYY-MM-DD HH:MM:SS" (UTC)

    def __init__(self, visit_columns: list[str], visit_extras: list[Any], question_columns: list[str], question_extras: list[Any]):
        self.visit_columns, self.question_columns = visit_columns, question_columns
        self.visit_extras, self.question_extras = visit_extras, question_extras

    def write(self, visits: list[tuple], questions: list[tuple]) -> None:
        raise NotImplementedError

    def finish(self, max_visit_id: int, max_question_id: int) -> None:
        pass


class _PostgresSink(_Sink):
    null = "\\N"
    suffix = "+00"

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.raw = connection.connection  # the psycopg 3 connection, inside Django's transaction
        self.visit_tail = "".join("\t" + self._text(v) for v in self.visit_extras) + "\n"
        self.question_tail = "".join("\t" + self._text(v) for v in self.question_extras) + "\n"

    @staticmethod
    def _text(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    def _copy(self, table: str, columns: list[str], rows: list[tuple], tail: str) -> None:
        sql = f'COPY {table} ({", ".join(connection.ops.quote_name(c) for c in columns)}) FROM STDIN'
        with self.raw.cursor() as cur, cur.copy(sql) as copy:
            # Rows hold text only (demo notes never contain tabs, newlines or backslashes).
            batch = 5000
            for i in range(0, len(rows), batch):
                copy.write("".join(["\t".join(r) + tail for r in rows[i:i + batch]]))

    def write(self, visits: list[tuple], questions: list[tuple]) -> None:
        self._copy(Visit._meta.db_table, self.visit_columns, visits, self.visit_tail)
        self._copy(Question._meta.db_table, self.question_columns, questions, self.question_tail)

    def finish(self, max_visit_id: int, max_question_id: int) -> None:
        with connection.cursor() as cur:
            for model in (Visit, Question):
                table = model._meta.db_table
                cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))", [table])
            # Fresh statistics, so the first page views after a bulk load get good plans.
            cur.execute(f"ANALYZE {Visit._meta.db_table}")
            cur.execute(f"ANALYZE {Question._meta.db_table}")


class _ExecuteManySink(_Sink):
    """SQLite (and any other backend): one executemany per chunk on the raw DB-API connection."""

    null = None
    suffix = ""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.raw = connection.connection
        self.visit_tail = tuple(self.visit_extras)
        self.question_tail = tuple(self.question_extras)
        style = "?" if connection.vendor == "sqlite" else "%s"

        def sql(model: type[models.Model], columns: list[str]) -> str:
            return (f'INSERT INTO {connection.ops.quote_name(model._meta.db_table)} '
                    f'({", ".join(connection.ops.quote_name(c) for c in columns)}) VALUES ({", ".join([style] * len(columns))})')

        self.visit_sql = sql(Visit, self.visit_columns)
        self.question_sql = sql(Question, self.question_columns)

    def write(self, visits: list[tuple], questions: list[tuple]) -> None:
        cur = self.raw.cursor()
        try:
            vt, qt = self.visit_tail, self.question_tail
            cur.executemany(self.visit_sql, [r + vt for r in visits] if vt else visits)
            cur.executemany(self.question_sql, [r + qt for r in questions] if qt else questions)
        finally:
            cur.close()


class _Pipeline:
    """Loads chunk k in a writer thread while the caller generates chunk k+1 (two cores: Python and the database)."""

    def __init__(self, sink: _Sink):
        self.sink = sink
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    self.sink.write(*item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread and re-raised there
                    self.error = exc

    def put(self, visits: list[tuple], questions: list[tuple]) -> None:
        if self.error is not None:
            self.close()
        self.queue.put((visits, questions))

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


# --- the generator ------------------------------------------------------------------------
def _start_date(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def generate(*, registrations: int, years: int, seed: int, now: dt.datetime | None = None) -> int:
    """Create ``registrations`` demo questions (in visits of 1-3) over the last ``years`` years. Returns the number created.

    Deterministic: the same seed and the same ``now`` (default: the current minute) give the same rows on any database.
    Nothing is dated after ``now``.
    """
    if registrations <= 0:
        return 0
    if years < 1:
        raise ValueError("years moet minstens 1 zijn")
    rng = random.Random(seed)
    rnd = rng.random
    bits = rng.getrandbits

    now = (now or timezone.now()).replace(second=0, microsecond=0)
    tz = ZoneInfo(settings.TIME_ZONE) if settings.USE_TZ else timezone.get_current_timezone()
    local_now = now.astimezone(tz)
    today = local_now.date()
    now_secs = local_now.hour * 3600 + local_now.minute * 60

    version = codelists.current_version()
    lists = {name: codelists.codes(version, name) for name in CodeList.values}
    laag = codelists.bestuurslagen(version)
    locs = [loc for loc in _locations() if loc.windows]
    if not locs:
        raise RuntimeError("Er is geen actieve locatie met openingstijden; draai eerst build_network().")
    local_codes: dict[tuple[int, str], list[str]] = {}
    for lc in LocalCode.objects.filter(active=True).order_by("organisation_id", "list", "code"):
        if lc.list == CodeList.INSTANTIE:
            local_codes.setdefault((lc.organisation_id, lc.national_code), []).append(lc.code)

    # Distributions, restricted to codes that exist (and are active) in the current version.
    inst_list = lists[CodeList.INSTANTIE]
    ond_list = lists[CodeList.ONDERWERP]
    inst_base = _Dist(_restricted(INSTANTIE, inst_list))
    inst_season = _Dist({k: w * TAX_SEASON_BOOST.get(k, 1.0) for k, w in _restricted(INSTANTIE, inst_list).items()})
    fallback_ond = {"INFORMATIE": 1.0} if "INFORMATIE" in ond_list else {next(iter(ond_list)): 1.0}

    def ond_dist(table: dict[str, dict[str, float]]) -> dict[str, _Dist]:
        return {i: _Dist(_restricted(ONDERWERP[i] if i not in table else table[i], ond_list) or fallback_ond) for i in inst_base.items}

    ond_base = ond_dist({})
    ond_season = ond_dist(ONDERWERP_TAX_SEASON)
    detail_list = lists[CodeList.DIGID_DETAIL]
    digid_login = _Dist(_restricted(DIGID_LOGIN_DETAIL, detail_list))
    other_login = _Dist(_restricted(OTHER_LOGIN_DETAIL, detail_list))
    has_detail = {"AANVRAGEN": "AANVRAGEN" in detail_list, "MACHTIGEN": "MACHTIGEN" in detail_list}
    vraagsoort = {i: ("OVERIG" if i == "OVERIG" else VRAAGSOORT_BY_LAAG.get(laag.get(i, ""), "OVERIG")) for i in inst_base.items}
    library_vraagsoort = "BIBLIOTHEEK" in lists[CodeList.VRAAGSOORT]
    kanaal_list = lists[CodeList.KANAAL]
    kanaal_spreekuur = _Dist(_restricted(KANAAL_SPREEKUUR, kanaal_list))
    kanaal_inloop = _Dist(_restricted(KANAAL_INLOOP, kanaal_list))
    kanaal_locatie = "LOCATIE" if "LOCATIE" in kanaal_list else "INLOOP"
    leeftijd = _Dist(_restricted(LEEFTIJD, lists[CodeList.LEEFTIJDSGROEP]))
    taal = _Dist(_restricted(TAAL, lists[CodeList.TAAL]))
    behoefte_order = list(lists[CodeList.BEHOEFTEPROFIEL])
    behoefte = _Dist(_restricted(BEHOEFTE, behoefte_order))
    achter_order = list(lists[CodeList.ACHTERLIGGEND])
    achter = _Dist(_restricted(ACHTERLIGGEND, achter_order))
    comp_list = lists[CodeList.COMPLEXITEIT]
    complexiteit = _Dist(_restricted(COMPLEXITEIT, comp_list))
    complexiteit_problems = _Dist(_restricted(COMPLEXITEIT_WITH_PROBLEMS, comp_list))
    uitkomst = {c: _Dist(_restricted(w, lists[CodeList.UITKOMST])) for c, w in UITKOMST_BY_COMPLEXITEIT.items()}
    duration = {c: _Dist(w) for c, w in DURATION_BY_COMPLEXITEIT.items()}
    sizes = _Dist(VISIT_SIZES)

    # Notes: (topic list, detail list) per (instantie, onderwerp or digid detail).
    def topics(inst: str, key: str) -> list[str]:
        return NOTE_TOPICS.get((inst, key)) or NOTE_BY_ONDERWERP.get(key) or NOTE_BY_ONDERWERP["OVERIG"]

    for texts in [*NOTE_TOPICS.values(), *NOTE_BY_ONDERWERP.values(), *NOTE_DETAIL.values(), *NOTE_OUTCOME.values(), *NOTE_REFERRAL.values()]:
        for text in texts:
            assert not any(ch in text for ch in "\t\n\r\\") and not any(ch.isdigit() for ch in text), text

    # --- days and their share of the registrations --------------------------------------
    start = _start_date(today, years)
    n_days = (today - start).days
    days = [start + dt.timedelta(days=i) for i in range(1, n_days + 1)]
    closed = _holidays(range(start.year, today.year + 1))
    weekday_weight = []
    for wd in range(7):
        weekday_weight.append(sum(loc.weight for loc in locs if wd in loc.windows) * WEEKDAY_FACTOR[wd])
    growth = math.log(1 + GROWTH_PER_YEAR) / 365.25
    weights = []
    for i, day in enumerate(days):
        w = 0.0 if day in closed else weekday_weight[day.weekday()] * MONTH_FACTOR[day.month] * math.exp(growth * i)
        weights.append(w * (0.85 + 0.3 * rnd()))

    # Today: only what has already happened, plus a handful at the busiest location "just now".
    wd_today = today.weekday()
    today_windows = {}
    if today not in closed:
        for loc in locs:
            if wd_today in loc.windows:
                lo, hi = loc.windows[wd_today]
                hi = min(hi, now_secs)
                if hi > lo:
                    today_windows[loc.pk] = (lo, hi)
    if today_windows and weights:
        full = sum(loc.weight * (loc.windows[wd_today][1] - loc.windows[wd_today][0]) for loc in locs if wd_today in loc.windows)
        elapsed = sum(loc.weight * (today_windows[loc.pk][1] - today_windows[loc.pk][0]) for loc in locs if loc.pk in today_windows)
        weights[-1] *= elapsed / max(full, 1)  # only the part of today that has already happened
    else:
        weights[-1] = 0.0
    top = max(locs, key=lambda loc: (loc.weight, -loc.pk))
    handful_window = None
    if top.default_staff and wd_today in top.windows and today not in closed:
        lo, hi = top.windows[wd_today]
        hi = min(hi, now_secs)
        if hi - lo < 1800:
            lo = max(7 * 3600, hi - 3600)
        if hi > lo:
            handful_window = (lo, hi)
    handful = min(TODAY_HANDFUL, max(1, registrations // 100), registrations) if handful_window else 0

    budget = registrations - handful
    total_w = sum(weights) or 1.0
    quotas, acc, given = [], 0.0, 0
    for w in weights:
        acc += w
        target = round(acc * budget / total_w)
        quotas.append(target - given)
        given = target
    quotas[-1] += budget - given  # rounding leftovers (only when every weight was zero)

    # --- writing ------------------------------------------------------------------------
    visit_columns, visit_extras = _columns(Visit, VISIT_FIELDS)
    question_columns, question_extras = _columns(Question, QUESTION_FIELDS)
    sink_cls = _PostgresSink if connection.vendor == "postgresql" else _ExecuteManySink
    pg = sink_cls is _PostgresSink
    null = sink_cls.null
    suffix = sink_cls.suffix
    hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
    version_id = str(version.pk) if pg else version.pk
    loc_text = {loc.pk: (str(loc.pk), str(loc.organisation_id)) if pg else (loc.pk, loc.organisation_id) for loc in locs}
    as_id: Callable[[int | None], Any] = (lambda v: null if v is None else str(v)) if pg else (lambda v: v)
    false, source = ("f" if pg else 0), "demo"
    mask_version = ~(0xF000 << 64) & ~(0xC000 << 48) & ((1 << 128) - 1)
    set_version = (0x4000 << 64) | (0x8000 << 48)

    created = 0
    with transaction.atomic():
        with connection.cursor() as cur:
            if pg:
                # Ids are handed out here, so nobody else may insert meanwhile.
                cur.execute(f"LOCK TABLE {Visit._meta.db_table}, {Question._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
                # Every foreign key we write was just read in this transaction or allocated by us, so the
                # per-row checks (deferred to COMMIT, ~40 s per million) add nothing. Skipping them needs a
                # superuser (or GRANT SET ON PARAMETER); without that the load is just slower.
                try:
                    with transaction.atomic():
                        cur.execute("SET LOCAL session_replication_role = replica")
                except DatabaseError:
                    pass
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Visit._meta.db_table}")
            visit_id = cur.fetchone()[0]
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Question._meta.db_table}")
            question_id = cur.fetchone()[0]
        sink = sink_cls(visit_columns, visit_extras, question_columns, question_extras)
        pipeline = _Pipeline(sink)
        try:
            visit_rows: list[tuple] = []
            question_rows: list[tuple] = []
            for day_index, day in enumerate(days):
                quota = quotas[day_index]
                is_today = day == today
                extra = handful if is_today else 0
                if quota <= 0 and not extra:
                    continue
                wd = day.weekday()
                if is_today:
                    open_locs = [loc for loc in locs if loc.pk in today_windows]
                    windows = today_windows
                else:
                    open_locs = [loc for loc in locs if wd in loc.windows]
                    windows = {loc.pk: loc.windows[wd] for loc in open_locs}
                if not open_locs:
                    open_locs, windows = [top], {top.pk: top.windows.get(wd) or next(iter(top.windows.values()))}
                loc_dist = _Dist([(loc, loc.weight) for loc in open_locs])
                in_season = day.month in TAX_SEASON
                inst_dist = inst_season if in_season else inst_base
                ond_dists = ond_season if in_season else ond_base
                # Opening hours are 07:00-18:00 local; the UTC offset is constant then (DST switches at night).
                offset = int(dt.datetime.combine(day, dt.time(12), tz).utcoffset().total_seconds())
                day_iso = day.isoformat()

                # Plan the day's visits: (seconds, location, size, staff), then sort them by time.
                plan = []
                left = quota
                while left > 0:
                    size = min(sizes.pick(rnd()), left)
                    left -= size
                    loc = loc_dist.pick(rnd())
                    lo, hi = windows[loc.pk]
                    hours = loc.hours(lo, hi)
                    if hours is None:
                        secs = lo + int(rnd() * (hi - lo))
                    else:
                        a, b = hours.pick(rnd())
                        secs = a + int(rnd() * (b - a))
                    staff = loc.staff.pick(rnd()) if loc.staff else None
                    plan.append((secs, loc, size, staff))
                if extra:
                    lo, hi = handful_window
                    for _ in range(extra):
                        plan.append((lo + int(rnd() * (hi - lo)), top, 1, top.default_staff))
                plan.sort(key=lambda p: (p[0], p[1].pk))

                for secs, loc, size, staff in plan:
                    visit_id += 1
                    vid = str(visit_id) if pg else visit_id
                    u = (bits(128) & mask_version) | set_version
                    utc_secs = secs - offset
                    if 0 <= utc_secs < 86400:
                        ts = f"{day_iso} {hms[utc_secs]}{suffix}"
                    else:  # only with unusual opening hours around midnight
                        moment = dt.datetime.combine(day, dt.time(), tz) + dt.timedelta(seconds=secs)
                        ts = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") + suffix
                    if loc.outreach:
                        kanaal = kanaal_locatie
                    else:
                        slots = loc.spreekuur.get(wd)
                        in_slot = bool(slots) and any(a <= secs < b for a, b in slots)
                        kanaal = (kanaal_spreekuur if in_slot else kanaal_inloop).pick(rnd())
                    loc_id, org_id = loc_text[loc.pk]
                    user = as_id(staff)
                    visit_rows.append((vid, f"{u:032x}", org_id, loc_id, ts, kanaal, version_id, user, ts, false, null, source))
                    # The visitor: one age group and language for all questions of the visit.
                    visitor_age = leeftijd.pick(rnd())
                    visitor_taal = taal.pick(rnd())
                    for position in range(1, size + 1):
                        question_id += 1
                        inst = inst_dist.pick(rnd())
                        ond = ond_dists[inst].pick(rnd())
                        detail = ""
                        if inst == "DIGID":
                            if ond == "INLOGGEN":
                                if rnd() < 0.9:
                                    detail = digid_login.pick(rnd())
                            elif ond in has_detail and has_detail[ond] and rnd() < 0.8:
                                detail = ond
                        elif ond == "INLOGGEN" and rnd() < 0.35:
                            detail = other_login.pick(rnd())
                        soort = vraagsoort[inst]
                        if inst == "GEEN" and ond == "DOCUMENTEN" and library_vraagsoort and rnd() < 0.5:
                            soort = "BIBLIOTHEEK"
                        inst_local = ""
                        locals_ = local_codes.get((loc.organisation_id, inst))
                        if locals_ and rnd() < P_LOCAL_CODE:
                            inst_local = locals_[int(rnd() * len(locals_))]
                        problems = ""
                        if rnd() < P_ACHTERLIGGEND:
                            first = achter.pick(rnd())
                            chosen = {first}
                            if rnd() < 0.15:
                                chosen.add(achter.pick(rnd()))
                            problems = "|" + "|".join(c for c in achter_order if c in chosen) + "|"
                        comp = age = lang = needs = ""
                        if rnd() < P_DETAILED:
                            comp = (complexiteit_problems if problems else complexiteit).pick(rnd())
                            if rnd() < 0.95:
                                age = visitor_age
                            if rnd() < 0.9:
                                lang = visitor_taal
                            if rnd() < 0.85:
                                chosen = {behoefte.pick(rnd())}
                                if rnd() < 0.2:
                                    chosen.add(behoefte.pick(rnd()))
                                needs = "|" + "|".join(c for c in behoefte_order if c in chosen) + "|"
                        outcome = uitkomst[comp].pick(rnd())
                        minutes = duration[comp].pick(rnd()) if rnd() < P_DURATION else None
                        note = ""
                        if rnd() < P_NOTE:
                            options = topics(inst, detail if inst == "DIGID" and detail else ond)
                            note = options[int(rnd() * len(options))]
                            r = rnd()
                            details = NOTE_DETAIL.get((inst, detail or ond))
                            if outcome == "DOORVERWEZEN":
                                refs = NOTE_REFERRAL.get(inst) if rnd() < 0.5 else None
                                refs = refs or NOTE_OUTCOME[outcome]
                                note += ", " + refs[int(r * len(refs))]
                            elif outcome != "OPGELOST" and r < 0.7:
                                opts = NOTE_OUTCOME[outcome]
                                note += ", " + opts[int(rnd() * len(opts))]
                            elif details and r < 0.6:
                                note += ", " + details[int(rnd() * len(details))]
                            elif r < 0.25:
                                opts = NOTE_OUTCOME[outcome]
                                note += ", " + opts[int(rnd() * len(opts))]
                        qu = (bits(128) & mask_version) | set_version
                        question_rows.append((
                            str(question_id) if pg else question_id, f"{qu:032x}", vid, org_id, loc_id, ts, day_iso, kanaal,
                            version_id, str(position) if pg else position, soort, inst, inst_local, ond, "", detail, needs, comp,
                            problems, outcome, (null if minutes is None else (str(minutes) if pg else minutes)), age, lang,
                            note, false, user, ts, ts,
                        ))
                    created += size
                if len(visit_rows) >= CHUNK_VISITS:
                    pipeline.put(visit_rows, question_rows)
                    visit_rows, question_rows = [], []
            if visit_rows:
                pipeline.put(visit_rows, question_rows)
        finally:
            pipeline.close()
        sink.finish(visit_id, question_id)
    return created
