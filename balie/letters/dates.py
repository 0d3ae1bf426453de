"""Dates in Dutch letters: absolute dates ("18 maart 2025", "03-03-2025") and relative periods ("binnen zes weken na
dagtekening"), which only mean something once you know the letter date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from balie.core.pii.codes import REFERENCE_STEMS

from .numberwords import number_word, ordinal_word
from .ocrwords import nearest
from .phrases import phrase
from .sender import head_end

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6,
    "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
NUMBER_WORDS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "twintig": 20, "dertig": 30, "zestig": 60,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# OCR reads "18 maart 2025" well but sometimes glues or splits digits; tolerate one space inside the year.
# OCR adds a full stop or comma ("20. maart 2026", "20 maart, 2026") or loses the space before the year ("maart2026").
# Also "03-mrt-2026" as some systems print it.
WRITTEN_DATE = re.compile(rf"\b(\d{{1,2}})(?:[.,]?\s*|-)({_MONTH_NAMES})(?:\.?,?\s*|-)(\d{{4}})\b", re.IGNORECASE)
# OCR misreads a letter of the month ("27 yuli 2026", "17 moi 2026"): a word between a day and a year that is one
# edit from exactly one month name (two for the long names) is that month.
LOOSE_DATE = re.compile(r"\b(\d{1,2})[.,]?\s*([^\W\d_]{3,10})\.?,?\s*(\d{4})\b")
# OCR puts spaces around the separators ("20 - 03 - 2026", "20-03- 2026") and a line may break after one ("20-03-" / "2026").
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[ \t]?([-/.])[ \t]?(\d{1,2})[ \t]?\2\s?(\d{4})\b")
# "14.09.26" as some systems print a date: two digits each, with full stops (not "1.2.26", a version or an article).
DOTTED_SHORT_DATE = re.compile(r"(?<![\d.,/-])(\d{2})\.(\d{2})\.(\d{2})(?![\d]|[.,]\d)")
# "3-12-'26": a two-digit year after an apostrophe (OCR reads it as ' ’ ‘ ` " or drops it); without the apostrophe only with
# dashes or slashes, so "1.2.26" in a version or article number is not a date.
SHORT_YEAR_DATE = re.compile(r"(?<![\d.,/-])(\d{1,2})([-/])(\d{1,2})\2\s?(?:['’‘`´\"“”]\s?)?(\d{2})(?!\d|[.,]\d)")
# "2026-09-14", as some systems print it (a membership, a web shop); not inside a longer reference ("2026-09-14-3").
ISO_DATE = re.compile(r"(?<![\w/.-])(\d{4})-(\d{2})-(\d{2})(?![\w/-]|\.\d)")
# OCR loses one of the two separators in a table cell ("26-01-2027" read as "2601-2027" or "26-012027"). Only with a
# year of this century and not after a reference word: "Dossier 2301-2026" is a number.
GLUED_DATE = re.compile(r"(?<![\w.,/-])(?:(\d{2})(\d{2})[-/.](20\d{2})|(\d{2})[-/.](\d{2})(20\d{2}))(?![\w-]|[.,]\d)")
REFERENCE_BEFORE = re.compile(r"(?i)(" + "|".join(REFERENCE_STEMS) + r"|nummer|nr|kenmerk)\W{0,3}$")  # the note check's words
# A bailiff's writ dates itself in words: "Heden, de twaalfde januari tweeduizend zevenentwintig".
WORDS_DATE = re.compile(rf"\b([^\W\d_]+)\s+({_MONTH_NAMES})\s+tweeduizend(?:[\s-]?([^\W\d_]+))?\b", re.IGNORECASE)
# "vóór vrijdag 20 november", "uiterlijk 1 maart": a date without its year (a club's or a school's letter). Read only
# beside the letter's date, as the one of that day and month nearest to it.
YEARLESS_DATE = re.compile(rf"\b(?:(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\s+)?(\d{{1,2}})\s+({_MONTH_NAMES})\b"
                           r"(?!\.?,?\s*(?:\d|['’]\d))", re.IGNORECASE)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))  # a count in digits or words, as a pattern
RELATIVE = re.compile(
    rf"\bbinnen\s+(\d{{1,3}}|{NUMBER})\s+(werkdagen|werkdag|kalenderdagen|dagen|dag|weken|week|maanden|maand)\b"
    r"(?P<anchor>[^.;:]{0,80}?\b(dagtekening|verzenddatum|datum (van|op) (deze|dit|de) (brief|besluit|beschikking|aanslag)|"
    r"(dag|datum) (waarop|van) [^.;:]{0,40}?(verzonden|verstuurd|bekendgemaakt|gedagtekend)|verzending|bekendmaking|"
    r"factuurdatum|notadatum|datum van de (factuur|nota)|heden))?",  # "binnen twee dagen na heden": a writ's day
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # OCR noise such as "31-02-2025"


# OCR reads a zero as the letter O and a one as l or I inside numbers ("2O26", "l5-03-2026"). In a group of digits
# and such letters with at least one real digit, and no other letters, they are digits. One character for one, so
# positions in the text stay the same.
_DIGIT_GROUP = re.compile(r"(?<![^\W\d_])(?=[0-9OoIl]*\d)[0-9OoIl]{2,}(?![^\W\d_])")
_AS_DIGIT = str.maketrans("OoIl", "0011")


def digitise(text: str) -> str:
    """Letters OCR put inside numbers read as the digits they stand for; the text keeps its length."""
    return _DIGIT_GROUP.sub(lambda m: m.group(0).translate(_AS_DIGIT), text)


def find_dates(text: str) -> list[FoundDate]:
    text = digitise(text)
    found = []
    for m in WRITTEN_DATE.finditer(text):
        date = _safe_date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    for m in NUMERIC_DATE.finditer(text):
        date = _safe_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    taken = {f.start for f in found}
    for m in LOOSE_DATE.finditer(text):
        month = ocr_month(m.group(2)) if m.start() not in taken else None
        date = _safe_date(int(m.group(3)), month, int(m.group(1))) if month else None
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    for m in ISO_DATE.finditer(text):
        date = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    for m in DOTTED_SHORT_DATE.finditer(text):
        date = _safe_date(2000 + int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    for m in SHORT_YEAR_DATE.finditer(text):
        date = _safe_date(2000 + int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    found += _glued_and_worded(text, {f.start for f in found})
    return sorted(found, key=lambda f: f.start)


def _glued_and_worded(text: str, taken: set[int]) -> list[FoundDate]:
    """Dates OCR glued together ("2601-2027") and dates in words ("de twaalfde januari tweeduizend zevenentwintig")."""
    found = []
    for m in GLUED_DATE.finditer(text):
        if m.start() in taken or REFERENCE_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            continue
        day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        date = _safe_date(int(year), int(month), int(day))
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    for m in WORDS_DATE.finditer(text):
        day, year = ordinal_word(m.group(1)), number_word(m.group(3)) if m.group(3) else 0
        date = _safe_date(2000 + year, MONTHS[m.group(2).lower()], day) if day is not None and year is not None else None
        if date:
            found.append(FoundDate(date, m.start(), m.end()))
    return found


def find_yearless(text: str, letter_date: dt.date) -> list[FoundDate]:
    """Dates written without a year, as the one nearest to the letter's date (a weekday beside it decides between two
    years when it fits only one)."""
    found = []
    for m in YEARLESS_DATE.finditer(digitise(text)):
        month, day = MONTHS[m.group(3).lower()], int(m.group(2))
        options = [d for d in (_safe_date(letter_date.year + k, month, day) for k in (-1, 0, 1)) if d]
        if m.group(1):
            weekday = WEEKDAYS.index(m.group(1).lower())
            options = [d for d in options if d.weekday() == weekday] or options
        if options:
            found.append(FoundDate(min(options, key=lambda d: abs((d - letter_date).days)), m.start(), m.end()))
    return found


_FULL_MONTHS = [name for name in MONTHS if len(name) >= 4 and name not in ("sept",)]


def ocr_month(word: str) -> int | None:
    """The month a misread month name stands for, or None when it is no month or could be two ("jusi": juni or juli)."""
    word = word.lower()
    if word in MONTHS:
        return MONTHS[word]
    if "rn" in word and word.replace("rn", "m") in MONTHS:  # OCR reads m as rn ("rnaart", "decernber")
        return MONTHS[word.replace("rn", "m")]
    for at in (i for i, c in enumerate(word) if c == "n"):  # and "ri" as n ("januan", "februan")
        if word[:at] + "ri" + word[at + 1:] in MONTHS:
            return MONTHS[word[:at] + "ri" + word[at + 1:]]
    candidates = _FULL_MONTHS if len(word) >= 4 else [name for name in MONTHS if len(name) == 3]
    closest, _ = nearest(word, candidates, 2 if len(word) >= 7 else 1)
    months = {MONTHS[name] for name in closest}  # "sep" and "september" are one answer
    return months.pop() if len(months) == 1 else None


def add_period(start: dt.date, amount: int, unit: str) -> dt.date:
    unit = unit.lower()
    if unit.startswith("werkdag"):
        day = start
        while amount > 0:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                amount -= 1
        return day
    if unit in ("week", "weken"):
        return start + dt.timedelta(weeks=amount)
    if unit.startswith("maand"):
        month = start.month - 1 + amount
        year, month = start.year + month // 12, month % 12 + 1
        return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    return start + dt.timedelta(days=amount)


def subtract_period(end: dt.date, amount: int, unit: str) -> dt.date:
    """The day ``amount`` days, working days or weeks before ``end`` ("3 werkdagen vóór uw afspraak")."""
    if unit.lower().startswith("werkdag"):
        day = end
        while amount > 0:
            day -= dt.timedelta(days=1)
            if day.weekday() < 5:
                amount -= 1
        return day
    return end - dt.timedelta(weeks=amount) if unit.lower() in ("week", "weken") else end - dt.timedelta(days=amount)


@dataclass(frozen=True)
class RelativePeriod:
    amount: int
    unit: str
    anchored: bool  # "na dagtekening" or similar was written: the period certainly counts from the letter date
    start: int
    end: int

    def deadline(self, letter_date: dt.date) -> dt.date:
        return add_period(letter_date, self.amount, self.unit)


def number_of(raw: str) -> int:
    """A count NUMBER matched ("14", "zes")."""
    return int(raw) if raw.isdigit() else NUMBER_WORDS[raw.lower()]


def find_relative(text: str) -> list[RelativePeriod]:
    periods = []
    for m in RELATIVE.finditer(text):
        periods.append(RelativePeriod(number_of(m.group(1)), m.group(2), bool(m.group("anchor")), m.start(), m.end()))
    return periods


DATE_LABEL = phrase(r"(?<![\w-])(datum|dagtekening|verzenddatum|datum van verzending|verzonden op|factuurdatum|notadatum|briefdatum|"
                   r"datum (van )?(deze )?(brief|factuur|nota)|heden,?\s*de)\s*[:.]?\s*(\w+dag\s+)?$")  # a writ: "Heden, de ..."
# "Rotterdam, 3 juni 2026" (OCR reads the comma as a full stop). Matched from the line's start with re.match at a
# position, so without "^": that would only match at the start of the whole text.
PLACE_COMMA = re.compile(r"\s*(?:'s-)?[A-Z][\w'’ -]{1,40}[,.]\s*(\w+dag\s+)?$")
# "Uiterste datum: 22-05-2026" on a payment slip is a deadline, not the letter's date (written apart or as one word).
NOT_LETTER_DATE = phrase(r"(geboorte|ingangs|verval|eind|start|betaal|uiterste|vervaldag)\s?datum|vervaldag")

# How far before a date its label ("Datum:", "Rotterdam,") is looked for. Searching the whole line before every date
# made a 60,000-character line full of dates quadratic (seconds of CPU); a label is a few words long.
LABEL_WINDOW = 200


def find_letter_date(text: str, dates: list[FoundDate]) -> dt.date | None:
    """The date after a label ("Datum:", "Dagtekening") or a place ("Rotterdam, 3 juni 2026"); else the first date of the
    head. The head ends at the salutation: "Op 23 mei 2026 heeft u een aanvraag gedaan" in the body is an event, and an
    objection period counted from it would end weeks too early. A label in the head comes first: "Uw afspraak / Datum:
    donderdag 4 maart" in the body is the appointment. A place and a date under the signature or the footer ("Zeist,
    3 december 2026") date a letter whose head has none; a date in the subject line ("Betreft: ... vanaf 1 januari
    2027") is what the letter is about."""
    lines = text.splitlines()
    head = sum(len(line) + 1 for line in lines[:head_end(lines)])
    labelled = [(found, kind) for found in dates if (kind := _label(text, found))]
    for found, _ in labelled:
        if found.start < head:
            return found.date
    column = _date_under_column(text, dates) or _date_beside_label(text)
    if column:
        return column
    for found, kind in labelled:
        if kind == "place":
            return found.date
    for found in dates:
        if found.start < head and not SUBJECT_LINE.match(text, text.rfind("\n", 0, found.start) + 1, found.start):
            return found.date
    for found, _ in labelled:
        return found.date
    return None


