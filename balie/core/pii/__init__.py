"""Detect and redact personal data (PII) in the free texts Balie stores: notes, status notes, signal texts, labels.

Texts must stay anonymous, so every save is scanned for BSN, IBAN, e-mail, personal phone numbers, addresses, dates
of birth and person names, and for a visitor's password or login code (a key to their accounts). BSN and IBAN are validated (11-proef, mod 97) so a random 9-digit number is not flagged;
phone numbers are found by their shape, also in ranges not (yet) in use. The detectors read a normalised copy of the
text (normalise.py: no zero-width characters, plain dashes, spaces and digits) and the findings point back into the
original, so "111\u200b222\u200b333" or "NL91-ABNA-0417-1643-00" is found and redacted as typed.

- numbers.py: BSN, IBAN, phone numbers, read as chains of digit groups in every spelling (review M4), and any
  other run of 9+ digits that is not an amount, date, time or year (ADR 0002: fail safe).
- codes.py: document numbers and licence plates (letters and digits).
- words.py: e-mail, dates of birth, names (regexes, a salutation rule and deduce).
- addresses.py: postcodes, streets here and abroad, and the clause next to an address cue.
- credentials.py: a password, PIN or login code after its word ("wachtwoord: ...", "pincode 4821").
- Below: scan/redact/scrub, and the rules for storing: ``scrub_for_storage`` (notes: redact, and drop a text that
  still holds a BSN or IBAN) and ``refusal`` (labels and public texts: refuse with a Dutch message).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext, gettext_lazy

from . import addresses, codes, credentials, numbers, words
from .normalise import normalise
from .words import names_ready, warm_up

__all__ = [
    "Finding", "ScrubResult", "PLACEHOLDERS", "REASONS", "REMOVED", "scan", "redact", "scrub", "must_never_store",
    "scrub_for_storage", "refusal", "normalise_phone", "names_ready", "warm_up", "normalise",
]


@dataclass(frozen=True)
class Finding:
    kind: str  # "bsn","iban","email","phone","number","document","postcode","birthdate","secret","name"
    start: int  # character offset into the input
    end: int
    text: str
    reason: str  # short Dutch explanation for the staff member


@dataclass(frozen=True)
class ScrubResult:
    findings: list[Finding]
    redacted: str


PLACEHOLDERS = {
    "bsn": "[BSN]", "iban": "[IBAN]", "email": "[E-MAIL]", "phone": "[TELEFOON]", "number": "[NUMMER]",
    "document": "[DOCUMENT]", "postcode": "[ADRES]", "birthdate": "[GEBOORTEDATUM]", "name": "[NAAM]",
    "secret": "[WACHTWOORD]",
}
REASONS = {
    "bsn": "Dit lijkt een BSN (klopt met de 11-proef).",
    "iban": "Dit lijkt een rekeningnummer (IBAN met geldig controlegetal).",
    "email": "Dit is een e-mailadres.",
    "phone": "Dit lijkt een persoonlijk telefoonnummer.",
    "number": "Een lang nummer wijst vaak naar een persoon (telefoon-, identiteits- of klantnummer).",
    "document": "Dit lijkt een kenteken of het nummer van een paspoort, ID-kaart of ander document.",
    "postcode": "Dit lijkt een adres (postcode, straat of huisnummer).",
    "birthdate": "Dit lijkt een geboortedatum (datum bij 'geboren' of 'geb.').",
    "name": "Dit lijkt een naam van een persoon.",
    "secret": "Dit lijkt een wachtwoord, pincode of inlogcode. Schrijf die nooit op: alleen de bezoeker mag die kennen.",
}
# In a sentence: "De naam van de balie lijkt persoonsgegevens te bevatten (een telefoonnummer)."
KIND_WORDS = {
    "bsn": gettext_lazy("een BSN"), "iban": gettext_lazy("een rekeningnummer"), "email": gettext_lazy("een e-mailadres"),
    "phone": gettext_lazy("een telefoonnummer"), "number": gettext_lazy("een persoonlijk nummer"),
    "document": gettext_lazy("een kenteken of documentnummer"), "postcode": gettext_lazy("een adres"),
    "birthdate": gettext_lazy("een geboortedatum"), "name": gettext_lazy("een naam"),
    "secret": gettext_lazy("een wachtwoord of inlogcode"),
}
# A stored text that still held a BSN or IBAN after redaction (a detector miss) is replaced by this as a whole.
REMOVED = "[TEKST VERWIJDERD: BEVAT PERSOONSGEGEVENS]"
# Used to break ties between overlapping findings of equal length: validated items win.
_RANK = {k: i for i, k in enumerate(["iban", "bsn", "email", "birthdate", "phone", "number", "document", "postcode", "secret", "name"])}


def _hits(s: str, *, names: bool | None) -> list[tuple[str, int, int]]:
    hits = [("iban", *sp) for sp in numbers.ibans(s)] + [("bsn", *sp) for sp in numbers.bsns(s)]
    hits += [("phone", *sp) for sp in numbers.phones(s)]  # a phone wins over a BSN-like part of it (see _merge)
    hits += [("number", *sp) for sp in numbers.long_numbers(s)] + codes.documents(s)
    hits += words.emails(s) + words.birthdates(s) + addresses.addresses(s) + credentials.credentials(s) + words.salutation_names(s)
    if words.names_enabled(names):  # names after a cue word ("zoon Piotr") count as name detection, like deduce
        hits += words.cue_names(s) + words.deduce_names(s)
    return hits


def _merge(hits: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Overlapping candidates become one finding over their union (fail safe: nothing of either stays visible).

    Its kind is the longest candidate's, then the most specific (a phone number that holds a BSN-like run of 9 digits
    is a phone number).
    """
    merged: list[tuple[str, int, int]] = []
    best: tuple[str, int, int] | None = None  # the cluster's longest (then most specific) candidate
    start = end = -1
    for hit in sorted(hits, key=lambda h: (h[1], -h[2])):
        if best is not None and hit[1] >= end:
            merged.append((best[0], start, end))
            best = None
        if best is None:
            best, start, end = hit, hit[1], hit[2]
            continue
        end = max(end, hit[2])
        if (hit[1] - hit[2], _RANK[hit[0]]) < (best[1] - best[2], _RANK[best[0]]):
            best = hit
    if best is not None:
        merged.append((best[0], start, end))
    return merged


