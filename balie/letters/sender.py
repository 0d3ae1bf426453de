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
from functools import lru_cache

from balie.messagecheck import senders
from balie.messagecheck.domains import DomainRegister

from .namevote import (
    ACRONYM,
    WORD,
    Candidate,
    acronyms_as_website,
    confirm_with_domains,
    key,
    merge_misreadings,
    spelled_as_website,
    spelling,
)
from .ocrwords import tidy
from .senderlines import (
    DATE_OR_SUBJECT,
    ORG_STEMS,
    PARTICLES,
    is_address,
    is_department,
    is_label,
    is_person,
    is_slogan,
    is_title,
    looks_like_org,
)

HEAD_LINES = 18  # the letterhead and the address blocks are in the first lines; the body starts at "Geachte"
MIN_SCORE = 4  # one clear position (letterhead with an organisation word, Afzender, namens, payee) is enough
MAX_NAME = 70

# A speck or two at the left edge that OCR read as letters ("Ee Met vriendelijke groeten,", "EE namens X"), or a misread
# "Met" ("Mot vriendelijke groet,"), is skipped.
_SPECK = r"^(?:[^\s]{1,3}\s+)?"
CLOSING = re.compile(_SPECK + r"(?:(met )?(vriendelijke|hartelijke|beleefde) groet(en)?|hoogachtend|met een vriendelijke groet|groet(en)?,)",
                     re.IGNORECASE)
# The salutation ends the letterhead; OCR may read a speck before it.
# "Aan de bewoner," greets; "Aan de bewoner(s) van" over an address is the addressee.
SALUTATION = re.compile(r"^\W{0,3}\s*(geachte|beste|l\.s\.|aan de bewoner(?:s)?\s*[,:]?\s*$)", re.IGNORECASE)
# "namens het X", "namens de X" (not "namens Deurwaarderskantoor X" cut to "urwaarderskantoor").
# Also after the signer's title: "jeugdarts, namens GGD Gelderland-Zuid".
NAMENS = re.compile(_SPECK + r"\s*(?:[^,]{2,40},\s*)?(?:namens|uit naam van)\s+(?:(?:het|de)\s+)?(.{3,80}?)\s*[,.]?\s*$", re.IGNORECASE)
# OCR reads the colon as a full stop or a semicolon ("Afzender. Heidewijk Incasso").
POSTBUS = re.compile(r"^\s*postbus\s+\d", re.IGNORECASE)  # a line that starts the sender's postal address
AFZENDER = re.compile(r"^\s*(?:afzender|retouradres|verzonden door|van)\s*[:;.]\s*(.{3,120})$", re.IGNORECASE)
# OCR reads the full stops of "t.n.v." as commas ("t‚n.v.") or drops them ("tnv.").
PAYEE = re.compile(r"(?:\bt[.,‚]\s?n[.,‚]\s?v[.,‚]?|\btnv\b\.?|\bten name van|\bten gunste van|\bNL\d{2}\s?[A-Z]{4}(?:\s?\d){10}\s+van)\s+(?:de\s+|het\s+)?"
                   r"([^.,;\n]{3,70})", re.IGNORECASE)
# "namens het college van burgemeester en wethouders van de gemeente Ede", "het dagelijks bestuur van Waterschap Aa":
# the organisation is the gemeente or the water board, not its board.
BOARD = re.compile(r"^(?:het\s+|de\s+)?(?:college\s+van\s+)?(?:burgemeester\s+en\s+wethouders|b\s?&\s?w|(?:dagelijks\s+)?bestuur|"
                   r"raad\s+van\s+(?:bestuur|toezicht)|directie|"
                   r"gedeputeerde\s+staten)\s+van\s+(?:de\s+gemeente\s+|het\s+|de\s+)?(.+)$", re.IGNORECASE)
