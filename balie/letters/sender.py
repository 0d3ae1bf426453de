"""Who sent this letter? Read from where a letter says it: the letterhead, an 'Afzender:' line, the signature block
('Met vriendelijke groet' ... 'namens X'), the footer, and the account the money must go to ('t.n.v. X').

Organisations merely *mentioned* in the body ("Heeft u huurtoeslag van Dienst Toeslagen?") are never the sender: a
housing association's letter about rent arrears mentions Toeslagen, an insurer's letter mentions the CAK. So the
names come from the positions in the letter, for any organisation, not from a list; the list of known organisations
(the message check's register) is only used to write a known name the usual way ("Centraal Justitieel Incassobureau"
-> "CJIB"). Each position adds evidence; websites and e-mail addresses in the letter confirm a name that shares a word
with them. Without enough evidence the answer is "" and the page says we could not find it: a wrong sender is worse
than none, because the visitor may call the wrong organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from balie.messagecheck import senders
from balie.messagecheck.domains import DomainRegister

HEAD_LINES = 18  # the letterhead and the address blocks are in the first lines; the body starts at "Geachte"
MIN_SCORE = 4  # one clear position (letterhead with an organisation word, Afzender, namens, payee) is enough
MAX_NAME = 70

# Words that make a line an organisation's name rather than a person, a street or a job title. They are kinds of
# organisation (and legal forms), never names of particular organisations, so any housing association, insurer or
# collection agency is recognised. Stems: "Woonstichting", "Energiebedrijf", "Deurwaarderskantoor" contain them.
ORG_STEMS = re.compile(
    r"(gemeente|waterschap|hoogheemraadschap|wetterskip|provincie|ministerie|stichting|vereniging|corporatie|woning|wonen|"
    r"woon(?!plaats)|verzeker|energie|stroom|incasso|deurwaarder|advocat|notaris|bank\b|belasting|toeslagen|dienst\b|bureau|"
    r"kantoor|groep\b|holding|water|telecom|mobiel|zorg|ziekenhuis|school|universiteit|politie|rechtbank|college|fonds|"
    r"instituut|agentschap|beheer|service|collectie|finance|financ|kredi|lease|omroep|netbeheer|pensioen)",
    re.IGNORECASE,
)
LEGAL_FORM = re.compile(r"\b(B\.\s?V\.?|N\.\s?V\.?|V\.O\.F\.?|C\.V\.|U\.A\.|Ltd\.?|GmbH|BV|NV)(?=\s|,|$)")
ACRONYM = re.compile(r"^[A-Z]{2,6}$")
PERSON = re.compile(
    r"^(de heer|heer|mevrouw|mevr\.?|mw\.?|dhr\.?|familie|fam\.|t\.?a\.?v\.?|aan\b|de bewoner|bewoner|geachte|beste|"
    r"(?:[A-Z]\.\s?){1,4}(?:(?:van|de|den|der|el|ter|ten|te|la|le|di|da|'t)\s+)*[A-ZÀ-Ý])",
)
TITLE = re.compile(
    r"^(teamleider|medewerker|medewerkster|afdeling|consulent|hoofd|manager|directeur|coördinator|coordinator|adviseur|"
    r"behandelaar|beleidsmedewerker|klantcontact|klantenservice|team\b|sector|cluster|unit|namens de directie|de directeur|"
    r"secretaris|burgemeester|wethouder|deurwaarder\b|gerechtsdeurwaarder\b|kandidaat|incassomedewerker|accountmanager)",
    re.IGNORECASE,
)
ADDRESS = re.compile(
    r"^(postbus|antwoordnummer|bezoekadres|postadres|correspondentieadres|telefoon|tel\b|t\b|e-?mail|e\b|fax|kvk|iban|btw|"
    r"internet|website|www\.|http|\d{4}\s?[A-Z]{2}\b|[^,]{2,40}\s\d{1,5}\s?[a-zA-Z]?(?:[-\s]\d+)?$)",
    re.IGNORECASE,
)
DATE_OR_SUBJECT = re.compile(r"^(datum|dagtekening|onderwerp|betreft|ons kenmerk|uw kenmerk|kenmerk|geachte|beste|aan\b)", re.IGNORECASE)
CLOSING = re.compile(r"^(met )?(vriendelijke|hartelijke|beleefde) groet(en)?|^hoogachtend|^met een vriendelijke groet|^groet(en)?,",
                     re.IGNORECASE)
NAMENS = re.compile(r"^\s*(?:namens|uit naam van)\s+(?:het|de)?\s*(.{3,80}?)\s*[,.]?\s*$", re.IGNORECASE)
# OCR reads the colon as a full stop or a semicolon ("Afzender. Heidewijk Incasso").
AFZENDER = re.compile(r"^\s*(?:afzender|retouradres|verzonden door|van)\s*[:;.]\s*(.{3,120})$", re.IGNORECASE)
# OCR reads the full stops of "t.n.v." as commas ("t‚n.v.").
PAYEE = re.compile(r"(?:\bt[.,‚]\s?n[.,‚]\s?v[.,‚]?|\bten name van|\bten gunste van|\bNL\d{2}\s?[A-Z]{4}(?:\s?\d){10}\s+van)\s+(?:de\s+|het\s+)?"
                   r"([^.,;\n]{3,70})", re.IGNORECASE)
# "namens het college van burgemeester en wethouders van de gemeente Ede", "het dagelijks bestuur van Waterschap Aa":
# the organisation is the gemeente or the water board, not its board.
BOARD = re.compile(r"^(?:het\s+)?(?:college\s+van\s+)?(?:burgemeester\s+en\s+wethouders|b\s?&\s?w|(?:dagelijks\s+)?bestuur|"
                   r"gedeputeerde\s+staten)\s+van\s+(?:de\s+gemeente\s+|het\s+)?(.+)$", re.IGNORECASE)
# "www.x.nl", "https://x.nl", "info@x.nl", and a bare "x.nl" as a letterhead prints it under a logo.
DOMAIN = re.compile(r"(?:www\.|https?://|@|(?<![\w.@/-]))([a-z0-9-]{2,63})\.(?:nl|com|org|eu|net|info|frl|amsterdam|nu|be)\b", re.IGNORECASE)
_CUT = re.compile(r"\s*(?:\||•|·|<|\(|,\s*(?=postbus|\d|[^,]{2,40}\s\d)|\s{3,})", re.IGNORECASE)  # where the name ends on a line
_COMPACT = re.compile(r"[^a-z0-9]")
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9&'’]+")
GENERIC_WORDS = {"gemeente", "waterschap", "stichting", "woonstichting", "van", "de", "het", "en", "bv", "nv", "b", "v", "n", "groep",
                 "energie", "zorgverzekeringen", "verzekeringen", "incasso", "wonen", "hoogheemraadschap", "drinkwater", "mobiel",
                 "telecom", "gerechtsdeurwaarders", "energiebedrijf", "waterbedrijf", "incassobureau", "deurwaarderskantoor",
                 "woningcorporatie", "zorgverzekeraar", "woongroep", "stroom", "gas"}


@dataclass
class _Candidate:
    name: str
    by_source: dict[str, int] = field(default_factory=dict)  # where the name was found -> how much that position weighs

    @property
    def score(self) -> int:
        return sum(self.by_source.values())

    def support(self, source: str, score: int) -> None:
        # The same position twice (two footers, two payee lines) is one piece of evidence.
        self.by_source[source] = max(self.by_source.get(source, 0), score)


def _clean(raw: str, running: bool = False) -> str:
    name = _CUT.split(raw.strip(), maxsplit=1)[0]
    name = re.sub(r"^(afzender|namens|uit naam van)\s*:?\s*", "", name, flags=re.IGNORECASE)
    board = BOARD.match(name.strip())
    if board:
        place = board.group(1).strip(" ,.")
        is_municipality = re.search(r"burgemeester|b\s?&\s?w", name, re.IGNORECASE) and not place.lower().startswith("gemeente")
        name = f"Gemeente {place}" if is_municipality else place
    name = name.strip(" ,;:-–—\t")
    if name.endswith(".") and not re.search(r"\b(?:[A-Z]\.){1,3}$|\b(?:Zn|Co|St)\.$", name):
        name = name.rstrip(".")  # a full stop, not the end of "B.V." or "& Zn."
    # In running text ("t.n.v. X onder vermelding van ...") the name ends at the first ordinary word; a line of its own
    # may hold lower-case words ("Stichting tot Behoud ...").
    return (_until_lowercase_word(name) if running else name)[:MAX_NAME]


PARTICLES = {"van", "de", "der", "den", "het", "en", "op", "aan", "voor", "'t", "’t", "te", "ter", "ten", "in", "&", "la", "le", "du"}


def _until_lowercase_word(name: str) -> str:
    """A name ends at the first ordinary word: 'Woonbedrijf Ieder1 onder vermelding van ...' -> 'Woonbedrijf Ieder1'."""
    words = name.split()
    for i, word in enumerate(words[1:], start=1):
        if word[0].islower() and word.lower() not in PARTICLES:
            return " ".join(words[:i]).rstrip(" ,.;:")
    return name


def _key(name: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(name) if w.lower() not in {"b", "v", "n", "bv", "nv"})


def is_person(line: str) -> bool:
    return bool(PERSON.match(line.strip()))


def is_address(line: str) -> bool:
    return bool(ADDRESS.match(line.strip())) or "@" in line or bool(re.search(r"www\.|\.nl\b", line, re.IGNORECASE))


def is_title(line: str) -> bool:
    return bool(TITLE.match(line.strip()))


def is_slogan(line: str) -> bool:
    """A sentence rather than a name: most words after the first are ordinary lower-case words, at least two of them."""
    words = line.split()[1:]
    ordinary = [w for w in words if w[0].islower() and w.lower() not in PARTICLES]
    return len(ordinary) >= 2 and 2 * len(ordinary) >= len(words)


def looks_like_org(name: str) -> bool:
    """An organisation's name: a kind-of-organisation word, a legal form, or an acronym (UWV, CJIB, DUO)."""
    return bool(ORG_STEMS.search(name) or LEGAL_FORM.search(name) or ACRONYM.match(name))


