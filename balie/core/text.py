"""Small Dutch text helpers shared by the features that read free text (notes, guides, letters, signals)."""

from __future__ import annotations

import re
import unicodedata

# The Snowball Dutch stop list, which PostgreSQL's 'dutch' text search configuration uses too: a search that falls
# back to Python (SQLite) then drops the same words as the database does. "niet" is in it; a caller that needs it
# ("upload lukt niet") keeps it itself.
STOPWORDS: frozenset[str] = frozenset(
    "aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er ge geen "
    "geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar me meer "
    "men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u "
    "uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou".split()
)

# Placeholders of the PII redaction ("[BSN]", "[NAAM]") say nothing about what a text is about.
_PLACEHOLDER = re.compile(r"\[[A-Z-]+\]")


def normalise(text: str) -> str:
    """Lower case without accents and without redaction placeholders, so "geüpload" and "geupload" are the same word."""
    text = _PLACEHOLDER.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Line and paragraph separators (U+2028, U+2029) are invisible line breaks: they become ordinary ones.
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})
_KEPT_CONTROLS = frozenset("\t\n\r")


def strip_invisible(text: str) -> str:
    """Text without characters that are not shown but change what is shown (review L11).

    Removes Unicode format characters (category Cf: bidirectional overrides and isolates such as U+202E, zero-width
    space and joiners, the word joiner, the byte order mark, soft hyphens, tag characters) and control characters
    other than tab and line breaks. With them a note like "\u202egnp.exe" shows as "exe.png" in lists and exports, and
    "111\u200b222\u200b333" hides a BSN from the eye. A zero-width joiner inside an emoji sequence goes too; the
    emoji then show one by one, which is harmless.
    """
    if text.isascii():
        # Fast path: ASCII has no format characters, only the C0 controls (and DEL) to look at.
        if text.isprintable() or all(ch.isprintable() or ch in _KEPT_CONTROLS for ch in text):
            return text
    text = text.translate(_LINE_BREAKS)
    return "".join(ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) not in ("Cf", "Cc"))
