"""Codes that point at one person or their property: licence plates and document or id numbers with letters in them.

Pure-digit ones (a driving licence, a PESEL or an SSN) are long digit runs and found in numbers.py. Here:

- a code of letters and digits with 4 or more digits, 7 or more characters ("L04820162", "BS4391PK"): passport and
  identity-card numbers of most countries, residence permits, foreign plates;
- the Dutch document number (passport, ID card: two letters, six letters or digits, a digit; no letter O);
- the British National Insurance number ("QQ 12 34 56 C"), which is spaced;
- licence plates: letter and digit groups joined by dashes ("12-ABC-3", "BV-263-DSF"), or after the word kenteken
  also joined by spaces or nothing ("kenteken 17 HS 2201", "kenteken MNXA63").

Like the other detectors they read the normalised text and return (kind, start, end) in it. Fail safe: a product
code with the same shape is redacted too.
"""

from __future__ import annotations

import re

Hit = tuple[str, int, int]

_MIXED_RE = re.compile(r"(?<![\w@.-])(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{7,}(?![\w@-])")
_CUE_GLUED_RE = re.compile(r"[a-z]{3,}[0-9]+")
_NL_DOCUMENT_RE = re.compile(r"(?<![\w-])[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9](?![\w-])")
_NINO_RE = re.compile(r"(?<![\w-])[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Z](?![\w-])")
_PLATE_RE = re.compile(r"(?<![\w-])(?:[A-Z]{1,3}|[0-9]{1,4})(?:-(?:[A-Z]{1,3}|[0-9]{1,4})){1,3}(?![\w-])")
_PLATE_CUE_RE = re.compile(
    r"(?i:\b(?:kenteken|nummerbord|auto|plate|kentekenbewijs)\b)\s*:?\s*(?P<plate>[A-Z0-9]{1,4}(?:[ -][A-Z0-9]{1,4}){0,3})(?![\w-])"
)

# "klantnummer 20045567", "polisnr: 4471-22", "dossier 8812/771": a number after the word for a person's own number at
# an organisation identifies that person there, however short (the long-number rule only takes 9 digits or more).
_PERSONAL_CUE_RE = re.compile(
    r"(?i:\b(?:klant|relatie|dossier|polis|debiteur|cli[eë]nt|pati[eë]nt|lid|pas|contract|verzekerden|zorgpas|"
    r"registratie|zaak|aanslag|beschikkings|vorderings|factuur|cjib|sofi|burgerservice|persoons|personeels|"
    r"studenten|leerling|inschrijf|huurders?|aansluit|meter)-?(?:nummer|nr\.?)|\b(?:(?:ons|uw)\s+)?kenmerk|\bbetalingskenmerk)"
    r"\s*[:#.]?\s*(?P<number>[A-Za-z0-9][A-Za-z0-9./-]*[0-9][A-Za-z0-9./-]*(?: [0-9][0-9./-]*)*)"
)


def _mixed(code: str) -> bool:
    """Letters and digits both, and the length of a plate or document (not "A4", "B1", "COVID-19")."""
    alnum = [ch for ch in code if ch.isalnum()]
    return 5 <= len(alnum) <= 9 and any(ch.isdigit() for ch in alnum) and any(ch.isalpha() for ch in alnum)


def documents(text: str) -> list[Hit]:
    out: list[Hit] = []
    for m in _MIXED_RE.finditer(text):
        # "tel0612345678", "bsn111222333": a word glued to a number is the number's cue (numbers.py finds it)
        if sum(ch.isdigit() for ch in m.group()) >= 4 and not _CUE_GLUED_RE.fullmatch(m.group()):
            out.append(("document", *m.span()))
    out += [("document", *m.span()) for m in _NL_DOCUMENT_RE.finditer(text)]
    out += [("document", *m.span()) for m in _NINO_RE.finditer(text)]
    out += [("document", *m.span()) for m in _PLATE_RE.finditer(text) if _mixed(m.group()) and len(m.group().replace("-", "")) >= 6]
    for m in _PLATE_CUE_RE.finditer(text):
        if _mixed(m.group("plate")):
            out.append(("document", *m.span("plate")))
    for m in _PERSONAL_CUE_RE.finditer(text):
        number = m.group("number").rstrip("./-")
        if sum(ch.isdigit() for ch in number) >= 4:
            out.append(("number", m.start("number"), m.start("number") + len(number)))
    return out
