"""Dutch text helpers shared by features that compare words (suggestions, knowledge-base search)."""

from __future__ import annotations

import re
import unicodedata

# Placeholders of the PII redaction ("[BSN]", "[NAAM]") say nothing about what a text is about.
_PLACEHOLDER = re.compile(r"\[[A-Z-]+\]")


def normalise(text: str) -> str:
    """Lower case without accents and without redaction placeholders, so "geüpload" and "geupload" are the same word."""
    text = _PLACEHOLDER.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
