"""The same name read differently in different places of a photographed letter.

A phone photo names its sender in several places (letterhead, signature, footer, payee, website), and OCR misreads each
place on its own: "Dommeistede Zorgverzekeringen" on top, "Dommelstede Zorgverzekeringen" below. sender.py collects the
names per position and line; here names a letter or two apart (or one cut short at the photo's edge, "Belastingdien")
become one candidate whose evidence adds up, and its spelling is chosen by vote of the lines that give it and the
websites printed in the letter; when the lines are even, OCR's own confidence per line (for text read from a picture)
decides if it is clearly higher for one spelling. When the readings disagree
and nothing decides, no spelling is chosen: a wrong name sends the visitor to the wrong organisation, "not found" does not.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from .ocrwords import nearest

ACRONYM = re.compile(r"^[A-Z]{2,6}$")
WORD = re.compile(r"[A-Za-zÀ-ÿ0-9&'’]+")
GENERIC_WORDS = {"gemeente", "waterschap", "stichting", "woonstichting", "van", "de", "het", "en", "bv", "nv", "b", "v", "n", "groep",
                 "energie", "zorgverzekeringen", "verzekeringen", "incasso", "wonen", "hoogheemraadschap", "drinkwater", "mobiel",
                 "telecom", "gerechtsdeurwaarders", "energiebedrijf", "waterbedrijf", "incassobureau", "deurwaarderskantoor",
                 "woningcorporatie", "zorgverzekeraar", "woongroep", "stroom", "gas"}


@dataclass
class Candidate:
    name: str
    by_source: dict[str, int] = field(default_factory=dict)  # where the name was found -> how much that position weighs
    # line of the letter -> the name as read there, the weight and the kind of that position
    readings: dict[int, tuple[str, int, str]] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return sum(self.by_source.values())

    def support(self, source: str, score: int) -> None:
        # The same position twice (two footers, two payee lines) is one piece of evidence.
        self.by_source[source] = max(self.by_source.get(source, 0), score)


LEGAL_FORM_FIRST = {"stichting", "vereniging"}


def key(name: str) -> tuple[str, ...]:
    """The words that name an organisation: without its legal form ("B.V.", "N.V." after it; "Stichting" or "Vereniging"
    before it, as the letterhead leaves it out and the payee line writes it: "SG Noorderhaven", "Stichting SG Noorderhaven")."""
    words = tuple(w.lower() for w in WORD.findall(name) if w.lower() not in {"b", "v", "n", "bv", "nv"})
    return words[1:] if len(words) > 1 and words[0] in LEGAL_FORM_FIRST else words


def compact(name: str) -> str:
    return "".join(key(name))


def _distinctive(name: str) -> list[str]:
    return [w for w in key(name) if w not in GENERIC_WORDS and len(w) >= 3]


def _cut_short(a: str, b: str) -> bool:
    """One name is the other's beginning, cut within a word ("Belastingdien" at the photo's edge, "Belastingdienst")."""
    short, long = sorted((compact(a), compact(b)), key=len)
    return len(short) >= 8 and short != long and long.startswith(short)


def _one_name(a: str, b: str) -> bool:
    if _one_kind_two_letters(a, b) or _cut_short(a, b):
        return True
    a, b = compact(a), compact(b)
    if min(len(a), len(b)) < 8 or a == b:
        return a == b
    return Levenshtein.distance(a, b, score_cutoff=2) <= min(2, len(a) // 10)


def _one_kind_two_letters(a: str, b: str) -> bool:
    """The same kind of organisation ("Gemeente", "Woonstichting", or none) and an own name of eight letters or more
    two letters apart: a photo's small print ("Gemeente Vehrwevaart" in an Afzender line) and its signature ("namens
    Gemeente Veluwevaart") name one organisation. Which spelling is right is for the vote to say, not this merge."""
    kind_a, kind_b = [w for w in key(a) if w in GENERIC_WORDS], [w for w in key(b) if w in GENERIC_WORDS]
    own_a, own_b = "".join(_distinctive(a)), "".join(_distinctive(b))
    if kind_a != kind_b or min(len(own_a), len(own_b)) < 8:
        return False
    return Levenshtein.distance(own_a, own_b, score_cutoff=2) <= 2


def merge_misreadings(candidates: list[Candidate]) -> list[Candidate]:
    """Names one or two letters apart (at most 10 % of the name) are one candidate: their positions and lines add up.
    Two organisations with alike names ("Woonstichting Eikenhof", "Woonstichting Eikenhorst") stay apart."""
    result: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-c.score, -len(c.by_source))):
        for other in result:
            if _one_name(cand.name, other.name):
                for source, score in cand.by_source.items():
                    other.support(source, score)
                for line, reading in cand.readings.items():
                    other.readings.setdefault(line, reading)
                break
        else:
            result.append(Candidate(cand.name, dict(cand.by_source), dict(cand.readings)))
    return result


def confirm_with_domains(candidates: list[Candidate], domains: set[str]) -> None:
    """A website or e-mail domain in the letter that holds a distinctive word of one of the name's readings supports it."""
    for cand in candidates:
        names = {cand.name, *(reading[0] for reading in cand.readings.values())}
        if any(w in domain for name in names for w in _distinctive(name) for domain in domains):
            cand.support("website", 2)


