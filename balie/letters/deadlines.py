"""The dates a letter sets for its reader: dates written next to a request or a label ("uiterlijk", "Vervaldatum"),
periods counted from the letter's date ("binnen zes weken na dagtekening"), and the due dates in a table of
instalments. Dates that ask nothing are left out: the end of a period, what the sender does or the reader gets, what
happens if the reader does not act, an earlier event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import texts
from .dates import NUMBER, RelativePeriod, find_dates, find_relative, find_yearless, label_values, number_of, subtract_period
from .ocrwords import nearest
from .phrases import PERIOD_END, SENDER_ACTS, phrase
from .requests import CONDITION, RECEIVES, asks_action, asks_payment, kind_of
from .sentences import paragraph_sentences
from .texts import KIND_LABELS, translated

DEADLINE_BEFORE = phrase(r"(uiterlijk|vóór|voor|tot en met|t/m|tot|uiterste datum|vervaldatum|op of voor|uiterste betaaldatum|betaaldatum|"
                      r"(dient|moet|moeten)( \w+){0,4} op)\s*(op\s+)?(\w+dag\s+)?[:]?\s*$")
# "01-01-2027 t/m 31-12-2027", "van 1 januari tot 1 juli": the end of a period, not a date to act by.
RANGE_END = phrase(r"(\d{2,4}|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s*(t/m|tot en met|tot|-|–)\s*"
                  r"(\w+dag\s+)?$")  # "van woensdag 10 juni tot en met vrijdag 12 juni": a weekday may stand before the end
NOT_DEADLINE_BEFORE = phrase(r"(vanaf|sinds|ingaande|per|van|na)\s*(\w+dag\s+)?$")


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    kind: str  # betalen, bezwaar, documenten, reageren
    sentence: str
    computed: bool  # worked out from a relative period and the letter date

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def label_shown(self) -> str:
        return translated(KIND_LABELS[self.kind])


def _date_to_act_by(sentence: str, found_start: int, asks: bool, others_act: bool) -> bool:
    """Whether a date in the sentence is one the reader must act by (its letter-date check is done by the caller).
    `others_act`: the sentence says what the sender does or what the reader gets (read once per sentence: a line of a
    thousand dates stays linear)."""
    # Bullets and table rules between a label and its date ("uiterlijk • dinsdag 16 juni", "| Vervaldatum | 30-04-2026").
    # OCR reads a speck as an underscore or a dash ("APK vervaldatum: _ 09-01-2027").
    before = re.sub(r"[•·▪◦*|]|(?<=\s)[_~—]+(?=\s)", " ", sentence[max(0, found_start - 40):found_start])
    if CONDITION.match(sentence) and not DEADLINE_BEFORE.search(before):
        return False  # "Als u niet betaalt, laten wij u dagvaarden ... op 3 juni": what happens then, not a date to act by
    if NOT_DEADLINE_BEFORE.search(before) and not DEADLINE_BEFORE.search(before):
        return False  # "vanaf 12 juni": a start date, not a deadline
    if RANGE_END.search(before) or PERIOD_END.search(before):
        return False  # "01-01-2027 t/m 31-12-2027", "duurt tot en met 15 november": the end of a period
    if not asks and others_act:
        return False  # "Wij maken het bedrag uiterlijk 31 maart over", "Die ontvangt u vóór 10 juli": nothing to do by then
    return bool(DEADLINE_BEFORE.search(before) or asks)


def _period_to_act_in(period: RelativePeriod, asks: bool, sender_acts: bool, earlier: bool) -> bool:
    """`sender_acts`: the sentence says what the sender does; `earlier`: it names a date before the letter's."""
    if not (period.anchored or asks) or sender_acts:
        return False  # "Wij betalen het bedrag binnen vier weken aan u terug": the sender's period, not the reader's
    # "Dit vonnis is op 8 september aan u betekend, met het bevel om binnen twee dagen te betalen": counted from then.
    return period.anchored or not earlier


def find_deadlines(text: str, letter_date: dt.date | None) -> tuple[list[Deadline], list[tuple[str, dict[str, str]]]]:
    deadlines: dict[tuple[dt.date, str], Deadline] = {}
    notes: list[tuple[str, dict[str, str]]] = []
    previous = ""
    sentences = paragraph_sentences(text)
    pays = any(asks_payment(sentence) for sentence, _ in sentences)
    events: dict[str, set[dt.date]] = {}
    for sentence, _ in sentences:
        # "Dan kunt u bezwaar maken. Dit moet binnen zes weken ...": the action is in the sentence before.
        kind = kind_of(sentence)
        if kind == "reageren" and previous:
            kind = kind_of(previous)
        previous = sentence
        asks = asks_action(sentence)
        sender_acts = bool(SENDER_ACTS.search(sentence))
        others_act = sender_acts or bool(RECEIVES.search(sentence))
        dates = find_dates(sentence)
        if letter_date:
            dates += find_yearless(sentence, letter_date)  # never a date with its year: the pattern refuses one after the month
        for found in dates:
            # The letter date itself, or something that already happened ("uw aanvraag van 6 februari"), is no deadline.
            if (not letter_date or found.date > letter_date) and _date_to_act_by(sentence, found.start, asks, others_act):
                # "Vervaldatum: 20-01-2027" on a line of its own in a letter that asks for money: the date to pay by (in
                # the RDW's "APK vervaldatum" nothing is paid).
                due = kind == "reageren" and pays and _PAY_LABEL.search(sentence[max(0, found.start - 40):found.start])
                date_kind = "betalen" if due else kind
                deadlines.setdefault((found.date, date_kind), Deadline(found.date, date_kind, sentence, False))
        earlier = bool(letter_date and any(f.date < letter_date for f in dates))
        for period in find_relative(sentence):
            if not _period_to_act_in(period, asks, sender_acts, earlier):
                continue
            if letter_date is None:
                notes.append((texts.NOTE_PERIOD_WITHOUT_DATE, {"period": sentence[period.start:period.end]}))
                continue
            date = period.deadline(letter_date)
            deadlines.setdefault((date, kind), Deadline(date, kind, sentence, True))
        for date in _counted_back(sentence, text, letter_date, events):
            deadlines.setdefault((date, kind), Deadline(date, kind, sentence, True))
    for label, _, value in label_values(text):  # "Vervaldatum" read apart from its "20-01-2027"
        if _DUE_COLUMN.search(label):
            kind = "betalen" if pays else "reageren"  # "APK vervaldatum": nothing to pay
            for found in find_dates(value):
                if not letter_date or found.date > letter_date:
                    deadlines.setdefault((found.date, kind), Deadline(found.date, kind, f"{label}: {value.strip()}", False))
    for date, row in _table_deadlines(text, letter_date):
        deadlines.setdefault((date, "betalen"), Deadline(date, "betalen", row, False))
    return sorted(deadlines.values(), key=lambda d: d.date), notes