def _date_beside_label(text: str) -> dt.date | None:
    for label, _, value in label_values(text):
        if DATE_LABEL.search(label) and not NOT_LETTER_DATE.search(label):
            found = find_dates(value)
            if found:
                return found[0].date
    return None


SUBJECT_LINE = phrase(r"\s*(betreft|onderwerp|inzake|subject)\b")


def _label(text: str, found: FoundDate) -> str:
    """"label" when a label stands before the date, "place" when a place does ("Rotterdam, "), else ""."""
    line_start = text.rfind("\n", max(0, found.start - LABEL_WINDOW), found.start) + 1
    window = max(line_start, found.start - LABEL_WINDOW)
    # pos/endpos instead of a slice: the look-behind still sees the character before the window, and $ is the date.
    if DATE_LABEL.search(text, window, found.start) and not NOT_LETTER_DATE.search(text, window, found.start):
        return "label"
    if window == line_start and PLACE_COMMA.match(text, line_start, found.start):
        return "place"
    return ""


# OCR reads a column of labels and the column of their values one after the other: "Factuurnummer / Factuurdatum /
# Vervaldatum / Patiënt", then (perhaps after a blank line) "26-1221-0418 / 21-12-2026 / 20-01-2027 / P. Mulder". The
# n-th value belongs to the n-th label.
_LABEL_LINE = re.compile(r"\s*[A-ZÀ-Ý][^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s*:?\s*$")
_KNOWN_LABEL = phrase(r"(datum|dagtekening|nummer|kenmerk|betreft|onderwerp|patiënt|klant|termijn|periode|bedrag)")