def acronyms_as_website(candidates: list[Candidate], domains: set[str], known: Container[tuple[str, ...]]) -> None:
    """An acronym one letter from the letter's own short website is that website's name ("CIB" with www.cjib.nl), when
    that name is a known organisation's: the website may be the misread one ("CIB" with www.cijb.nl)."""
    for cand in candidates:
        if not ACRONYM.match(cand.name) or cand.name.lower() in domains:
            continue
        close = {d for d in domains if d.isalpha() and len(d) <= 6 and (d,) in known
                 and Levenshtein.distance(cand.name.lower(), d, score_cutoff=1) <= 1}
        if len(close) == 1:
            cand.name = close.pop().upper()
            cand.readings = {line: (cand.name, weight, source) for line, (_, weight, source) in cand.readings.items()}


SURER = 20.0  # points of OCR confidence by which one line's reading must beat the other's to decide a tie


def spelling(cand: Candidate, sites: list[str], sure: dict[int, float] | None = None) -> str:
    """The spelling most lines of the letter give (each printed website holding its distinctive word counts as one more
    line); a tie goes to the spelling OCR read with clearly more confidence (`sure`: line -> Tesseract's confidence,
    for text that came from OCR), then to the one with fewer accents (specks over letters are read as accents:
    "Poldermönd"), then to the letterhead's (printed larger than the rest, so OCR reads it best), then to the
    weightier position; else there is no answer ('')."""
    groups: dict[str, list[tuple[str, int, str]]] = {}
    lines: dict[str, list[int]] = {}
    spelled = {compact(reading[0]) for reading in cand.readings.values()}
    for line, reading in cand.readings.items():
        # A reading cut short at the photo's edge is a vote for the whole name it begins.
        whole = max((s for s in spelled if _cut_short(s, reading[0]) and len(s) > len(compact(reading[0]))), key=len,
                    default=compact(reading[0]))
        if whole != compact(reading[0]):
            reading = (next(r[0] for r in cand.readings.values() if compact(r[0]) == whole), reading[1], reading[2])
        groups.setdefault(whole, []).append(reading)
        lines.setdefault(whole, []).append(line)
    if len(groups) < 2:
        only = next(iter(groups), compact(cand.name))
        return cand.name if only == compact(cand.name) else groups[only][0][0]
    surest = _surest(groups, lines, sites, sure or {})
    if surest:
        return max(groups[surest], key=lambda reading: reading[1])[0]

    def rank(spelled: str) -> tuple[int, int, bool, int]:
        name = groups[spelled][0][0]
        on_site = sum(1 for site in sites if any(w in site for w in _distinctive(name)))
        large = any(source == "briefhoofd" for _, _, source in groups[spelled])
        return len(groups[spelled]) + on_site, -sum(1 for c in spelled if not c.isascii()), large, max(w for _, w, _ in groups[spelled])

    order = sorted(groups, key=rank, reverse=True)
    if rank(order[0]) == rank(order[1]):
        return ""
    return max(groups[order[0]], key=lambda reading: reading[1])[0]


def _lines_for(readings: list[tuple[str, int, str]], sites: list[str]) -> int:
    return len(readings) + sum(1 for site in sites if any(w in site for w in _distinctive(readings[0][0])))


def _surest(groups: dict[str, list[tuple[str, int, str]]], lines: dict[str, list[int]], sites: list[str],
            sure: dict[int, float]) -> str:
    """Among the spellings given by the most lines, the one whose surest line OCR read SURER points more surely than
    every other's ('' when a confidence is missing or none stands out)."""
    most = max(_lines_for(readings, sites) for readings in groups.values())
    tied = [spelled for spelled, readings in groups.items() if _lines_for(readings, sites) == most]
    if len(tied) < 2 or any(line not in sure for spelled in tied for line in lines[spelled]):
        return ""
    best = {spelled: max(sure[line] for line in lines[spelled]) for spelled in tied}
    top = max(tied, key=lambda spelled: best[spelled])
    return top if all(best[top] - SURER >= best[other] for other in tied if other != top) else ""


def spelled_as_website(name: str, sites: list[str], cand: Candidate, clean: set[str]) -> str:
    """A distinctive word of the name one letter (two, from ten letters) from a word in the letter's own website is
    spelled as the website has it ("Gemeente Gouwshorst" with www.gouwehorst.nl): the website is printed in small plain
    letters that OCR reads well. When two lines of the letter agree on the word, only a website read cleanly (with its
    "www.", "https://" or "@", or alone on its line) outweighs them: "Boornebrug" on top and in the signature is not
    respelled after "wvewboorrebrug.nl", whose "www." OCR misread as well."""
    words = name.split()
    domains = set(sites)
    for i, word in enumerate(words):
        low = word.lower()
        if len(low) < 6 or low in GENERIC_WORDS or not low.isalpha() or any(low in d for d in domains):
            continue
        agreeing = sum(1 for reading in cand.readings.values() if low in key(reading[0]))
        limit = 2 if len(low) >= 10 else 1
        spellings = {d[start:start + size] for d in domains for size in range(len(low) - limit, len(low) + limit + 1)
                     for start in range(0, max(0, len(d) - size) + 1)}
        close, _distance = nearest(low, sorted(s for s in spellings if s.isalpha()), limit)
        if len(close) == 1 and (agreeing < 2 or any(close[0] in site for site in clean)):
            words[i] = close[0].capitalize() if word[0].isupper() else close[0]
    return " ".join(words)
