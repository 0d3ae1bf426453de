"""Demo notes: short, anonymous, Dutch, and without digits (so never a date, number or address).

A note is a topic for the question, sometimes followed by how it ended, a referral or a detail.
"""

from __future__ import annotations

from collections.abc import Callable

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



def check_texts() -> None:
    """Every text is safe for the bulk load (no tab, newline or backslash) and holds no digit."""
    for texts in [*NOTE_TOPICS.values(), *NOTE_BY_ONDERWERP.values(), *NOTE_DETAIL.values(), *NOTE_OUTCOME.values(),
                  *NOTE_REFERRAL.values()]:
        for text in texts:
            assert not any(ch in text for ch in "\t\n\r\\") and not any(ch.isdigit() for ch in text), text


def _topics(instantie: str, key: str) -> list[str]:
    return NOTE_TOPICS.get((instantie, key)) or NOTE_BY_ONDERWERP.get(key) or NOTE_BY_ONDERWERP["OVERIG"]


def _one(rnd: Callable[[], float], options: list[str]) -> str:
    return options[int(rnd() * len(options))]


def note(rnd: Callable[[], float], *, instantie: str, onderwerp: str, detail: str, outcome: str) -> str:
    """A note for one question. Draws from ``rnd`` in a fixed order, so the same seed gives the same notes."""
    text = _one(rnd, _topics(instantie, detail if instantie == "DIGID" and detail else onderwerp))
    r = rnd()
    details = NOTE_DETAIL.get((instantie, detail or onderwerp))
    if outcome == "DOORVERWEZEN":
        refs = NOTE_REFERRAL.get(instantie) if rnd() < 0.5 else None
        refs = refs or NOTE_OUTCOME[outcome]
        return text + ", " + refs[int(r * len(refs))]
    if outcome != "OPGELOST" and r < 0.7:
        return text + ", " + _one(rnd, NOTE_OUTCOME[outcome])
    if details and r < 0.6:
        return text + ", " + _one(rnd, details)
    if r < 0.25:
        return text + ", " + _one(rnd, NOTE_OUTCOME[outcome])
    return text
