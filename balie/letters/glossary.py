"""Government jargon explained in B1 Dutch, and in plain English for an English page (the team's own glossary in
data/begrippen.csv: term, uitleg, uitleg_en). The term stays Dutch: it is the word in the letter."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "begrippen.csv"
# Abbreviations (BSN, WW, OZB) only in capitals: "ww" or "bsn" in running text is rarely the term.
_ABBREVIATION = re.compile(r"^[A-Z]{2,5}$")


@dataclass(frozen=True)
class Term:
    term: str
    uitleg: str
    uitleg_en: str = ""

    @property
    def uitleg_shown(self) -> str:
        """The explanation in the language of the page: English when the active language is English, else Dutch.

        Without Django settings (bench/letters.py, the management command's plain use) there is no page language: Dutch.
        """
        return self.uitleg_en if self.uitleg_en and _active_language().startswith("en") else self.uitleg


def _active_language() -> str:
    from django.conf import settings

    if not settings.configured:
        return "nl"
    from django.utils.translation import get_language

    return get_language() or "nl"


@lru_cache(maxsize=1)
def terms() -> dict[str, Term]:
    with GLOSSARY_FILE.open(encoding="utf-8") as fh:
        return {row["term"].lower(): Term(row["term"], row["uitleg"], (row.get("uitleg_en") or "").strip())
                for row in csv.DictReader(fh)}


def _forms(term: str) -> str:
    """The term plus the plural and inflected forms Dutch letters use (aanslagen, bewijsstukken, toeslagpartners)."""
    escaped = re.escape(term).replace(r"\ ", r"\s+")
    if _ABBREVIATION.match(term) or not term[-1].isalpha():
        return escaped
    endings = ["en", "s", "n", "e", re.escape(term[-1]) + "en"]
    return escaped + "(?:" + "|".join(endings) + ")?"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    entries = sorted(terms().values(), key=lambda t: len(t.term), reverse=True)  # longest first: "voorlopige aanslag" before "aanslag"
    words = [_forms(t.term) for t in entries if not _ABBREVIATION.match(t.term)]
    abbreviations = [re.escape(t.term) for t in entries if _ABBREVIATION.match(t.term)]
    lower = re.compile(r"(?<![\w-])(" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)
    upper = re.compile(r"(?<![\w-])(" + "|".join(abbreviations) + r")(?![\w])")
    return lower, upper


def _canonical(found: str) -> Term | None:
    table = terms()
    key = re.sub(r"\s+", " ", found.lower())
    if key in table:
        return table[key]
    # Strip the inflection we allowed in _forms to get back to the term.
    for cut in (3, 2, 1):
        if key[:-cut] in table:
            return table[key[:-cut]]
    return None


def find_terms(text: str) -> list[Term]:
    """Glossary terms in the text, each once, in order of first appearance."""
    lower, upper = _patterns()
    hits: list[tuple[int, Term]] = []
    for pattern in (lower, upper):
        for m in pattern.finditer(text):
            term = _canonical(m.group(1))
            if term is not None:
                hits.append((m.start(), term))
    seen: set[str] = set()
    result = []
    for _, term in sorted(hits, key=lambda h: h[0]):
        if term.term not in seen:
            seen.add(term.term)
            result.append(term)
    return result