def _plausible(name: str) -> bool:
    words = _WORD.findall(name)
    if not words or len(words) > 9 or not any(c.isalpha() for c in name):
        return False
    if is_person(name) or is_title(name) or is_address(name) or DATE_OR_SUBJECT.match(name):
        return False
    if re.search(r"\d{3,}", name):
        return False  # a postbus, house or postcode number: an address line OCR garbled ("Pasta 322 2IBE"), not a name
    return name[0].isupper() or name[0].isdigit()


class _Evidence:
    def __init__(self) -> None:
        self.candidates: dict[tuple[str, ...], _Candidate] = {}

    def add(self, raw: str, score: int, source: str, running: bool = False) -> None:
        name = _clean(raw, running)
        if not _plausible(name):
            return
        key = _key(name)
        if not key:
            return
        self.candidates.setdefault(key, _Candidate(name)).support(source, score)

    def merged(self) -> list[_Candidate]:
        """Names that are one another's beginning ("Duinwaard" in the signature, "Duinwaard Drinkwater N.V." on top) are one."""
        result: list[_Candidate] = []
        for key, cand in sorted(self.candidates.items(), key=lambda kv: -len(kv[0])):
            for other in result:
                okey = _key(other.name)
                if okey[:len(key)] == key:
                    for source, score in cand.by_source.items():
                        other.support(source, score)
                    break
            else:
                result.append(_Candidate(cand.name, dict(cand.by_source)))
        return result