SIGNED_BY_TEAM = re.compile(r"^(?:team|afdeling|klantenservice)\s+([A-ZÀ-Ý][^,|]{2,60})$", re.IGNORECASE)
# "www.x.nl", "https://x.nl", "info@x.nl", and a bare "x.nl" as a letterhead prints it under a logo.
DOMAIN = re.compile(r"(?:www\.|https?://|@|(?<![\w.@/-]))([a-z0-9-]{2,63})\.(?:nl|com|org|eu|net|info|frl|amsterdam|nu|be)\b", re.IGNORECASE)
# A "www." whose full stop OCR lost and whose letters it misread ("wewdainmond.nl", "vwwboorrebrug.nl") is not a clean website.
GARBLED_WWW = re.compile(r"^[wv][a-z]?[wv]", re.IGNORECASE)
_CUT = re.compile(r"\s*(?:\||•|·|<|\(|,\s*(?=postbus|\d|[^,]{2,40}\s\d)|\s{3,})", re.IGNORECASE)  # where the name ends on a line
DEPARTMENT_TAIL = re.compile(r"(?<=\w)(?:\s*/\s*[A-Z][\w ]{2,30}|\s+(?:klantenservice|klantcontact|klantenteam|ledenservice|"
                             r"te\s+(?:'s-)?[A-Z][\w-]+)(?:\s+(?:B\.?\s?V\.?|N\.?\s?V\.?))?|,?\s+(?:een\s+)?(?:onderdeel|dochter)\s+van\s.+)\s*$",
                             re.IGNORECASE)


def _clean(raw: str, running: bool = False) -> str:
    name = _CUT.split(raw.strip(), maxsplit=1)[0]
    name = re.sub(r"^(afzender|namens|uit naam van)\s*:?\s*", "", name, flags=re.IGNORECASE)
    board = BOARD.match(name.strip())
    if board:
        place = board.group(1).strip(" ,.")
        is_municipality = re.search(r"burgemeester|b\s?&\s?w", name, re.IGNORECASE) and not place.lower().startswith("gemeente")
        name = f"Gemeente {place}" if is_municipality else place
    name = name.strip(" ,;:-–—\t")
    # "Eneco Klantenservice", "Belastingdienst/Particulieren", "CJIB te Leeuwarden": the organisation, not its desk or town.
    name = DEPARTMENT_TAIL.sub("", name) or name
    # A lone capital after a word is a speck OCR read at the edge of the page ("Gemeente Beemsterstroom E"); not "B V".
    name = re.sub(r"(?<=[^\W\d_]{3})\s+[A-ZÀ-Ý]$", "", name)
    if name.endswith(".") and not re.search(r"\b(?:[A-Z]\.){1,3}$|\b(?:Zn|Co|St)\.$", name):
        name = name.rstrip(".")  # a full stop, not the end of "B.V." or "& Zn."
    # In running text ("t.n.v. X onder vermelding van ...") the name ends at the first ordinary word; a line of its own
    # may hold lower-case words ("Stichting tot Behoud ...").
    return (_until_lowercase_word(name) if running else name)[:MAX_NAME]




def _until_lowercase_word(name: str) -> str:
    """A name ends at the first ordinary word: 'Woonbedrijf Ieder1 onder vermelding van ...' -> 'Woonbedrijf Ieder1'."""
    words = name.split()
    for i, word in enumerate(words[1:], start=1):
        if word[0].islower() and word.lower() not in PARTICLES:
            return " ".join(words[:i]).rstrip(" ,.;:")
    return name


def _plausible(name: str) -> bool:
    words = WORD.findall(name)
    if not words or len(words) > 9 or not any(c.isalpha() for c in name):
        return False
    if is_person(name) or is_title(name) or is_address(name) or DATE_OR_SUBJECT.match(name):
        return False
    if re.search(r"\d{3,}", name):
        return False  # a postbus, house or postcode number: an address line OCR garbled ("Pasta 322 2IBE"), not a name
    # "'s-Hertogenbosch Wonen", "'t Gooi Zorg": a name may start with the old article; "gemeente Almelo" as a logo writes
    # the kind in lower case before the capitalised name.
    bare = re.sub(r"^['’][st][- ]", "", name)
    kind_first = len(words) >= 2 and ORG_STEMS.match(words[0]) is not None and words[1][:1].isupper()
    return bare[:1].isupper() or bare[:1].isdigit() or kind_first


