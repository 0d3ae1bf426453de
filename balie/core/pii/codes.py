"""Codes that point at one person or their property: licence plates and document or id numbers with letters in them.

Pure-digit ones (a driving licence, a PESEL or an SSN) are long digit runs and found in numbers.py. Here:

- a code of letters and digits with 4 or more digits, 7 or more characters ("L04820162", "BS4391PK"): passport and
  identity-card numbers of most countries, residence permits, foreign plates;
- the Dutch document number (passport, ID card: two letters, six letters or digits, a digit; no letter O);
- the British National Insurance number ("QQ 12 34 56 C"), which is spaced;
- licence plates: letter and digit groups joined by dashes ("12-ABC-3", "BV-263-DSF", "16-E610"); written without
  dashes ("09RART", "NK14 NSQ", "19 PLR 25": 5-8 characters, at least two letters and two digits); after the word kenteken (or auto,
  nummerbord) up to four groups of capitals and digits in any script ("kenteken 17 HS 2201", "kenteken: A-YJ-9",
  "kenteken ق ح ط ٩٢٧١").

Like the other detectors they read the normalised text and return (kind, start, end) in it. Fail safe: a product
code with the same shape is redacted too.
"""

from __future__ import annotations

import re

from .numbers import YEAR_GROUP_RE

Hit = tuple[str, int, int]

_MIXED_RE = re.compile(r"(?<![\w@.-])(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{7,}(?![\w@-])")
_CUE_GLUED_RE = re.compile(r"[a-z]{3,}[0-9]+")
_NL_DOCUMENT_RE = re.compile(r"(?<![\w-])[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9](?![\w-])")
_NINO_RE = re.compile(r"(?<![\w-])[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Z](?![\w-])")
_PLATE_RE = re.compile(r"(?<![\w-])[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,4}){1,3}(?![\w-])")
_PLATE_CUE_RE = re.compile(r"(?i:\b(?:(?P<strong>kenteken|nummerbord|plate|kentekenbewijs|kentekenplaat)|auto)\b)\s*:?\s*")
_PLATE_GROUP_RE = re.compile(r"[^\W_]{1,8}")
# A plate without dashes: one code of 5-8 capitals and digits ("09RART", "BA91DLK"), or two or three groups of them
# with spaces ("NK14 NSQ", "19 PLR 25", "TN 632JY").
_PLATE_PLAIN_RE = re.compile(r"(?<![\w-])(?:[A-Z0-9]{1,5}(?: [A-Z0-9]{1,5}){1,2}|[A-Z0-9]{5,8})(?![\w-])")
_POSTCODE_START_RE = re.compile(r"[1-9][0-9]{3} ?[A-Z]{2}(?![A-Z])")  # "3011 AB 12" is a postcode and house number

# The words for a person's own number at an organisation ("klantnummer", "polisnr", "ons kenmerk"). One list for two
# uses: the note check redacts the number after them, however short (the long-number rule only takes 7 digits or more),
# and the letter explainer shows it as the number to mention when calling (letters/explain.py REFERENCE).
REFERENCE_STEMS = ("klant", "relatie", "dossier", "polis", "debiteur", "cli[eë]nt", "pati[eë]nt", "lid", "pas", "contract",
                   "verzekerden", "zorgpas", "registratie", "zaak", "aanslag", "beschikkings", "vorderings", "factuur", "cjib",
                   "referentie", "studenten", "leerling", "inschrijf", "huurders?", "aansluit", "meter")
REFERENCE_WORDS = r"(?:" + "|".join(REFERENCE_STEMS) + r")-?(?:nummer|nr\.?)|(?:(?:ons|uw)\s+)?kenmerk|betalingskenmerk"
# A person's identity number at work or with the state: redacted after its word too, never shown as a letter's reference.
_IDENTITY_WORDS = r"(?:sofi|burgerservice|persoons|personeels)-?(?:nummer|nr\.?)"
_PERSONAL_CUE_RE = re.compile(
    r"(?i:\b(?:" + REFERENCE_WORDS + "|" + _IDENTITY_WORDS + r"))"
    r"\s*[:#.]?\s*(?P<number>[A-Za-z0-9][A-Za-z0-9./-]*[0-9][A-Za-z0-9./-]*(?: [0-9][0-9./-]*)*)"
)