# "Vul de vragenlijst uiterlijk 3 werkdagen vóór uw afspraak in": counted back from the date the letter gives the
# appointment ("Uw afspraak / Datum: donderdag 4 maart 2027"), when it gives exactly one.
BEFORE_EVENT = phrase(r"\b(\d{1,2}|" + NUMBER + r")\s+(werkdagen|werkdag|dagen|dag|weken|week)\s+"
                      r"(?:vóór|voor|voorafgaand aan)\s+(?:uw|de|het|je)\s+([^\W\d_]{4,20})")
EVENT_REACH = 160  # characters after the event's word in which its date stands
MAX_EVENTS = 5  # a letter names one or two; a text full of them is no letter worth reading for each


def _counted_back(sentence: str, text: str, letter_date: dt.date | None, events: dict[str, set[dt.date]]) -> list[dt.date]:
    """`events`: the dates found per event word so far in this letter (each word is looked up once)."""
    found = []
    for m in BEFORE_EVENT.finditer(sentence):
        event = m.group(3).lower()
        if event not in events:
            if len(events) >= MAX_EVENTS:
                continue
            events[event] = {f.date for at in (k.start() for k in re.finditer(rf"\b{re.escape(event)}\b", text, re.IGNORECASE))
                             for f in find_dates(text[at:at + EVENT_REACH]) if not letter_date or f.date > letter_date}
        dates = set(events[event])
        if len(dates) == 1:
            found.append(subtract_period(dates.pop(), number_of(m.group(1)), m.group(2)))
    return [date for date in found if not letter_date or date > letter_date]


# A table of instalments: "Termijn   Vervaldatum   Bedrag" over rows "1   31-03-2026   € 456,97". The column's name
# says the row's date is the date to pay by; the rows are no sentences, so find_deadlines alone misses them.
_PAY_WORDS = r"vervaldatum|vervaldag|uiterste betaaldatum|betaaldatum|te betalen (vóór|voor|op)|betalen (vóór|voor)"
_DUE_COLUMN = phrase(rf"\b({_PAY_WORDS}|uiterste datum|uiterlijk( betalen)?)\b")


_PAY_LABEL = phrase(rf"\b({_PAY_WORDS})[\W_]*$")
_DUE_WORDS = ("vervaldatum", "uiterlijkop", "uiterlijk", "betaaldatum", "vervaldag")
_COLUMN_WORD = phrase(r"\b(bedrag|termijn|nr|nummer|omschrijving|datum)\b")
_SENTENCE_WORD = phrase(r"\b(u|uw|wij|we|ons|het|de|een|is|dat|moet)\b")


def _table_header(line: str) -> bool:
    """A table's header naming a due date: columns apart by wide gaps, or (read by OCR, which keeps one space) a few
    column words and no words of a sentence ("Termijn Vervaldatum Bedrag", not "Betaal het bedrag uiterlijk")."""
    if not _DUE_COLUMN.search(line) and not any(nearest(word.lower(), _DUE_WORDS, 2)[0] for word in re.findall(r"[^\W\d_]{8,}", line)):
        return False  # also as OCR misreads it ("Uiterfijkop")
    if len(re.split(r"\s{2,}|\t", line.strip())) >= 2:
        return True
    words = line.split()
    return 2 <= len(words) <= 6 and bool(_COLUMN_WORD.search(_DUE_COLUMN.sub(" ", line))) and not _SENTENCE_WORD.search(line)


def _table_deadlines(text: str, letter_date: dt.date | None) -> list[tuple[dt.date, str]]:
    found: list[tuple[dt.date, str]] = []
    rows_left = blanks = 0
    for line in text.splitlines():
        if not line.strip():
            # OCR puts an empty line between rows now and then; two in a row end the table.
            blanks += 1
            rows_left = rows_left if blanks < 2 else 0
            continue
        after_blank, blanks = blanks > 0, 0
        if _table_header(line) and not find_dates(line):
            rows_left = 12  # a header of such a table: its rows follow, until two empty lines or a sentence
            continue
        if rows_left and after_blank and _SENTENCE_WORD.search(line):
            rows_left = 0  # the text goes on below the table
        if rows_left:
            rows_left -= 1
            row = [(d.date, line.strip()) for d in find_dates(line) if not letter_date or d.date > letter_date]
            rows_left = rows_left if row or not _SENTENCE_WORD.search(line) else 0  # a sentence ends the table
            found += row
    return found