class _Evidence:
    def __init__(self) -> None:
        self.candidates: dict[tuple[str, ...], Candidate] = {}

    def add(self, raw: str, score: int, source: str, line: int, running: bool = False) -> None:
        name = _clean(raw, running)
        if not _plausible(name):
            return
        name = name[:1].upper() + name[1:]  # "gemeente Almelo" from a logo is "Gemeente Almelo"
        words = key(name)
        if not words:
            return
        cand = self.candidates.setdefault(words, Candidate(name))
        if cand.name.isupper() and not name.isupper() and not name.islower() and not ACRONYM.match(cand.name):
            cand.name = name  # "KlikNet" in the footer, not "KLIKNET" from the logo: the name as it is written in a sentence
        cand.support(source, score)
        if cand.readings.get(line, ("", 0, ""))[1] < score:
            cand.readings[line] = (name, score, source)

    def merged(self) -> list[Candidate]:
        """Names that are one another's beginning ("Duinwaard" in the signature, "Duinwaard Drinkwater N.V." on top) are one.
        It is written as the weightiest position writes it: "CZ" on top rather than "CZ zorgverzekeraar" under the
        signature, "Belastingdienst" rather than "Belastingdienst en" read on from a payee line; the longer name when
        it weighs as much ("Duinwaard Drinkwater N.V." on top, "Duinwaard" signed)."""
        result: list[Candidate] = []
        own: dict[int, int] = {}  # result index -> the weight of the name it is written as
        for words, cand in sorted(self.candidates.items(), key=lambda kv: -len(kv[0])):
            for at, other in enumerate(result):
                if key(other.name)[:len(words)] == words:
                    for source, score in cand.by_source.items():
                        other.support(source, score)
                    if cand.score > own[at]:
                        other.name, other.readings, own[at] = cand.name, dict(cand.readings), cand.score
                    break
            else:
                own[len(result)] = cand.score
                result.append(Candidate(cand.name, dict(cand.by_source), dict(cand.readings)))
        return result


def head_end(lines: list[str]) -> int:
    """The number of the first line after the letterhead: the salutation's, or HEAD_LINES without one."""
    for i, line in enumerate(lines[:HEAD_LINES * 2]):
        if SALUTATION.match(line):
            return i
    return min(len(lines), HEAD_LINES)


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-empty lines, each with the number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for i, line in enumerate([*lines, ""]):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append((i - len(current), current))
            current = []
    return blocks