def scan(text: str, *, names: bool | None = None) -> list[Finding]:
    """Every finding, sorted and without overlap; offsets point into ``text`` as given."""
    norm = normalise(text)
    out = []
    for kind, start, end in _merge(_hits(norm.text, names=names)):
        o_start, o_end = norm.span(start, end)
        out.append(Finding(kind, o_start, o_end, text[o_start:o_end], REASONS[kind]))
    return out


def redact(text: str, findings: list[Finding]) -> str:
    parts, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:  # defensive: overlapping input, the earlier placeholder already covers it
            continue
        parts += [text[pos:f.start], PLACEHOLDERS[f.kind]]
        pos = f.end
    return "".join(parts) + text[pos:]


def scrub(text: str, *, names: bool | None = None) -> ScrubResult:
    findings = scan(text, names=names)
    return ScrubResult(findings=findings, redacted=redact(text, findings))


def must_never_store(text: str) -> bool:
    """Last safety net before writing: a valid BSN or IBAN must never reach the database.

    Strict on purpose: any BSN- or IBAN-shaped run counts, also one inside a phone number (in a redacted text the
    phone number is a placeholder by then).
    """
    s = normalise(text).text
    return bool(numbers.bsns(s) or numbers.ibans(s))


def scrub_for_storage(text: str, *, max_length: int | None = None, names: bool | None = None) -> ScrubResult:
    """The rule for every stored free text (status notes, signal texts): the desk note's rule.

    Personal data is replaced by placeholders; the result is cut to ``max_length``; if a BSN or IBAN still survives
    (a detector miss, or a cut that made one), the whole text is replaced by ``REMOVED``.
    """
    if not text:
        return ScrubResult([], "")
    result = scrub(text[:max_length] if max_length else text, names=names)
    redacted = result.redacted[:max_length] if max_length else result.redacted
    if must_never_store(redacted):
        redacted = REMOVED
    return ScrubResult(result.findings, redacted)


def _phone_key(number: str) -> str:
    return normalise_phone(number) or "".join(ch for ch in normalise(number).text if ch.isdigit())


def refusal(text: str, *, what: str, allowed_phones: Iterable[str] = ()) -> str | None:
    """Why a short text that is stored and shown as typed (a desk label, a public notice) cannot be saved; else None.

    ``what`` starts the Dutch sentence ("De mededeling"). ``allowed_phones`` are public numbers that may appear, such
    as the location's own. The message names the kind of data, never the data itself: messages can end up in the
    session, and that is stored too.
    """
    allowed = {_phone_key(p) for p in allowed_phones if p}
    # "number": the location's own number in a foreign spelling is found as a long digit run
    findings = [f for f in scan(text, names=False) if not (f.kind in ("phone", "number") and _phone_key(f.text) in allowed)]
    if not findings:
        return None
    kinds = ", ".join(str(KIND_WORDS[kind]) for kind in dict.fromkeys(f.kind for f in findings))
    return gettext("%(what)s lijkt persoonsgegevens te bevatten (%(kinds)s). Haal die weg en probeer het opnieuw.") % {
        "what": what, "kinds": kinds}


def normalise_phone(number: str) -> str | None:
    """A valid Dutch (or international) number in national notation, or None. 0800/0900 numbers are valid too.

    Used wherever a phone number is stored on purpose: a partner's warm line, a referral's or a course enrolment's
    contact number (the opposite of the detection above, which keeps numbers out of notes).
    """
    try:
        parsed = phonenumbers.parse(number, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if parsed.country_code == 31 else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, fmt)