def label_values(text: str) -> list[tuple[str, int, str]]:
    """(label, offset of its value line, value line) for every label of a column read apart from its values."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    pairs: list[tuple[str, int, str]] = []
    i = 0
    while i < len(lines):
        run = i
        while run < len(lines) and _LABEL_LINE.fullmatch(lines[run]) and not find_dates(lines[run]):
            run += 1
        labels = lines[i:run]
        if len(labels) >= 2 and sum(1 for label in labels if _KNOWN_LABEL.search(label)) >= 2:
            values = [k for k in range(run, min(len(lines), run + 3 * len(labels))) if lines[k].strip()][:len(labels)]
            if len(values) == len(labels) and not any(_LABEL_LINE.fullmatch(lines[k]) for k in values):
                pairs += [(label.strip(" :"), starts[k], lines[k]) for label, k in zip(labels, values, strict=True)]
        i = max(run, i + 1)
    return pairs


# "Uw brief van   Uw kenmerk   Ons kenmerk   Datum" over "14 januari 2026   -   AV-IB/66   27 mei 2026": the letter's
# date is the one under the column named "Datum", not the first date of the head (that is the date of the reader's letter).
HEAD_LINES_FOR_COLUMNS = 30
_DATE_COLUMN = re.compile(r"(?i)(?:^|\s{2,})(datum|dagtekening|verzenddatum)\s*$|(?:^|\s{2,})(datum|dagtekening|verzenddatum)\s{2,}")


def _date_under_column(text: str, dates: list[FoundDate]) -> dt.date | None:
    lines = text.split("\n")
    for number, line in enumerate(lines[:HEAD_LINES_FOR_COLUMNS]):
        column = _date_column(line)
        if column is None:
            continue
        below = next((k for k in range(number + 1, min(number + 3, len(lines))) if lines[k].strip()), None)
        if below is None:
            return None
        below_start = sum(len(x) + 1 for x in lines[:below])
        row = [f for f in dates if below_start <= f.start < below_start + len(lines[below])]
        if not row:
            continue
        if column >= 0:
            return min(row, key=lambda f: abs((f.start - below_start) - column)).date
        return (row[-1] if column == _LAST else row[0]).date
    return None


_FIRST, _LAST = -1, -2
_OTHER_COLUMNS = re.compile(r"(?i)\b(kenmerk|brief van|uw brief|contactpersoon|behandeld door|nummer|onderwerp)\b")


def _date_column(line: str) -> int | None:
    """Where a header line names the date column: its character offset when the columns stand apart, else (read by OCR,
    which keeps one space) _FIRST or _LAST when "Datum" is the header's first or last word beside other column names."""
    if re.search(r"\d", line):
        return None
    m = _DATE_COLUMN.search(line)
    if m and len(re.split(r"\s{2,}", line.strip())) >= 2:
        return m.start(1) if m.group(1) else m.start(2)
    words = line.split()
    if len(words) >= 3 and _OTHER_COLUMNS.search(line):
        if words[-1].lower() in ("datum", "dagtekening", "verzenddatum"):
            return _LAST
        if words[0].lower() in ("datum", "dagtekening", "verzenddatum"):
            return _FIRST
    return None
