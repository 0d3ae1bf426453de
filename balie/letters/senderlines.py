"""What a line near a letter's letterhead or signature is: an organisation's name, a person, an address, a job title,
a department, a slogan. sender.py weighs the names it finds; these tell it which lines to skip."""

from __future__ import annotations

import re

from .namevote import ACRONYM, WORD

# Small words inside a name ("Stichting tot Behoud van ...", "'t Gooi") that do not end it.
PARTICLES = {"van", "de", "der", "den", "het", "en", "op", "aan", "voor", "'t", "’t", "te", "ter", "ten", "in", "&", "la", "le", "du"}
# Words that make a line an organisation's name rather than a person, a street or a job title. They are kinds of
# organisation (and legal forms), never names of particular organisations, so any housing association, insurer or
# collection agency is recognised. Stems: "Woonstichting", "Energiebedrijf", "Deurwaarderskantoor" contain them.
ORG_STEMS = re.compile(
    r"(gemeente|waterschap|hoogheemraadschap|wetterskip|provincie|ministerie|stichting|vereniging|corporatie|woning|wonen|"
    r"woon(?!plaats)|verzeker|energie|stroom|incasso|deurwaarder|advocat|notaris|bank\b|belasting|toeslagen|dienst\b|bureau|"
    r"kantoor|groep\b|holding|water|telecom|mobiel|zorg|ziekenhuis|school|universiteit|politie|rechtbank|college|fonds|"
    r"instituut|agentschap|beheer|service|collectie|finance|financ|kredi|lease|omroep|netbeheer|pensioen|opvang|praktijk|"
    r"apotheek|kliniek|centrum|huisarts|tandarts|fysiothera|thuiszorg|welzijn|club\b|bibliothe|academie|hogeschool|"
    r"makelaar|vervoer|parkeer|afval|gezondheid|jeugd|sport)",
    re.IGNORECASE,
)
LEGAL_FORM = re.compile(r"\b(B\.\s?V\.?|N\.\s?V\.?|V\.O\.F\.?|C\.V\.|U\.A\.|Ltd\.?|GmbH|BV|NV)(?=\s|,|$)")
PERSON = re.compile(
    r"^(de heer|heer|mevrouw|mevr\.?|mw\.?|dhr\.?|familie|fam\.|t\.?a\.?v\.?|aan\b|de bewoner|bewoner|geachte|beste|"
    r"(?:[A-Z]\.\s?){1,4}(?:(?:van|de|den|der|el|ter|ten|te|la|le|di|da|'t)\s+)*[A-ZÀ-Ý])",
)
TITLE = re.compile(
    r"^(teamleider|medewerker|medewerkster|afdeling|consulent|hoofd|manager|directeur|coördinator|coordinator|adviseur|"
    r"behandelaar|beleidsmedewerker|klantcontact|klantenservice|team\b|sector|cluster|unit|namens de directie|de directeur|"
    r"secretaris|burgemeester|wethouder|deurwaarder\b|gerechtsdeurwaarder\b|kandidaat|incassomedewerker|accountmanager|"
    r"penningmeester|voorzitter|rector|directrice|bestuurder\b|apotheker)",
    re.IGNORECASE,
)
ADDRESS = re.compile(
    r"^(postbus|antwoordnummer|bezoekadres|postadres|correspondentieadres|telefoon|tel\b|t\b|e-?mail|e\b|fax|kvk|iban|btw|"
    r"internet|website|www\.|http|\d{4}\s?[A-Z]{2}\b|[^,]{2,40}\s\d{1,5}\s?[a-zA-Z]?(?:[-\s]\d+)?(?:\s*,\s*[^,\d]{2,40})?$)",
    re.IGNORECASE,
)
DATE_OR_SUBJECT = re.compile(r"^(datum|dagtekening|onderwerp|betreft|ons kenmerk|uw kenmerk|kenmerk|geachte|beste|aan\b)", re.IGNORECASE)


# A label beside its value in the head ("Onderwerp       Vaststelling subsidie", "Zaaknummer      2025-014388").
LABEL_WORD = re.compile(r"(?i)(nummer|kenmerk|dossier|referentie|contract|datum|behandeld door|contactpersoon|telefoon|e-mail|"
                        r"bijlage\(?n?\)?|uw brief van)\s*:?\s*$")


def is_label(text: str) -> bool:
    return len(text.split()) <= 3 and bool(DATE_OR_SUBJECT.match(text.strip()) or LABEL_WORD.search(text))


def is_person(line: str) -> bool:
    return bool(PERSON.match(line.strip()))


# A street name alone on its line, its number misread or lost ("Schoolstraat }"): an address line, never a sender.
STREET_ONLY = re.compile(r"^[^\W\d_][\w'-]*(straat|laan|weg|plein|singel|gracht|kade|dijk|dreef|steeg|markt)\W{0,4}\d{0,4}\W{0,2}$",
                         re.IGNORECASE)


def is_address(line: str) -> bool:
    return (bool(ADDRESS.match(line.strip()) or STREET_ONLY.match(line.strip())) or "@" in line
            or bool(re.search(r"www\.|\.nl\b", line, re.IGNORECASE)))


def is_title(line: str) -> bool:
    return bool(TITLE.match(line.strip()))


def is_slogan(line: str) -> bool:
    """A sentence rather than a name: most words after the first are ordinary lower-case words, at least two of them."""
    words = line.split()[1:]
    ordinary = [w for w in words if w[0].islower() and w.lower() not in PARTICLES]
    return len(ordinary) >= 2 and 2 * len(ordinary) >= len(words)


def is_department(line: str) -> bool:
    """One word that is only a kind of organisation or service ("BELASTINGEN", "Heffingen", "Zorg"): a department
    over the name below it ("Gemeente Tilburg"), not a name itself."""
    words = WORD.findall(line)
    if len(words) != 1:
        return False
    if words[0].lower() in DEPARTMENTS:
        return True
    # The word is the kind itself, give or take an ending ("Belasting-en", "Energie"), not a name built on it ("Woonbron").
    m = ORG_STEMS.search(words[0])
    return m is not None and m.start() == 0 and len(words[0]) - (m.end() - m.start()) <= 3


DEPARTMENTS = {"heffingen", "invordering", "klantenservice", "belastingen", "financiën", "financien", "administratie", "debiteuren"}


def looks_like_org(name: str) -> bool:
    """An organisation's name: a kind-of-organisation word, a legal form, or an acronym (UWV, CJIB, DUO)."""
    return bool(ORG_STEMS.search(name) or LEGAL_FORM.search(name) or ACRONYM.match(name))
