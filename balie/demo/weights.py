"""The shape of IDO desk demand, as relative weights: where and when visitors come, and what they ask.

What IDO desks report: DigiD is the top question, about 6 in 10 visitors are 65 or older, the tax season
(March-May) is busy, Tuesday and Thursday are the busy days and most questions are solved on the spot.
Used by the demo registrations and by bench/signals.py (which simulates the same demand).
"""

from __future__ import annotations

import datetime as dt

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