def _head_end(lines: list[str]) -> int:
    for i, line in enumerate(lines[:HEAD_LINES * 2]):
        if re.match(r"^\s*(geachte|beste|l\.s\.|aan de bewoner)", line, re.IGNORECASE):
            return i
    return min(len(lines), HEAD_LINES)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _letterhead(lines: list[str], evidence: _Evidence) -> None:
    for number, block in enumerate(_blocks(lines[:_head_end(lines)])):
        first = block[0]
        if is_person(first) or DATE_OR_SUBJECT.match(first):
            continue  # the addressee's block, or the date and reference lines
        has_address = any(is_address(line) for line in block[1:5])
        bonus = 1 if number == 0 else 0  # the very top of the letter
        for line in block[:4]:
            if is_address(line) or is_title(line) or DATE_OR_SUBJECT.match(line):
                continue
            if is_slogan(line):
                continue  # "Zorg voor schoon water", "Samen werken aan goed wonen": a motto under the logo, not a name
            if looks_like_org(line):
                # Only the first such line of a block: the next one is a department or a slogan ("Samen goed wonen").
                # A lone acronym without an address may be OCR noise from a logo or a shadow ("OENE"): it needs support.
                lone_acronym = ACRONYM.match(line) and not has_address
                evidence.add(line, 3 if lone_acronym else 5 + bonus + (1 if has_address else 0), "briefhoofd")
                break
            elif line is first and (has_address or number == 0):
                # A bare name on top ("Vattenfall") or above an address: could be the addressee ("Jan Jansen" above
                # his street) as well, so it needs support from the signature, the footer or a website to win.
                evidence.add(line, 3, "briefhoofd")


