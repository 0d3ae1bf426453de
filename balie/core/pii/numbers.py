"""Numbers that point at one person: BSN, IBAN and phone numbers, in every spelling people type (review M4).

The detectors read the normalised text (see normalise.py) and return spans in it. Digits are read as *chains*: digit
groups joined by short runs of separators (space, - . _ / and parentheses), so "111-222-333", "111 22 2333" and
"06 - 12 34 56 78" are one chain each, and a chain may hold several numbers ("BSN 111222333 06 12345678").
Letters glued to a number do not hide it ("bsn111222333", "111222333abc", "ibanNL91ABNA0417164300x").

- A BSN is any run of whole groups with 9 digits that passes the 11-proef (8 digits too, as stdnum reads them with a
  leading zero, when they are one group or follow the word BSN).
- An IBAN is two letters and two digits followed by exactly the length of that country's IBAN (separators allowed),
  with a valid mod-97 check and the country's structure.
- A phone number is recognised by its *shape*, never by whether its range is in use today: privacy must fail safe,
  so 06-7x, 06-9x, 088 and an unknown foreign range are redacted too. Dutch: a 0 and 9 more digits, also as +31 /
  0031, with or without (0) ("+31 00..." counts either way). Only the published numbers of national public
  organisations (PUBLIC_NUMBERS) stay readable. 0800/0900 numbers are 8 or 11 digits long, never this shape.
  International: + or 00, a country code and a length that country's numbers can have.

Dates (12-03-2026, 2026-03-12) and clock times (10.30, 14:00) are the ordinary numbers that look most like these;
a candidate that touches one is not a finding ("01-02-2026 10:00" is not a phone number).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.exceptions import ValidationError

Span = tuple[int, int]

_GROUP_RE = re.compile(r"[0-9]+")
# What may stand between two digit groups of one number: a few separator characters, nothing else.
# Not a line break, and not a full stop that ends a sentence ("0800-1234. 12 vragen" is two numbers).
_GAP_RE = re.compile(r"(?![^.]*\.\s)[ \t\-._/()]{1,4}")
_PLUS_RE = re.compile(r"\+[ (]?$")
_BSN_CUE_RE = re.compile(r"(?i)(?:bsn|burger\s?service\s?(?:nummer|nr)|sofi)\w{0,6}\W{0,4}$")
_DAY, _MONTH, _YEAR = r"(?:0?[1-9]|[12][0-9]|3[01])", r"(?:0?[1-9]|1[0-2])", r"(?:19|20)[0-9]{2}"
_DATE_RE = re.compile(rf"(?<![0-9])(?:{_DAY}([-/.]){_MONTH}\1{_YEAR}|{_YEAR}([-/.]){_MONTH}\2{_DAY})(?![0-9])")
_TIME_RE = re.compile(r"(?<![0-9.:])(?:[01]?[0-9]|2[0-3])[.:][0-5][0-9](?![0-9]|[.:][0-9])")
# The published numbers of national public organisations (without the 0) may stay in a note ("UWV gebeld op
# 088-8982070"). Any other 088 number could be a person's own line: privacy fails safe, so only this list is kept.
# 0800/0900/0906/0909 numbers have 4 or 7 digits after the prefix, so they never take a subscriber's shape.
PUBLIC_NUMBERS = frozenset({
    "888982070",  # UWV, klanten
    "888982001",  # UWV, werkgevers
    "887867372",  # Fraudehelpdesk
    "881236555",  # DigiD-helpdesk (Logius)
    "880424242",  # RVO
    "881832200",  # Kadaster
})
_IBAN_START_RE = re.compile(r"(?=[A-Za-z]{2}[ \-._]?[0-9]{2})")  # "NL91", also "NL 91"
_IBAN_SEPARATORS = frozenset(" \t-._/")


def _iban_lengths() -> dict[str, int]:
    """Country code -> IBAN length, from stdnum's IBAN registry (bban "4!a10!n" is 14 characters, plus 4)."""
    lengths = {}
    for _, cc, _, props, _ in numdb.get("iban").prefixes:
        if bban := props.get("bban"):
            lengths[cc] = 4 + sum(int(n) for n in re.findall(r"([0-9]+)!", bban))
    return lengths


