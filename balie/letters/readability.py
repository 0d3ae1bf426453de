"""A readability indication for Dutch letters: Flesch-Douma plus sentence length and jargon.

We count syllables with pyphen's Dutch hyphenation dictionary (what textstat uses under the hood) instead of importing
textstat itself: its import pulls in nltk and costs ~4 s per process, and for English it downloads a dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen
from django.utils.translation import gettext_noop as N  # marks only; needs no settings

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    return max(1, len(_hyphenator().positions(word.lower())) + 1)


EXPLANATIONS = {
    "makkelijk": N("Makkelijk te lezen: korte zinnen en gewone woorden (ongeveer taalniveau B1)."),
    "gemiddeld": N("Redelijk te lezen, maar met lange zinnen of moeilijke woorden (ongeveer taalniveau B2)."),
    "moeilijk": N("Moeilijk te lezen: lange zinnen en veel moeilijke woorden (taalniveau C1 of hoger)."),
}


@dataclass(frozen=True)
class Readability:
    score: float  # Flesch-Douma: 206.84 - 0.93 * words/sentence - 77 * syllables/word
    level: str  # makkelijk / gemiddeld / moeilijk
    words_per_sentence: float
    long_sentences: int  # more than 20 words: hard for B1 readers
    jargon: int

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.level]

    @property
    def explanation_shown(self) -> str:
        """The explanation in the language of the page (only called while a page is rendered)."""
        from django.utils.translation import gettext

        return gettext(EXPLANATIONS[self.level])


def readability(sentences: list[str], jargon: int = 0) -> Readability:
    """Sentences as the letter parser split them; address lines and headings (no full stop) do not count as prose."""
    sentences = [s for s in sentences if s.rstrip().endswith((".", "!", "?")) and len(_WORD.findall(s)) >= 3]
    words = [w for s in sentences for w in _WORD.findall(s)]
    if not words:
        return Readability(0.0, "moeilijk", 0.0, 0, jargon)
    per_sentence = len(words) / max(1, len(sentences))
    per_word = sum(syllables(w) for w in words) / len(words)
    score = round(206.84 - 0.93 * per_sentence - 77 * per_word, 1)
    long_sentences = sum(1 for s in sentences if len(_WORD.findall(s)) > 20)
    # Douma's 60/40 bands, made stricter by jargon: many unexplained terms make a letter hard whatever the formula says.
    level = "makkelijk" if score >= 60 else "gemiddeld" if score >= 40 else "moeilijk"
    if jargon >= 8 and level == "makkelijk":
        level = "gemiddeld"
    return Readability(score, level, round(per_sentence, 1), long_sentences, jargon)
