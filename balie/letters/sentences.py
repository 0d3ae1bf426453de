"""The sentences of a letter: its lines joined where a sentence wraps, broken where a paragraph, a heading or a
sentence ends (an abbreviation or a date's "okt." is no end)."""

from __future__ import annotations

import re

# OCR often puts an empty line inside a sentence ("uiterlijk" / "" / "30 april 2025"): a blank line whose next line goes on
# in lower case, with a digit or an amount, and whose line before ends without a full stop, is not a paragraph break.
BROKEN_SENTENCE = re.compile(r"(?<=[^.!?\s])[ \t]*\n(?:[ \t]*\n)+(?=[ \t]*(?:[a-zà-ÿ0-9€]|EUR\b))")


ABBREVIATION_END = re.compile(r"\b(jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|nr|t\.n\.v|bijv|o\.a|ca|incl|excl|art|blz|dhr|"
                              r"mevr|mw|St|Mr|dr|ir|drs|ing)\.$|\b\d{1,2}\s?[^\W\d_]{3,4}\.$",  # or "3 maa.": a year follows
                              re.IGNORECASE)


def join_broken_sentences(text: str) -> str:
    return BROKEN_SENTENCE.sub("\n", text)


# A heading on its own line: a few words from a capital, no closing punctuation, after a finished sentence (or a blank
# line) and before a line that starts a sentence ("Maak een afspraak" / "Wij organiseren ..."). Joined to the next
# sentence it would lend its verb to dates that are none.
HEADING = re.compile(r"(?m)(?:(?<=[.!?:]\n)|(?<=\A)|(?<=\n\n))([A-ZÀ-Ý][^\n.!?:;,]{0,40})\n(?=[A-ZÀ-Ý])")


def paragraph_sentences(text: str) -> list[tuple[str, int]]:
    """Sentences with their offset; lines of one paragraph are joined (letters wrap sentences over lines)."""
    result = []
    text = HEADING.sub(lambda m: m.group(1) + ".\n" if len(m.group(1).split()) <= 5 else m.group(0), join_broken_sentences(text))
    for para in re.finditer(r"(?:[^\n]+\n?)+", text):
        joined = re.sub(r"\s*\n\s*", " ", para.group(0)).strip()
        pieces: list[list[str]] = []
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9€(\"'])", joined):
            # "28 okt. 2026", "t.n.v. Woonstichting": an abbreviation, not the end of a sentence. Only the last fragment is
            # looked at (its last characters), so a line of a thousand abbreviations stays linear.
            if pieces and ABBREVIATION_END.search(pieces[-1][-1][-12:]):
                pieces[-1].append(s)
            elif s.strip():
                pieces.append([s])
        result.extend((" ".join(piece).strip(), para.start()) for piece in pieces if "".join(piece).strip())
    return result
