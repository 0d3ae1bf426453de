"""The text the PII detectors read: what a person sees, without the tricks that hide a number from a regex.

People (and copy-paste) put things between the digits of a BSN, an IBAN or a phone number that a reader does not
see or does not notice: zero-width spaces, soft hyphens, bidi marks, non-breaking or thin spaces, typographic dashes,
full-width or Arabic-Indic digits. ``normalise`` drops the invisible ones and maps the others to plain ASCII, and
keeps for every character where it came from, so a finding still points at the exact span of the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Every dash-like character people (or word processors) type between digit groups.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2796\ufe58\ufe63\uff0d")
# Invisible characters outside Unicode's "format" category (Cf): grapheme joiner, Hangul and Khmer fillers, braille blank.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
_KEEP_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original of text[i]; origin[len(text)] is the original's length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def _plain(text: str) -> bool:
    return text.isascii() and all(ch >= " " or ch in _KEEP_CONTROLS for ch in text)


def normalise(text: str) -> Normalised:
    if _plain(text):  # nearly every note: nothing to map
        return Normalised(text, tuple(range(len(text) + 1)))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            replacement = ch if ch >= " " or ch in _KEEP_CONTROLS else ""
        else:
            category = unicodedata.category(ch)
            if category in ("Cf", "Cc") or ch in _INVISIBLE:
                replacement = ""
            elif ch in _DASHES:
                replacement = "-"
            elif category == "Zs":
                replacement = " "
            elif category in ("Zl", "Zp"):
                replacement = "\n"
            elif category == "Nd":
                replacement = str(unicodedata.decimal(ch))
            else:
                replacement = unicodedata.normalize("NFKC", ch)
        out.append(replacement)
        origin.extend([i] * len(replacement))
    origin.append(len(text))
    return Normalised("".join(out), tuple(origin))