def _signature(lines: list[str], evidence: _Evidence, known: dict[tuple[str, ...], str]) -> None:
    closing = max((i for i, line in enumerate(lines) if CLOSING.match(line.strip())), default=None)
    if closing is None:
        return
    for line in lines[closing + 1:closing + 9]:
        text = line.strip()
        if not text:
            continue
        m = NAMENS.match(text)
        if m:
            evidence.add(m.group(1), 6, "namens", running=True)
            continue
        for part in re.split(r",\s*|\s+[-–|]\s+", text):
            of_org = re.search(r"\bvan\s+(?:de\s+|het\s+)?([A-Z].{2,})$", part)
            if is_title(part) and of_org and looks_like_org(of_org.group(1)):
                evidence.add(of_org.group(1), 4, "ondertekening")  # "De directeur van de Belastingdienst"
                continue
            if _lower_words(part) in known:  # a known name on a line of its own, in whatever case OCR read it ("uwv")
                evidence.add(known[_lower_words(part)], 5, "ondertekening")
                continue
            if is_person(part) or is_title(part) or is_address(part):
                continue
            evidence.add(part, 5 if looks_like_org(part) else 2, "ondertekening")


def _afzender_and_footer(lines: list[str], evidence: _Evidence) -> None:
    for line in lines:
        m = AFZENDER.match(line)
        if m:
            evidence.add(m.group(1), 8, "afzender")
        elif line.count("|") >= 2 or (" | " in line and is_address(line.split(" | ", 1)[1])):
            first = line.split("|", 1)[0]
            evidence.add(first, 4 if looks_like_org(first) else 3, "voettekst")


def _payee_and_postbus(text: str, lines: list[str], evidence: _Evidence) -> None:
    for m in PAYEE.finditer(text):
        evidence.add(m.group(1), 4, "rekening", running=True)
    for i, line in enumerate(lines[1:], start=1):
        if re.match(r"^\s*postbus\s+\d+", line, re.IGNORECASE) and lines[i - 1].strip() and not is_person(lines[i - 1]):
            evidence.add(lines[i - 1], 1, "postbus")


def _confirm_with_domains(text: str, candidates: list[_Candidate]) -> None:
    domains = {m.group(1).lower().replace("-", "") for m in DOMAIN.finditer(text)}
    for cand in candidates:
        distinctive = [w for w in _key(cand.name) if w not in GENERIC_WORDS and len(w) >= 3]
        if any(w in domain for w in distinctive for domain in domains):
            cand.support("website", 2)


def _lower_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in re.findall(r"\w+(?:['’]\w+)?", text))


@lru_cache(maxsize=8)
def _known_names(register: DomainRegister) -> dict[tuple[str, ...], str]:
    names: dict[tuple[str, ...], str] = {}
    for org in senders.organisations(register):
        for variant in (org.name, *senders.ALIASES.get(org.name, ())):
            names.setdefault(_lower_words(variant), org.name)
    return names