def _columns(blocks: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Blocks whose lines hold two columns parted by a wide gap (OCR joins a letterhead beside the addressee into one
    line: "Mevrouw A. de Vries   Woonstichting X") as two blocks, the left column first."""
    result: list[tuple[int, list[str]]] = []
    for start, block in blocks:
        # "Onderwerp       Vaststelling subsidie ...", "Zaaknummer      2025-014388": a label and its value, not two columns.
        parts = [[p[0]] if len(p) > 1 and is_label(p[0]) else p for p in (re.split(r"\s{3,}", line, maxsplit=1) for line in block)]
        if all(len(p) == 1 for p in parts):
            result.append((start, block))
            continue
        result.append((start, [p[0] for p in parts if p[0].strip()]))
        right = [(at, p[1]) for at, p in enumerate(parts, start=start) if len(p) > 1 and p[1].strip()]
        result.append((right[0][0], [text for _, text in right]))
    return result


# A logo set as two words with a bar between them ("provincie | GELDERLAND", "gemeente | Loon op Zand").
LOGO_BAR = re.compile(r"^\s*([^\W\d_]+)\s*[|]\s*([^\W\d_][^|]{1,40}?)\s*$")


def _logo_words(m: re.Match[str]) -> str:
    """"provincie | GELDERLAND" as a name is written in a sentence: "provincie Gelderland"."""
    kind, name = m.group(1), m.group(2)
    if name.isupper() and not kind.isupper():
        name = " ".join(w.capitalize() if len(w) > 3 else w.lower() for w in name.split())
    return f"{kind} {name}"


def _letterhead(lines: list[str], evidence: _Evidence, known: dict[tuple[str, ...], str]) -> None:
    blocks = _columns(_blocks([LOGO_BAR.sub(_logo_words, line) for line in lines[:head_end(lines)]]))
    for number, (start, block) in enumerate(blocks):
        first = block[0]
        if is_person(first) or DATE_OR_SUBJECT.match(first):
            continue  # the addressee's block, or the date and reference lines
        has_address = any(is_address(line) for line in block[1:5])
        if number == 0 and len(block) == 1 and len(blocks) > 1 and looks_like_org(first) and not is_department(first):
            # A name alone on top with an address block right after it (OCR put a blank line under a large or bold
            # name): the address is the name's ("Belastingdienst" / "Sector Financiën, Postbus 1902"), unless the block
            # after it is the addressee's.
            after = blocks[number + 1][1]
            has_address = not is_person(after[0]) and any(is_address(line) for line in after[1:5])
            if has_address and any(POSTBUS.match(line) for line in after[1:5]):
                evidence.add(first, 1, "postbus", start)  # its Postbus, though the department's line stands above it
        bonus = 1 if number == 0 else 0  # the very top of the letter
        for at, line in enumerate(block[:4], start=start):
            line = _after_label(line)
            if is_address(line) or is_title(line) or DATE_OR_SUBJECT.match(line):
                continue
            if is_slogan(line):
                continue  # "Zorg voor schoon water", "Samen werken aan goed wonen": a motto under the logo, not a name
            if is_department(line) and any(looks_like_org(other) and not is_department(other) for other in block[at - start + 1:4]):
                continue  # "BELASTINGEN" over "GEMEENTE TILBURG": the organisation is the line below
            if looks_like_org(line):
                # Only the first such line of a block: the next one is a department or a slogan ("Samen goed wonen").
                # A lone acronym without an address may be OCR noise from a logo or a shadow ("OENE"): it needs support.
                # A known organisation's acronym (DUO, CJIB) is a logo, not noise.
                lone_acronym = ACRONYM.match(line) and not has_address and _lower_words(line) not in known
                evidence.add(line, 3 if lone_acronym else 5 + bonus + (1 if has_address else 0), "briefhoofd", at)
                break
            elif line is first and (has_address or number == 0):
                # A bare name on top ("Vattenfall") or above an address: could be the addressee ("Jan Jansen" above
                # his street) as well, so it needs support from the signature, the footer or a website to win.
                single = len(WORD.findall(line)) == 1 and len(line) >= 3 and line.lower() not in PARTICLES
                evidence.add(line, 4 if single and has_address and number == 0 else 3, "briefhoofd", at)


def _after_label(line: str) -> str:
    """A one-word label OCR misread before a comma and an organisation's name ("Atmmader, Gemeente X, Postbus 1"
    for "Afzender: ..."; "Retouradres, ..."): the line from the name on."""
    label, sep, rest = line.partition(", ")
    if sep and len(WORD.findall(label)) == 1 and not looks_like_org(label) and looks_like_org(rest.split(",")[0]):
        return rest
    return line


def _signature(lines: list[str], evidence: _Evidence, known: dict[tuple[str, ...], str]) -> None:
    closing = max((i for i, line in enumerate(lines) if CLOSING.match(line.strip())), default=None)
    if closing is None:
        return
    for number, line in enumerate(lines[closing + 1:closing + 9], start=closing + 1):
        text = line.strip()
        if not text or _is_footer(text):
            continue  # a footer below the signature is read as a footer, not a second time as the signature
        m = NAMENS.match(text)
        if m:
            evidence.add(m.group(1), 6, "namens", number, running=True)
            continue
        team = SIGNED_BY_TEAM.match(text)
        if team and len(WORD.findall(team.group(1))) >= 2 and looks_like_org(team.group(1)):
            evidence.add(team.group(1), 4, "ondertekening", number)  # "Team Windkracht Energie": the team of that organisation
            continue
        for part in re.split(r",\s*|\s+[-–|]\s+", text):
            part = re.split(r"\s{3,}", part)[0]  # what OCR read far to the right of the name is another column or specks
            if not part:
                continue
            of_org = re.search(r"\bvan\s+(?:de\s+|het\s+)?([A-Z].{2,})$", part)
            if is_title(part) and of_org and looks_like_org(of_org.group(1)):
                evidence.add(of_org.group(1), 4, "ondertekening", number)  # "De directeur van de Belastingdienst"
                continue
            # "directeur Kinderopvang Het Speelbos", "penningmeester SV Hollandia Oost": a role, then whose it is.
            role_of = re.match(r"(\w+)\s+([A-ZÀ-Ý].{2,})$", part)
            if role_of and is_title(role_of.group(1)) and looks_like_org(role_of.group(2)) and not is_department(role_of.group(2)):
                evidence.add(role_of.group(2), 4, "ondertekening", number)
                continue
            if _lower_words(part) in known:  # a known name on a line of its own, in whatever case OCR read it ("uwv")
                evidence.add(known[_lower_words(part)], 5, "ondertekening", number)
                continue
            if is_person(part) or is_title(part) or is_address(part):
                continue
            # An unknown acronym may be a speck of the footer read as letters ("HEE"): it weighs less than a name.
            evidence.add(part, (4 if ACRONYM.match(part) else 5) if looks_like_org(part) else 2, "ondertekening", number)


def _is_footer(line: str) -> bool:
    line = re.sub(r"\s[·•]\s", " | ", line)  # "X N.V.  ·  KvK 27023707": another separator for the same footer
    return line.count("|") >= 2 or (" | " in line and is_address(line.split(" | ", 1)[1]))


def _afzender_and_footer(lines: list[str], evidence: _Evidence) -> None:
    for number, line in enumerate(lines):
        m = AFZENDER.match(line)
        if m:
            evidence.add(m.group(1), 8, "afzender", number)
        elif _is_footer(line):
            first = re.sub(r"\s[·•]\s", " | ", line).split("|", 1)[0]
            evidence.add(first, 4 if looks_like_org(first) else 3, "voettekst", number)


def _payee_and_postbus(text: str, lines: list[str], evidence: _Evidence) -> None:
    for m in PAYEE.finditer(text):
        evidence.add(m.group(1), 4, "rekening", text.count("\n", 0, m.start(1)), running=True)
    for i, line in enumerate(lines[1:], start=1):
        if POSTBUS.match(line) and lines[i - 1].strip() and not is_person(lines[i - 1]):
            evidence.add(lines[i - 1], 1, "postbus", i - 1)


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


def _alone_on_line(text: str, match: re.Match[str]) -> bool:
    start, end = text.rfind("\n", 0, match.start()) + 1, text.find("\n", match.end())
    return text[start:end if end >= 0 else len(text)].strip() == match.group(0).strip()


def find_sender(text: str, register: DomainRegister, line_confidence: dict[str, float] | None = None) -> str:
    """The organisation that wrote the letter, or '' when the letter does not say it clearly enough. `line_confidence`
    (OCR text only: line -> Tesseract's confidence) helps choose between two spellings of the name."""
    raw = text.splitlines()
    lines = [tidy(line) for line in raw]
    sure = {i: line_confidence[line.strip()] for i, line in enumerate(raw) if line_confidence and line.strip() in line_confidence}
    evidence = _Evidence()
    _letterhead(lines, evidence, _known_names(register))
    _signature(lines, evidence, _known_names(register))
    _afzender_and_footer(lines, evidence)
    _payee_and_postbus(text, lines, evidence)
    # Every website in the letter, as often as it is printed; OCR reads m as rn (www.dornmelstede.nl).
    found = list(DOMAIN.finditer(text))
    sites = [m.group(1).lower().replace("-", "") for m in found]
    sites += [d.replace("rn", "m") for d in sites if "rn" in d]
    clean = {m.group(1).lower().replace("-", "") for m in found if re.match(r"www\.|https?://|@", m.group(0), re.IGNORECASE)
             or (_alone_on_line(text, m) and not GARBLED_WWW.match(m.group(1)))}
    candidates = merge_misreadings(evidence.merged())
    acronyms_as_website(candidates, set(sites), _known_names(register))
    confirm_with_domains(candidates, set(sites))
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: (c.score, len(c.by_source)))
    if best.score < MIN_SCORE:
        return ""
    name = spelling(best, sites, sure)
    return _known_name(spelled_as_website(name, sites, best, clean), register) if name else ""
