"""Repair the few words the letter rules lean on when OCR misread one letter of them.

A phone photo turns "uiterlijk" into "uiteriijk", "Afzender:" into "Mtzender.", "Hoogachtend" into "Huogschtend" and
"Teamleider" into "Teamieider". The rules that find deadlines, the letterhead, the signature and job titles then miss
the line, although a person reads it without effort. Only text that came from OCR is repaired (never pasted text), and
only words of at least six letters that are not themselves in the vocabulary and are close to exactly one word of it:
the vocabulary is the fixed wording of Dutch letters (labels, closings, deadline words, job titles) and the common
words for a kind of organisation ("Zongverzekoringen" in "Duinhof Zongverzekoringen"), never an organisation's own
name, so no sender or amount can be made up here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

# The fixed words the rules in explain.py and sender.py look for. Only these (all of eight letters or more) are ever
# written into the text; shorter words are too close to other real words ("betalen" / "bepalen" / "behalen").
TARGETS = frozenset("""
afzender retouradres dagtekening verzenddatum onderwerp betalingskenmerk factuurnummer klantnummer dossiernummer
uiterlijk werkdagen kalenderdagen overmaken terugbetalen hoogachtend vriendelijke
teamleider medewerker medewerkster klantenservice klantcontactcentrum behandelaar incassomedewerker beleidsmedewerker
gerechtsdeurwaarder
zorgverzekeringen zorgverzekeraar verzekeringen verzekeraar woningcorporatie woonstichting woningstichting
waterschap hoogheemraadschap belastingen belastingdienst incassobureau deurwaarders energieleverancier
""".split())
# Real words next to a target: read as they are, never "repaired" into their neighbour.
KNOWN = TARGETS | frozenset("""
uiterlijke afzenders onderwerpen werkdag overmaakt teamleiders medewerkers medewerksters behandelaars vriendelijk
verzending verzenden verzonden ontvangen dagtekeningen
""".split())
INFLECTIONS = ("s", "en", "e", "n")
_TARGETS = sorted(TARGETS)
_TOKEN = re.compile(r"[^\W\d_]{6,}")


def nearest(word: str, vocabulary: Sequence[str], limit: int) -> tuple[list[str], int]:
    """The vocabulary words closest to ``word`` by edit distance, if within ``limit``, and that distance ([], -1: none).

    One rule for every OCR repair: fixed words here, month names in dates.py; each caller decides what a tie means.
    """
    found = process.extract(word, vocabulary, scorer=Levenshtein.distance, score_cutoff=limit, limit=None)
    if not found:
        return [], -1
    best = min(score for _, score, _ in found)
    return [choice for choice, score, _ in found if score == best], best


def _repair_word(match: re.Match[str]) -> str:
    word = match.group(0)
    low = word.lower()
    if low in KNOWN or any(low.endswith(end) and low[:-len(end)] in TARGETS for end in INFLECTIONS):
        return word  # a known word, or a plural or inflection of a target ("GERECHTSDEURWAARDERS", "medewerkers")
    # One wrong letter, or two in a word of eight letters or more when the length is right: OCR swaps letters
    # ("Mtzender" for "Afzender") far more often than it adds or drops two.
    closest, best = nearest(low, _TARGETS, 2 if len(low) >= 8 else 1)
    if len(closest) != 1 or abs(len(closest[0]) - len(low)) > (0 if best == 2 else 1):
        return word  # two words equally close, or a different length: leave it as read
    repaired = closest[0]
    if word.isupper():
        return repaired.upper()
    if word[0].isupper():
        repaired = repaired[0].upper() + repaired[1:]
    return repaired


def repair(text: str) -> str:
    """OCR text with misread fixed words of letters put right; everything else untouched."""
    return _TOKEN.sub(_repair_word, text)


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