def _known_name(name: str, register: DomainRegister) -> str:
    """A known organisation written the usual way: 'Centraal Justitieel Incassobureau' -> 'CJIB'."""
    return _known_names(register).get(_lower_words(name), name)


_JUNK_EDGE = re.compile(r"^(?:[^\w\s]{1,3}|[^\W\d_](?!\.))\s+|\s+(?:[^\w\s]{1,3}|[^\W\d_A-Z])$")  # a speck or a lone letter, not "A."


def tidy(line: str) -> str:
    """A line without the specks OCR reads at its edges from shadows and page borders ("Schoolstraat 90 Ì", "{ A. Bakker")."""
    line = line.strip()
    for _ in range(3):
        shorter = _JUNK_EDGE.sub("", line).strip()
        if shorter == line:
            break
        line = shorter
    return line


def find_sender(text: str, register: DomainRegister) -> str:
    """The organisation that wrote the letter, or '' when the letter does not say it clearly enough."""
    lines = [tidy(line) for line in text.splitlines()]
    evidence = _Evidence()
    _letterhead(lines, evidence)
    _signature(lines, evidence, _known_names(register))
    _afzender_and_footer(lines, evidence)
    _payee_and_postbus(text, lines, evidence)
    domains = {m.group(1).lower().replace("-", "") for m in DOMAIN.finditer(text)}
    domains |= {d.replace("rn", "m") for d in domains}  # OCR reads m as rn: www.dornmelstede.nl
    candidates = _merge_misreadings(evidence.merged(), domains)
    _confirm_with_domains(text, candidates)
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: (c.score, len(c.by_source)))
    if best.score < MIN_SCORE:
        return ""
    return _known_name(_spelled_as_website(best.name, domains), register)


# --- OCR: the same name read differently in different places -------------------------------------------------------------
# A photographed letter names its sender in several places (letterhead, signature, footer, payee, website), and OCR
# misreads each place on its own: "Dommeistede Zorgverzekeringen" on top, "Dommelstede Zorgverzekeringen" below. Names a
# letter or two apart are one name; its evidence adds up, and the spelling the website in the letter confirms wins.


def _compact(name: str) -> str:
    return "".join(_key(name))


def _one_name(a: str, b: str) -> bool:
    a, b = _compact(a), _compact(b)
    if min(len(a), len(b)) < 8 or a == b:
        return a == b
    return Levenshtein.distance(a, b, score_cutoff=2) <= min(2, len(a) // 10)


def _merge_misreadings(candidates: list[_Candidate], domains: set[str]) -> list[_Candidate]:
    result: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-c.score, -len(c.by_source))):
        for other in result:
            if _one_name(cand.name, other.name):
                for source, score in cand.by_source.items():
                    other.support(source, score)
                if _website_words(cand.name, domains) > _website_words(other.name, domains):
                    other.name = cand.name
                break
        else:
            result.append(_Candidate(cand.name, dict(cand.by_source)))
    return result


def _website_words(name: str, domains: set[str]) -> int:
    return sum(1 for w in _key(name) if w not in GENERIC_WORDS and len(w) >= 3 and any(w in d for d in domains))


def _spelled_as_website(name: str, domains: set[str]) -> str:
    """A distinctive word of the name one letter from a word in the letter's own website is spelled as the website has it
    ("Gemeente Gouwshorst" with www.gouwehorst.nl): the website is printed in small plain letters that OCR reads well."""
    words = name.split()
    for i, word in enumerate(words):
        low = word.lower()
        if len(low) < 6 or low in GENERIC_WORDS or not low.isalpha() or any(low in d for d in domains):
            continue
        spellings = {d[start:start + size] for d in domains for size in (len(low) - 1, len(low), len(low) + 1)
                     for start in range(0, max(0, len(d) - size) + 1)}
        close = [s for s in spellings if s.isalpha() and Levenshtein.distance(low, s, score_cutoff=1) <= 1]
        if len(close) == 1:
            words[i] = close[0].capitalize() if word[0].isupper() else close[0]
    return " ".join(words)