IBAN_LENGTHS = _iban_lengths()


def _chains(s: str) -> list[list[re.Match[str]]]:
    chains: list[list[re.Match[str]]] = []
    for m in _GROUP_RE.finditer(s):
        if chains and _GAP_RE.fullmatch(s, chains[-1][-1].end(), m.start()):
            chains[-1].append(m)
        else:
            chains.append([m])
    return chains


class _Ordinary:
    """Where the dates and clock times are; a candidate that overlaps one is dropped (bisect: long texts stay fast)."""

    def __init__(self, s: str):
        spans = sorted([m.span() for m in _DATE_RE.finditer(s)] + [m.span() for m in _TIME_RE.finditer(s)])
        self.starts = [a for a, _ in spans]
        self.reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end so far

    def touches(self, span: Span) -> bool:
        i = bisect.bisect_left(self.starts, span[1]) - 1  # the last one that starts before the span ends
        return i >= 0 and self.reach[i] > span[0]


_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def bsn_valid(digits: str) -> bool:
    """The 11-proef, as stdnum.nl.bsn.is_valid (8 digits read with a leading zero; all zeros is not a BSN).

    Written out because it runs for every run of 9 digits in a text; tests compare it with stdnum.
    """
    number = digits.zfill(9)
    if len(number) != 9 or not number.isascii() or not number.isdigit() or number == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(number, _BSN_WEIGHTS)) % 11 == 0


def _bsn_candidates(s: str, chain: list[re.Match[str]]) -> Iterator[Span]:
    groups = [m.group() for m in chain]
    for i, first in enumerate(chain):
        size, j = 0, i
        while j < len(groups) and size + len(groups[j]) <= 9:
            size += len(groups[j])
            if size == 9 or (size == 8 and (i == j or _BSN_CUE_RE.search(s, max(0, first.start() - 30), first.start()))):
                # 8 grouped digits are only a BSN right after the word BSN ("BSN 1122 2333")
                if bsn_valid("".join(groups[i:j + 1])):
                    yield first.start(), chain[j].end()
            j += 1


def bsns(s: str) -> list[Span]:
    ordinary = _Ordinary(s)
    return [span for chain in _chains(s) for span in _bsn_candidates(s, chain) if not ordinary.touches(span)]


def iban_valid(compact: str) -> bool:
    try:
        stdnum_iban.validate(compact, check_country=False)  # mod 97 and the country's structure
    except ValidationError:
        return False
    return True


def ibans(s: str) -> list[Span]:
    out: list[Span] = []
    taken = 0
    for m in _IBAN_START_RE.finditer(s):
        start = m.start()
        length = IBAN_LENGTHS.get(s[start:start + 2].upper())
        if start < taken or length is None:
            continue
        chars: list[str] = []
        end, gap, i = start, 0, start
        while i < len(s) and len(chars) < length:
            ch = s[i]
            if ch.isascii() and ch.isalnum():
                chars.append(ch)
                end, gap = i + 1, 0
            elif ch in _IBAN_SEPARATORS and chars and gap < 3:
                gap += 1
            else:
                break
            i += 1
        if len(chars) == length and iban_valid("".join(chars)):
            out.append((start, end))
            taken = end
    return out


# 0800/0900/0906/0909 with 7 digits: the only Dutch numbers of 11 digits, published by organisations.
_SERVICE_11 = ("0800", "0900", "0906", "0909")


def dutch_subscriber(nsn: str) -> bool:
    """A Dutch number without its leading 0 (or +31): 9 digits, not a published number of a public organisation."""
    return len(nsn) == 9 and nsn not in PUBLIC_NUMBERS


