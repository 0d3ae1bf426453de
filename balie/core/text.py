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