def _mixed(code: str) -> bool:
    """Letters and digits both, and the length of a plate or document (not "A4", "B1", "COVID-19")."""
    alnum = [ch for ch in code if ch.isalnum()]
    return 5 <= len(alnum) <= 9 and any(ch.isdigit() for ch in alnum) and any(ch.isalpha() for ch in alnum)


def _plain_plate(code: str) -> bool:
    """5-8 characters with two or more letters and two or more digits. One code has no year in it ("IB2025" is a form);
    in groups, one mixes letters and digits ("NK14 NSQ") or two of three hold digits ("19 PLR 25"): "AOW 67", "DUO 300" and
    "UWV WW 70" are an age, an amount and a share."""
    groups = code.split(" ")
    alnum = "".join(groups)
    letters, digits = sum(ch.isalpha() for ch in alnum), sum(ch.isdigit() for ch in alnum)
    if not (5 <= len(alnum) <= 8 and letters >= 2 and digits >= 2) or _POSTCODE_START_RE.match(code):
        return False
    if len(groups) == 1:
        return not YEAR_GROUP_RE.search(alnum)
    with_digits = sum(any(ch.isdigit() for ch in g) for g in groups)
    return any(not g.isalpha() and not g.isdigit() for g in groups) or (len(groups) == 3 and with_digits >= 2)


def _after_cue(text: str, start: int) -> int:
    """End of the plate after a cue word: up to four groups of capitals and digits (any script), joined by a space or a
    dash. A lower-case group after a space ends it ("kenteken AB-12-CD op naam": not "op"); typed in lower case, a group
    with a digit or after a dash belongs to it ("kenteken 12-ab-34", "kenteken ab12cd")."""
    end, pos = start, start
    for _ in range(4):
        m = _PLATE_GROUP_RE.match(text, pos)
        if m is None:
            break
        lower = any(ch.islower() for ch in m.group())
        if lower and not any(ch.isdigit() for ch in m.group()) and not (pos > start and text[pos - 1] == "-"):
            break
        end = m.end()
        if end >= len(text) or text[end] not in " -" or end + 1 >= len(text):
            break
        pos = end + 1
    return end


def _cued_plate(code: str, *, strong: bool) -> bool:
    """After "kenteken" any code of 3 or more: some countries' plates are digits only ("Kenteken 0373"). After "auto"
    letters and digits both ("auto 300 euro" is an amount)."""
    alnum = [ch for ch in code if ch.isalnum()]
    digits = any(ch.isdigit() for ch in alnum)
    return 3 <= len(alnum) <= 12 and digits and (strong or any(ch.isalpha() for ch in alnum))


def documents(text: str) -> list[Hit]:
    out: list[Hit] = []
    for m in _MIXED_RE.finditer(text):
        # "tel0612345678", "bsn111222333": a word glued to a number is the number's cue (numbers.py finds it)
        if sum(ch.isdigit() for ch in m.group()) >= 4 and not _CUE_GLUED_RE.fullmatch(m.group()):
            out.append(("document", *m.span()))
    out += [("document", *m.span()) for m in _NL_DOCUMENT_RE.finditer(text)]
    out += [("document", *m.span()) for m in _NINO_RE.finditer(text)]
    out += [("document", *m.span()) for m in _PLATE_RE.finditer(text) if _mixed(m.group()) and len(m.group().replace("-", "")) >= 6]
    out += [("document", *m.span()) for m in _PLATE_PLAIN_RE.finditer(text) if _plain_plate(m.group())]
    for m in _PLATE_CUE_RE.finditer(text):
        end = _after_cue(text, m.end())
        if _cued_plate(text[m.end():end], strong=m.group("strong") is not None):
            out.append(("document", m.end(), end))
    for m in _PERSONAL_CUE_RE.finditer(text):
        number = m.group("number").rstrip("./-")
        if sum(ch.isdigit() for ch in number) >= 4:
            out.append(("number", m.start("number"), m.start("number") + len(number)))
    return out