@functools.cache
def _possible_lengths(country_code: int) -> frozenset[int]:
    """The lengths a national number of this country code can have (phonenumbers' metadata), in use or not."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, regions[0]) if regions else None
    if metadata is None or metadata.general_desc is None:
        return frozenset()
    desc = metadata.general_desc
    return frozenset(desc.possible_length or ()) | frozenset(desc.possible_length_local_only or ())


def _international(digits: str) -> bool:
    """Country code and number (no + or 00): a length that country's numbers can have. Shape only, no range check.

    The same test as phonenumbers.is_possible_number, without parsing (it runs for every digit run after a +).
    """
    if digits.startswith("31"):
        nsn = digits[2:]
        # "+31 (0)6 ..." keeps its trunk 0; a number typed as "+3100 ..." is read both ways (fail safe).
        return dutch_subscriber(nsn) or (nsn.startswith("0") and dutch_subscriber(nsn[1:]))
    if not 7 <= len(digits) <= 15:
        return False
    for size in (1, 2, 3):
        if int(digits[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            national = digits[size:]
            lengths = _possible_lengths(int(digits[:size]))
            # "+44 (0)20 ...": a trunk 0 that people keep after the country code.
            return len(national) in lengths or (national.startswith("0") and len(national) - 1 in lengths)
    return len(digits) >= 8  # a country code phonenumbers does not know: the length alone


def _national(digits: str, *, chain_ends: bool) -> bool | None:
    """Digits that start with 0, in national notation: a phone number (True), not one (False), or read on (None)."""
    if len(digits) == 9 and chain_ends:
        return not digits.startswith(_SERVICE_11)  # a 0 and 8 digits: a Belgian number ("09/ 346 41 95")
    if len(digits) == 10:
        return dutch_subscriber(digits[1:])
    if len(digits) == 11:
        return not digits.startswith(_SERVICE_11)  # a 0 and 10 digits: a foreign number in its own notation
    return False if len(digits) > 11 else None


def _inside_code(s: str, start: int) -> bool:
    """Digits glued to letters that follow other digits ("NL91ABNA0417164301", "AB12CD0612345678") are part of a code.

    "tel0612345678" stays a phone number: only letters stand before it.
    """
    i = start
    while i > 0 and s[i - 1].isascii() and s[i - 1].isalpha():
        i -= 1
    return i < start and i > 0 and s[i - 1].isdigit()


def _phone_candidates(s: str, chain: list[re.Match[str]]) -> Iterator[Span]:
    for i, first in enumerate(chain):
        # A "+" cannot stand inside a chain, so only its first group can follow one.
        plus = _PLUS_RE.search(s, max(0, first.start() - 2), first.start()) if i == 0 else None
        head = first.group()
        if plus and head.startswith("0"):
            plus = None  # no country code starts with 0: "65+ 06 12345678" is a national number after a stray plus
        if not (plus or head.startswith("0")) or (not plus and _inside_code(s, first.start())):
            continue
        international = bool(plus) or head.startswith("00")
        digits, best, national = "", None, None
        for j in range(i, len(chain)):
            digits += chain[j].group()
            if len(digits) > 17:
                break
            if international:
                if _international(digits if plus else digits[2:]):
                    best = j  # the longest possible length wins
                if not plus and len(digits) == 10:
                    national = j  # "0026 142553": also a 0 and 9 digits (fail safe)
            else:
                reading = _national(digits, chain_ends=j + 1 == len(chain))
                if reading:
                    best = j
                if reading is not None:
                    break
        if best is None:
            best = national
        if best is None:
            continue
        start = plus.start() if plus else first.start()
        if start > 0 and s[start - 1] == "(" and ")" in s[start:chain[best].end()]:
            start -= 1  # "(010) 123 45 67": the bracket goes with the number
        yield start, chain[best].end()


def phones(s: str) -> list[Span]:
    ordinary = _Ordinary(s)
    return [span for chain in _chains(s) for span in _phone_candidates(s, chain) if not ordinary.touches(span)]


# A currency word or sign just before, or decimals or a currency just after: an amount ("€ 123.456.789", "1.234.567,89").
_AMOUNT_BEFORE_RE = re.compile(r"(?i)(?:€|\beur|\beuro) ?\Z")
_AMOUNT_AFTER_RE = re.compile(r"(?i),(?:[0-9]{1,2}(?![0-9])|-)|\s?(?:euro|eur\b|€)")
YEAR_GROUP_RE = re.compile(r"(?:19|20)[0-9]{2}")
LONG_DIGITS = 9
# A local phone number without its area code has 7 digits ("460 66 55", "555-1234"); 7 or 8 digits are redacted too
# unless they are written as a count or amount in thousands ("1.250.000", "2 500 000") or as a date with spaces.
LOCAL_DIGITS = 7


def long_numbers(s: str) -> list[Span]:
    """Runs of 7 or more digits in groups, outside a date, clock time, amount or list of years: fail safe, redacted.

    Such a run in a desk note is nearly always a number that points at a person: a phone number written without its
    country prefix ("212 555 0143", "512 345 678") or area code ("460 66 55"), a BSN with a typo, a foreign id number
    (PESEL, CNP, SSN), a driving licence, client or case number. Which of these it is does not matter: none may be
    stored. Below 9 digits a number written as thousands or as a date is left alone (see _ordinary_short).
    """
    ordinary = _Ordinary(s)
    out: list[Span] = []
    for chain in _chains(s):
        run: list[re.Match[str]] = []
        for m in [*chain, None]:
            if m is not None and not ordinary.touches(m.span()):
                run.append(m)
                continue
            size = sum(len(g.group()) for g in run)
            if (size >= LONG_DIGITS or (size >= LOCAL_DIGITS and not _ordinary_short(s, run))) \
                    and not _amount_or_years(s, run) and not _public(run):
                start = run[0].start()
                if start > 0 and s[start - 1] == "+":
                    start -= 1
                extension = _EXTENSION_RE.match(s, run[-1].end())  # "889.432.8804x0723": the extension goes too
                out.append((start, extension.end() if extension else run[-1].end()))
            run = []
    return out


# A phone extension written after the number: "x0723", " ext. 12", " toestel 345".
_EXTENSION_RE = re.compile(r"\s?(?:x|ext\.?|toestel|tst\.?)\s?[0-9]{1,6}(?![0-9])", re.IGNORECASE)


def _public(run: list[re.Match[str]]) -> bool:
    """A published number of a public organisation (088-8982070) or a 0800/0900 number of 8 or 11 digits ("0800-0543"):
    may stay."""
    digits = "".join(g.group() for g in run)
    national = "0" + digits[2:] if digits.startswith("31") else "0" + digits[4:] if digits.startswith("0031") else digits
    return national[1:] in PUBLIC_NUMBERS or (len(national) in (8, 11) and national.startswith(_SERVICE_11))


def _ordinary_short(s: str, run: list[re.Match[str]]) -> bool:
    """7 or 8 digits written as thousands ("1.250.000", "2 500 000"), as a date with spaces ("4 12 2026"), or as a year
    and a serial ("zaak 2024-0788", an organisation's reference; after "zaaknummer" codes.py takes it)."""
    groups = [g.group() for g in run]
    if len(groups) == 2 and YEAR_GROUP_RE.fullmatch(groups[0]):
        return True
    gaps = {s[a.end():b.start()] for a, b in zip(run, run[1:])}
    if len(groups) > 1 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and gaps <= {".", " ", "\u00a0"}:
        return True
    if len(groups) == 3 and gaps == {" "} and (YEAR_GROUP_RE.fullmatch(groups[2]) or YEAR_GROUP_RE.fullmatch(groups[0])):
        day_month = groups[:2] if len(groups[2]) == 4 else groups[1:]
        return all(len(g) <= 2 and 0 < int(g) <= 31 for g in day_month) and min(int(g) for g in day_month) <= 12
    return False


def _amount_or_years(s: str, run: list[re.Match[str]]) -> bool:
    if all(YEAR_GROUP_RE.fullmatch(g.group()) for g in run):
        return True  # "2022/2023/2024"
    start, end = run[0].start(), run[-1].end()
    return bool(_AMOUNT_BEFORE_RE.search(s, max(0, start - 6), start) or _AMOUNT_AFTER_RE.match(s, end))
