"""The built-in Dutch lexicon: keywords that point to an instantie and/or an onderwerp.

It gives useful suggestions from the first note on (cold start), before an organisation has
registrations to learn from, and it keeps helping afterwards for words its own notes never used.

Matching is deliberately simple and fast (well under a millisecond): a keyword of five letters or
more also matches inside a longer word, which covers Dutch compounds ("toeslag" in "huurtoeslag",
"machtig" in "machtigingscode"); shorter keywords ("aow", "uwv", "sms") only match a whole word.
While typing, the last, unfinished word also matches a keyword it is the start of ("activa…").
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from balie.core.text import normalise

from .features import words

# keyword | instantie weights | onderwerp weights. Weights: 3 decisive, 2 strong, 1 a hint.
# Keywords are written without accents; notes are normalised the same way.
_TABLE = """
digid                    | DIGID 3                                   | INLOGGEN 1
activatiecode            | DIGID 3                                   | INLOGGEN 2
activeringscode          | DIGID 3                                   | INLOGGEN 2
activeren                | DIGID 1                                   | INLOGGEN 1
pincode                  | DIGID 1 BANK 0.5                          | INLOGGEN 1
sms                      | DIGID 1                                   | INLOGGEN 1
wachtwoord               | DIGID 1 ONLINE_DIENST 0.5                 | INLOGGEN 2
gebruikersnaam           | DIGID 1                                   | INLOGGEN 1.5
inloggen                 |                                           | INLOGGEN 3
ingelogd                 |                                           | INLOGGEN 2
inlog                    |                                           | INLOGGEN 2
geblokkeerd              | DIGID 1                                   | INLOGGEN 1
vergeten                 |                                           | INLOGGEN 1
id check                 | DIGID 2                                   | INLOGGEN 2
chip                     | DIGID 1                                   | INLOGGEN 1
koppelen                 | DIGID 1                                   | INLOGGEN 1
machtig                  | DIGID 1 BELASTINGDIENST 0.5               | MACHTIGEN 3
machtigingscode          | BELASTINGDIENST 2                         | MACHTIGEN 2
namens                   |                                           | MACHTIGEN 1.5
mijnoverheid             | MIJNOVERHEID 3                            |
mijn overheid            | MIJNOVERHEID 3                            |
berichtenbox             | MIJNOVERHEID 3                            | BERICHT 2
belastingdienst          | BELASTINGDIENST 3                         |
belastingtelefoon        | BELASTINGDIENST 3                         | CONTACT 2
belasting                | BELASTINGDIENST 1.5                       |
gemeentelijke belasting  | GEMEENTE 3                                | BETALEN 1
aangifte                 | BELASTINGDIENST 2                         | AANGIFTE 3
inkomstenbelasting       | BELASTINGDIENST 3                         | AANGIFTE 2
aanslag                  | BELASTINGDIENST 1.5 GEMEENTE 0.5 WATERSCHAP 0.5 | BERICHT 1 BETALEN 1
voorlopige aanslag       | BELASTINGDIENST 2                         | WIJZIGEN 1
blauwe envelop           | BELASTINGDIENST 3                         | BERICHT 2
teruggave                | BELASTINGDIENST 2                         | AANGIFTE 1
aftrek                   | BELASTINGDIENST 1                         | AANGIFTE 1
zorgkosten               | BELASTINGDIENST 1                         | AANGIFTE 1
uitstel                  | BELASTINGDIENST 1                         | AANGIFTE 1
kwijtschelding           | GEMEENTE 2 WATERSCHAP 1                   | AANVRAGEN 1 BETALEN 1
toeslag                  | TOESLAGEN 3                               |
kindgebonden budget      | TOESLAGEN 3                               |
voorschot                | TOESLAGEN 2                               | WIJZIGEN 1
beschikking              | TOESLAGEN 1.5 UWV 0.5                     | BERICHT 2
definitieve berekening   | TOESLAGEN 2                               | BERICHT 2
huishouden               | TOESLAGEN 1                               | WIJZIGEN 1
inkomen                  | TOESLAGEN 1 BELASTINGDIENST 0.5           | WIJZIGEN 1
uwv                      | UWV 3                                     |
ww                       | UWV 2                                     | AANVRAGEN 1
werkmap                  | UWV 3                                     |
wia                      | UWV 2                                     |
ziektewet                | UWV 2                                     |
wajong                   | UWV 2                                     |
werkzoekende             | UWV 2                                     | AANVRAGEN 0.5
uitkering                | UWV 1.5 SVB 0.5 GEMEENTE 0.5              | AANVRAGEN 1
svb                      | SVB 3                                     |
aow                      | SVB 3                                     | AANVRAGEN 1
kinderbijslag            | SVB 3                                     | AANVRAGEN 1
duo                      | DUO 3                                     |
studiefinanciering       | DUO 3                                     | AANVRAGEN 1
studieschuld             | DUO 3                                     | BETALEN 1
studielening             | DUO 3                                     | BETALEN 1
inburgering              | DUO 1.5 IND 0.5                           |
cjib                     | CJIB 3                                    | BETALEN 1
boete                    | CJIB 2                                    | BETALEN 2
aanmaning                | CJIB 1 BELASTINGDIENST 0.5                | BETALEN 1
rdw                      | RDW 3                                     |
kenteken                 | RDW 2                                     |
apk                      | RDW 2                                     |
rijbewijs                | RDW 1.5 GEMEENTE 1 CBR 0.5                | AANVRAGEN 1
cbr                      | CBR 3                                     |
gezondheidsverklaring    | CBR 3                                     | AANVRAGEN 1
rijexamen                | CBR 2                                     |
ind                      | IND 3                                     |
verblijfsvergunning      | IND 3                                     | AANVRAGEN 1
naturalisatie            | IND 2                                     | AANVRAGEN 1
cak                      | CAK 3                                     |
eigen bijdrage           | CAK 2                                     | BETALEN 1
gemeente                 | GEMEENTE 3                                |
paspoort                 | GEMEENTE 2                                | AANVRAGEN 1
identiteitskaart         | GEMEENTE 1.5                              | AANVRAGEN 1
verhuizing               | GEMEENTE 2                                | WIJZIGEN 2
verhuizen                | GEMEENTE 2                                | WIJZIGEN 2
verhuisd                 | GEMEENTE 1.5                              | WIJZIGEN 2
bijstand                 | GEMEENTE 2                                | AANVRAGEN 1
wmo                      | GEMEENTE 2                                | AANVRAGEN 1
afvalpas                 | GEMEENTE 2                                | AANVRAGEN 1
parkeervergunning        | GEMEENTE 2                                | AANVRAGEN 1
rotterdampas             | GEMEENTE 2                                | AANVRAGEN 1
stadspas                 | GEMEENTE 2                                | AANVRAGEN 1
schuldhulp               | GEMEENTE 1.5                              | BETALEN 1
wijkteam                 | GEMEENTE 1                                |
uittreksel               | GEMEENTE 2                                | AANVRAGEN 1
provincie                | PROVINCIE 3                               | INFORMATIE 1
subsidie                 | GEMEENTE 1 PROVINCIE 0.5 RIJK_OVERIG 0.5  | AANVRAGEN 1
waterschap               | WATERSCHAP 3                              | BETALEN 0.5
belastingsamenwerking    | WATERSCHAP 2                              | BETALEN 1
zorgverzekeraar          | ZORGVERZEKERAAR 3                         |
zorgverzekering          | ZORGVERZEKERAAR 3                         |
declar                   | ZORGVERZEKERAAR 2                         | DOCUMENTEN 2
eigen risico             | ZORGVERZEKERAAR 2                         | BETALEN 1
overstappen              | ZORGVERZEKERAAR 1 ENERGIE 1               | WIJZIGEN 1
zilveren kruis           | ZORGVERZEKERAAR 3                         |
menzis                   | ZORGVERZEKERAAR 3                         |
vgz                      | ZORGVERZEKERAAR 3                         |
huisarts                 | ZORGVERLENER 3                            | CONTACT 1
patientenportaal         | ZORGVERLENER 3                            | INLOGGEN 1
herhaalrecept            | ZORGVERLENER 3                            | CONTACT 1 AANVRAGEN 0.5
apotheek                 | ZORGVERLENER 2                            |
ziekenhuis               | ZORGVERLENER 2                            | CONTACT 1
tandarts                 | ZORGVERLENER 2                            | CONTACT 1
energie                  | ENERGIE 3                                 |
jaarafrekening           | ENERGIE 2                                 | BERICHT 1 BETALEN 1
termijnbedrag            | ENERGIE 2                                 | BETALEN 1 WIJZIGEN 1
meterstand               | ENERGIE 2                                 | WIJZIGEN 1
stroom                   | ENERGIE 1.5                               |
gas                      | ENERGIE 1.5                               |
woningcorporatie         | WONEN 3                                   |
woonstad                 | WONEN 3                                   |
woningzoekende           | WONEN 3                                   | AANVRAGEN 1
woning                   | WONEN 2                                   | AANVRAGEN 0.5
huurcontract             | WONEN 2                                   |
reparatieverzoek         | WONEN 2                                   | CONTACT 1
woonnet                  | WONEN 2                                   | AANVRAGEN 1
bank                     | BANK 3                                    |
bankier                  | BANK 3                                    |
bankpas                  | BANK 2                                    |
rabobank                 | BANK 3                                    |
abn amro                 | BANK 3                                    |
overschrijving           | BANK 2                                    | BETALEN 2
betaalpas                | BANK 2                                    |
ov                       | VERVOER 2                                 |
chipkaart                | VERVOER 3                                 | AANVRAGEN 0.5
ovpay                    | VERVOER 3                                 |
valys                    | VERVOER 3                                 | AANVRAGEN 1
ns                       | VERVOER 2                                 |
ret                      | VERVOER 2                                 |
reisplanner              | VERVOER 2                                 | APPARAAT 1
trein                    | VERVOER 2                                 |
telefoonabonnement       | TELECOM 3                                 |
abonnement               | TELECOM 1.5 ENERGIE 0.3                   |
provider                 | TELECOM 2                                 |
simkaart                 | TELECOM 2                                 | APPARAAT 1
kpn                      | TELECOM 3                                 |
odido                    | TELECOM 3                                 |
vodafone                 | TELECOM 3                                 |
ziggo                    | TELECOM 3                                 |
pensioen                 | PENSIOEN 3                                | INFORMATIE 1
abp                      | PENSIOEN 3                                |
webwinkel                | ONLINE_DIENST 3                           | VEILIGHEID 0.5
webshop                  | ONLINE_DIENST 3                           | VEILIGHEID 0.5
mailaccount              | ONLINE_DIENST 2                           | APPARAAT 1
mail                     | ONLINE_DIENST 0.5 GEEN 0.5                | APPARAAT 1
gmail                    | ONLINE_DIENST 2                           | APPARAAT 1
hotmail                  | ONLINE_DIENST 2                           | APPARAAT 1
outlook                  | ONLINE_DIENST 2                           | APPARAAT 1
whatsapp                 | ONLINE_DIENST 2                           | APPARAAT 1
facebook                 | ONLINE_DIENST 2                           | APPARAAT 1
marktplaats              | ONLINE_DIENST 2                           | VEILIGHEID 0.5
phishing                 |                                           | VEILIGHEID 3
nepbericht               |                                           | VEILIGHEID 3
nepmail                  |                                           | VEILIGHEID 3
nep                      |                                           | VEILIGHEID 2
oplicht                  |                                           | VEILIGHEID 3
fraude                   |                                           | VEILIGHEID 3
verdacht                 |                                           | VEILIGHEID 2
betrouwbaar              |                                           | VEILIGHEID 2
gehackt                  |                                           | VEILIGHEID 2
virus                    |                                           | VEILIGHEID 2
spam                     |                                           | VEILIGHEID 2
twijfel                  |                                           | VEILIGHEID 1
telefoon                 | GEEN 1                                    | APPARAAT 2
tablet                   | GEEN 2                                    | APPARAAT 2
laptop                   | GEEN 1.5                                  | APPARAAT 2
computer                 | GEEN 1.5                                  | APPARAAT 2
installeren              |                                           | APPARAAT 1
app                      |                                           | APPARAAT 0.5
bijwerken                | GEEN 0.5                                  | APPARAAT 1
wifi                     | GEEN 1                                    | APPARAAT 1
foto                     | GEEN 1                                    | APPARAAT 1
scan                     | GEEN 1                                    | DOCUMENTEN 2
scannen                  | GEEN 1                                    | DOCUMENTEN 2
gescand                  | GEEN 1                                    | DOCUMENTEN 2
upload                   |                                           | DOCUMENTEN 2
geupload                 |                                           | DOCUMENTEN 2
print                    | GEEN 1                                    | DOCUMENTEN 2
geprint                  | GEEN 1                                    | DOCUMENTEN 2
bijlage                  |                                           | DOCUMENTEN 1.5
pdf                      |                                           | DOCUMENTEN 1
kopie                    |                                           | DOCUMENTEN 1
document                 |                                           | DOCUMENTEN 1.5
bezwaar                  |                                           | BEZWAAR 3
klacht                   |                                           | BEZWAAR 2
niet eens                |                                           | BEZWAAR 1
gebeld                   |                                           | CONTACT 2
bellen                   |                                           | CONTACT 2
afspraak                 |                                           | CONTACT 1.5 AANVRAGEN 0.5
contactformulier         |                                           | CONTACT 2
doorverbonden            |                                           | CONTACT 1
informatie               |                                           | INFORMATIE 2
opgezocht                |                                           | INFORMATIE 1.5
opzoeken                 |                                           | INFORMATIE 1.5
wegwijs                  |                                           | INFORMATIE 1.5
website                  |                                           | INFORMATIE 1
overzicht                |                                           | INFORMATIE 1
aanvra                   |                                           | AANVRAGEN 2
aangevraagd              |                                           | AANVRAGEN 2
inschrijven              |                                           | AANVRAGEN 1.5
ingeschreven             |                                           | AANVRAGEN 1.5
verlengen                |                                           | AANVRAGEN 1.5
formulier                |                                           | AANVRAGEN 1 DOCUMENTEN 0.5
ingevuld                 |                                           | AANVRAGEN 1
wijzig                   |                                           | WIJZIGEN 3
doorgeven                |                                           | WIJZIGEN 1.5
doorgegeven              |                                           | WIJZIGEN 1.5
aangepast                |                                           | WIJZIGEN 1.5
aanpassen                |                                           | WIJZIGEN 1.5
brief                    |                                           | BERICHT 3
brieven                  |                                           | BERICHT 3
bericht                  |                                           | BERICHT 2
envelop                  |                                           | BERICHT 1
betal                    |                                           | BETALEN 2
betaald                  |                                           | BETALEN 2
schuld                   |                                           | BETALEN 2
regeling                 |                                           | BETALEN 1
termijn                  |                                           | BETALEN 1
incasso                  |                                           | BETALEN 1.5
"""

# A tie breaker when the note says nothing the lexicon knows: the national mix of questions.
PRIOR_INSTANTIE = {"DIGID": 0.03, "BELASTINGDIENST": 0.02, "TOESLAGEN": 0.01}
PRIOR_ONDERWERP = {"INLOGGEN": 0.03, "BERICHT": 0.02, "AANVRAGEN": 0.01}
# Below this length a keyword matches whole words only: "ov" must not match "over".
MIN_COMPOUND = 5
MIN_PARTIAL = 4


def _weights(spec: str) -> dict[str, float]:
    parts = spec.split()
    return {code: float(weight) for code, weight in zip(parts[::2], parts[1::2])}


@lru_cache(maxsize=1)
def entries() -> dict[str, tuple[dict[str, float], dict[str, float]]]:
    table: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
    for line in _TABLE.strip().splitlines():
        keyword, instantie, onderwerp = (part.strip() for part in line.split("|"))
        table[keyword] = (_weights(instantie), _weights(onderwerp))
    return table


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], list[str], list[str]]:
    """(whole word -> keyword, compound keywords, phrase keywords), built once per process."""
    whole, compound, phrases = {}, [], []
    for keyword in entries():
        if " " in keyword:
            phrases.append(keyword)
        else:
            whole[keyword] = keyword
            if len(keyword) >= MIN_COMPOUND:
                compound.append(keyword)
    return whole, compound, phrases


def matches(text: str, *, typing: bool = False) -> dict[str, float]:
    """Keyword -> strength (1 whole word or start of a word, 0.8 inside a compound, 0.5 unfinished word)."""
    tokens = words(text)
    whole, compound, phrases = _index()
    found: dict[str, float] = {}
    for token in tokens:
        if token in whole:
            # A word that is a keyword itself counts once, with its own weights: "telefoonabonnement"
            # is about the subscription, not also about the telephone inside the word.
            found[token] = 1.0
            continue
        if len(token) > MIN_COMPOUND:
            for keyword in compound:
                if keyword != token and keyword in token:
                    strength = 1.0 if token.startswith(keyword) else 0.8
                    found[keyword] = max(found.get(keyword, 0.0), strength)
    if phrases:
        joined = f" {' '.join(tokens)} "
        for phrase in phrases:
            if f" {phrase} " in joined:
                found[phrase] = 1.0
    # The last word may still be half-typed: "activa" is on its way to "activatiecode".
    if typing and tokens and not normalise(text).endswith((" ", ".", ",")) and len(tokens[-1]) >= MIN_PARTIAL:
        last = tokens[-1]
        for keyword in whole:
            if keyword.startswith(last) and keyword != last and keyword not in found:
                found[keyword] = 0.5
    return found


def score(text: str, *, typing: bool = False) -> tuple[dict[str, float], dict[str, float]]:
    """Raw lexicon evidence per code (not normalised); empty dicts when the note says nothing we know."""
    instantie: dict[str, float] = defaultdict(float)
    onderwerp: dict[str, float] = defaultdict(float)
    table = entries()
    for keyword, strength in matches(text, typing=typing).items():
        inst_weights, ond_weights = table[keyword]
        for code, weight in inst_weights.items():
            instantie[code] += weight * strength
        for code, weight in ond_weights.items():
            onderwerp[code] += weight * strength
    return dict(instantie), dict(onderwerp)


def all_codes() -> tuple[set[str], set[str]]:
    """Every code the lexicon can suggest, so a test can hold them against the national code lists."""
    instanties, onderwerpen = set(PRIOR_INSTANTIE), set(PRIOR_ONDERWERP)
    for inst_weights, ond_weights in entries().values():
        instanties |= set(inst_weights)
        onderwerpen |= set(ond_weights)
    return instanties, onderwerpen
