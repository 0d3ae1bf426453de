"""What does this letter say? Sender, date, deadlines, amounts, reference numbers, the requested action and the jargon.

Everything happens in memory on the text of one letter; nothing is stored or logged. The rules are written for
Dutch letters (government, municipalities, water boards, housing associations, insurers, energy companies, collection
agencies) and their fixed phrases.

Safety first (review B1): a letter that asks for money or sets a date for the visitor is never summarised as "nothing
to do". When the rules cannot tell what the letter wants but it does set a date or uses asking words, the answer is
"onzeker": read it together with the staff member, and mind the date.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field

from balie.core import pii
from balie.core.pii.codes import REFERENCE_WORDS
from balie.messagecheck.domains import DomainRegister, base_register

from . import texts
from .amounts import THE_AMOUNT, find_amounts, format_euro, named_before
from .dates import RelativePeriod, find_dates, find_letter_date, find_relative
from .glossary import Term, find_terms
from .phrases import (
    ASKS,
    DATE_CUE,
    DEBIT,
    DOCUMENTS,
    HYPOTHETICAL,
    NEGATIVE_DECISION,
    NO_PAY,
    NOTHING_TO_DO,
    OBJECTION,
    OFFER,
    PAY,
    PERIOD_END,
    PERIOD_WORDS,
    SENDER_ACTS,
    WEAK_PAY,
    phrase,
)
from .readability import Readability, readability
from .sender import find_sender
from .texts import ACTIONS, KIND_LABELS, NOTHING_BUT_OBJECTION, OTHER_LANGUAGE, UNSURE_NO_DATE, translated

MIN_WORDS = 15
# A letter is written in sentences: of the bench's 168 letters the sparsest has 13 common Dutch words in 81 (16 %) and
# 52 different words. Code, a list of numbers or one word repeated (a text file named .jpg) has next to none.
MIN_COMMON_WORDS = 3
MIN_COMMON_SHARE = 0.05
MIN_DIFFERENT_WORDS = 10
FOREIGN_COMMON_SHARE = 0.1  # letters in English, German, ...: 20-35 % common words
MAX_CHARS = 60_000
# Tesseract's median line confidence (0-100) below which a photo counts as read only in part: well-read bench photos
# (blur, JPEG 30-60, soft shadows) have a median of 90-96; a reminder under a hard shadow edge, read as fragments, 73.
POOR_READING = 85

DEADLINE_BEFORE = phrase(r"(uiterlijk|vóór|voor|tot en met|t/m|tot|uiterste datum|vervaldatum|op of voor|uiterste betaaldatum|betaaldatum|"
                      r"(dient|moet|moeten)( \w+){0,4} op)\s*(op\s+)?(\w+dag\s+)?[:]?\s*$")
# "01-01-2027 t/m 31-12-2027", "van 1 januari tot 1 juli": the end of a period, not a date to act by.
RANGE_END = phrase(r"(\d{2,4}|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s*(t/m|tot en met|tot|-|–)\s*"
                  r"(\w+dag\s+)?$")  # "van woensdag 10 juni tot en met vrijdag 12 juni": a weekday may stand before the end
NOT_DEADLINE_BEFORE = phrase(r"(vanaf|sinds|ingaande|per|van|na)\s*(\w+dag\s+)?$")
ACTION_VERB = phrase(r"\b(gelieve|over te maken|betaal|betaalt|betalen|stuur|stuurt|sturen|terugsturen|opsturen|reageer|reageren|lever|leveren|upload|uploaden|"
                  r"bezwaar|aanvragen|vraag|vul|invullen|moet|moeten|voldoen|overmaken|maak|bel|bellen|neem|laat|inleveren|indienen|"
                  r"verzoeken|dient|dienen)\b")
# The same words as the note check's (core/pii/codes.py): what identifies a person there is what they mention here.
REFERENCE = phrase(r"\b(" + REFERENCE_WORDS + r")\b[ \t]*[:.]?\s{0,4}([A-Z0-9][A-Z0-9 .\-/]{2,40})")  # OCR may put the number a blank line lower
_REF_TOKEN = re.compile(r"^(?=.*\d)[A-Z0-9.\-/]+$|^[A-Z]{1,2}$")
_STOPWORDS = {
    "nl": "de het een en van in is dat op te zijn voor met niet u uw wij we ons aan er om bij ook als dan maar nog naar deze dit hebben heeft kunt moet wordt worden",
    "en": "the and of to in is that for you your we our with on be are this will not have has please if can",
    "de": "der die das und ist nicht sie ihr wir uns mit von zu den dem bitte wird sind haben ein eine",
    "fr": "le la les et est des vous votre nous pour avec dans une pas sur être du au",
    "pl": "i w na nie się z do że jest to jak ale pan pani prosimy od dla",
    "tr": "ve bir bu için ile çok olarak sayın size lütfen",
    "es": "el los las y es que en por para usted su una con del",
}
STOPWORDS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class LetterInputError(ValueError):
    """A letter we cannot explain, with a Dutch message for the user."""


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


@dataclass
class LetterResult:
    sender: str
    date: dt.date | None
    deadlines: list[Deadline]
    amounts: list[str]
    action: str
    terms: list[Term]
    references: list[tuple[str, str]]
    readability: Readability
    text: str  # the letter text with BSNs masked, for the staff member to check what was read
    notes: list[str] = field(default_factory=list)
    note_texts: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # the notes as (Dutch text, values)
    pay_amount: str = ""  # the amount the letter asks to pay, when a payment sentence names one

    @property
    def action_text(self) -> str:
        if self.action == "niets" and self.deadlines:
            return NOTHING_BUT_OBJECTION
        if self.action == "onzeker" and not self.deadlines:
            return UNSURE_NO_DATE
        return ACTIONS[self.action]

    @property
    def action_shown(self) -> str:
        return translated(self.action_text)

    @property
    def notes_shown(self) -> list[str]:
        return [translated(text, values) for text, values in self.note_texts]

    @property
    def amounts_shown(self) -> list[str]:
        return [format_euro(a) for a in self.amounts]

    @property
    def pay_amount_shown(self) -> str:
        return format_euro(self.pay_amount) if self.pay_amount else ""

    @property
    def can_object(self) -> bool:
        return bool(OBJECTION.search(self.text))

    def as_json(self) -> dict[str, object]:
        return {
            "afzender": self.sender,
            "datum": self.date.isoformat() if self.date else None,
            "termijnen": [{"datum": d.date.isoformat(), "tekst": d.sentence} for d in self.deadlines],
            "bedragen": self.amounts,
            "actie": self.action,
            "begrippen": [{"term": t.term, "uitleg": t.uitleg} for t in self.terms],
        }


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


def _paragraph_sentences(text: str) -> list[tuple[str, int]]:
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


def check_language(text: str, picture: bool = False) -> None:
    """Refuses what is no Dutch letter; ``picture``: the text was read from a photo or scan, so too little of it is the
    picture's fault (a new photo helps), not the file's."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        raise LetterInputError(texts.HARDLY_READ if picture else texts.TOO_SHORT)
    non_latin = sum(1 for c in text if c.isalpha() and not c.isascii() and not ("À" <= c <= "ž"))
    if non_latin > 0.3 * sum(1 for c in text if c.isalpha()):
        raise LetterInputError("Deze brief is niet in het Nederlands geschreven. Balie kan alleen Nederlandse brieven uitleggen.")
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    best = max(counts, key=counts.get)
    # Another language only when its common words are a real share of the text: random letters (a base64 blob) hold
    # Polish "i", "w" and "z" by chance, and that is no Polish letter.
    if best != "nl" and counts[best] > 1.5 * counts["nl"] and counts[best] >= FOREIGN_COMMON_SHARE * len(words):
        raise LetterInputError(OTHER_LANGUAGE[best])
    if counts["nl"] < max(MIN_COMMON_WORDS, MIN_COMMON_SHARE * len(words)) or len(set(words)) < MIN_DIFFERENT_WORDS:
        raise LetterInputError(texts.HARDLY_READ if picture else texts.NOT_A_LETTER)


def asks_payment(sentence: str) -> bool:
    sentence = HYPOTHETICAL.sub(" ", sentence)  # "Zo voorkomt u dat u later moet terugbetalen" asks nothing
    if NO_PAY.search(sentence):
        return False
    sentence = SENDER_ACTS.sub(" ", sentence)  # "Wij maken het bedrag uiterlijk 15 juli over op uw rekening"
    if CONDITION.match(sentence) and not DATE_CUE.search(sentence) and not re.search(r"\d", sentence):
        return False  # "Als u niet verzekerd bent, moet u alle zorgkosten zelf betalen": only in that case
    if HEADING_QUESTION.match(sentence):
        return False
    # "hoeveel u kunt missen om belastingen te betalen": a purpose, not a request ("Wij vragen u om ... te betalen" is one).
    # Only in a sentence without a date or a term: "U heeft tot 1 mei om het bedrag te betalen" asks to pay.
    if not REQUEST_BEFORE_PURPOSE.search(sentence) and not DATE_CUE.search(sentence) and not re.search(r"\d", sentence):
        sentence = PURPOSE.sub(" ", sentence)
    return bool(PAY.search(sentence) or (WEAK_PAY.search(sentence) and DATE_CUE.search(sentence)))


# The reader gets something by a date: "Die ontvangt u vóór 10 juli", "tot en met 31 januari 2031 krijgt u € 1.284".
RECEIVES = phrase(r"\b(ontvangt u|u ontvangt|krijgt u|u krijgt|ontvang je|je ontvangt|krijg je|je krijgt)\b")
PURPOSE = phrase(r"\bom\b[^.,;]{0,50}\bte (terug)?betalen\b")
REQUEST_BEFORE_PURPOSE = phrase(r"\b(vragen|vraag|verzoeken|verzoek|verzocht|gelieve|sommeren|sommatie|dringend|vergeet|denk eraan|zorg|"
                                r"belangrijk|moet|dient)\b[^.]{0,60}\bom\b")
# A sentence that holds only in a case it names: "Als u ..., ...", "Blijft u onverzekerd, dan ...", "Was u wel verzekerd, stuur
# ons dan ...".
CONDITION = re.compile(r"\s*(?:let op:?\s*)?(?:(?:als|indien|wanneer|zolang|mocht)\s+(?:u|je|jij)\b|"
                       r"\w+\s+(?:u|je|jij)\b[^.?]{0,80}?,\s*(?:[^,.]{0,40}\s)?dan\b)", re.IGNORECASE)
# "Wat moet u doorgeven?", "Hoe betaalt u?": a heading over what follows, not a request itself.
# "Moet u nu betalen?" as well: the letter asks it itself and answers below ("Nee. U hoeft ...").
HEADING_QUESTION = re.compile(r"\s*((wat|hoe|waarom|wanneer|welke|waar|wie)\b|(moet|moeten|hoeft|hoeven) (u|ik|je|wij|we)\b)[^.?]*\?\s*$",
                              re.IGNORECASE)


def _conditional(sentences: list[str], i: int) -> bool:
    """A sentence that only applies in a case the letter names ("Kunt u het niet betalen? Stuur dan ...", "Als u ...,
    stuur dan ..."), or part of how to object ("Bent u het niet eens? ... Stuur het formulier naar ons")."""
    sentence = sentences[i]
    if OBJECTION.search(sentence) or CONDITION.match(sentence):
        return True
    if i and (sentences[i - 1].rstrip().endswith("?") and re.search(r"^\W*\w+\s+(\w+\s+)?dan\b", sentence, re.IGNORECASE)):
        return True
    return any(OBJECTION.search(s) for s in sentences[max(0, i - 2):i])


def _kind(sentence: str) -> str:
    if OBJECTION.search(sentence):
        return "bezwaar"
    if DOCUMENTS.search(sentence):
        return "documenten"
    if asks_payment(sentence):
        return "betalen"
    return "reageren"


def _asks(sentence: str) -> bool:
    """Whether the sentence asks the reader to act. "Op 23 december betalen wij uw AOW uit", "we storten op 15 oktober ...
    terug": the verb is the sender's, not a request to the reader."""
    return bool(ACTION_VERB.search(NO_PAY.sub(" ", sentence))) and not SENDER_ACTS.search(sentence)


def _date_to_act_by(sentence: str, found_start: int, asks: bool, others_act: bool) -> bool:
    """Whether a date in the sentence is one the reader must act by (its letter-date check is done by the caller).
    `others_act`: the sentence says what the sender does or what the reader gets (read once per sentence: a line of a
    thousand dates stays linear)."""
    # Bullets and table rules between a label and its date ("uiterlijk • dinsdag 16 juni", "| Vervaldatum | 30-04-2026").
    before = re.sub(r"[•·▪◦*|]", " ", sentence[max(0, found_start - 40):found_start])
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
    for sentence, _ in _paragraph_sentences(text):
        # "Dan kunt u bezwaar maken. Dit moet binnen zes weken ...": the action is in the sentence before.
        kind = _kind(sentence)
        if kind == "reageren" and previous:
            kind = _kind(previous)
        previous = sentence
        asks = _asks(sentence)
        sender_acts = bool(SENDER_ACTS.search(sentence))
        others_act = sender_acts or bool(RECEIVES.search(sentence))
        dates = find_dates(sentence)
        for found in dates:
            # The letter date itself, or something that already happened ("uw aanvraag van 6 februari"), is no deadline.
            if (not letter_date or found.date > letter_date) and _date_to_act_by(sentence, found.start, asks, others_act):
                deadlines.setdefault((found.date, kind), Deadline(found.date, kind, sentence, False))
        earlier = bool(letter_date and any(f.date < letter_date for f in dates))
        for period in find_relative(sentence):
            if not _period_to_act_in(period, asks, sender_acts, earlier):
                continue
            if letter_date is None:
                notes.append((texts.NOTE_PERIOD_WITHOUT_DATE, {"period": sentence[period.start:period.end]}))
                continue
            date = period.deadline(letter_date)
            deadlines.setdefault((date, kind), Deadline(date, kind, sentence, True))
    for date, row in _table_deadlines(text, letter_date):
        deadlines.setdefault((date, "betalen"), Deadline(date, "betalen", row, False))
    return sorted(deadlines.values(), key=lambda d: d.date), notes


# A table of instalments: "Termijn   Vervaldatum   Bedrag" over rows "1   31-03-2026   € 456,97". The column's name
# says the row's date is the date to pay by; the rows are no sentences, so find_deadlines alone misses them.
_DUE_COLUMN = phrase(r"\b(vervaldatum|vervaldag|uiterste (betaal)?datum|betaaldatum|te betalen (vóór|voor|op)|betalen (vóór|voor)|uiterlijk( betalen)?)\b")


_COLUMN_WORD = phrase(r"\b(bedrag|termijn|nr|nummer|omschrijving|datum)\b")
_SENTENCE_WORD = phrase(r"\b(u|uw|wij|we|ons|het|de|een|is|dat|moet)\b")


def _table_header(line: str) -> bool:
    """A table's header naming a due date: columns apart by wide gaps, or (read by OCR, which keeps one space) a few
    column words and no words of a sentence ("Termijn Vervaldatum Bedrag", not "Betaal het bedrag uiterlijk")."""
    if not _DUE_COLUMN.search(line):
        return False
    if len(re.split(r"\s{2,}|\t", line.strip())) >= 2:
        return True
    words = line.split()
    return 2 <= len(words) <= 6 and bool(_COLUMN_WORD.search(_DUE_COLUMN.sub(" ", line))) and not _SENTENCE_WORD.search(line)


def _table_deadlines(text: str, letter_date: dt.date | None) -> list[tuple[dt.date, str]]:
    found: list[tuple[dt.date, str]] = []
    rows_left = 0
    for line in text.splitlines():
        if not line.strip():
            rows_left = 0
            continue
        if _table_header(line) and not find_dates(line):
            rows_left = 12  # the header of such a table; its rows follow until a blank line
            continue
        if rows_left:
            rows_left -= 1
            found += [(d.date, line.strip()) for d in find_dates(line) if not letter_date or d.date > letter_date]
    return found


def find_pay_amount(text: str) -> str:
    """The amount in the last sentence that asks for payment ("U moet nu € 119,00 betalen"), or the amount an earlier
    sentence named when the payment sentence points back at it ("... totaal € 227,50. Wilt u dit bedrag overmaken?")."""
    amount = ""
    before: list[str] = []
    for sentence, _ in _paragraph_sentences(text):
        if asks_payment(sentence):
            found = find_amounts(sentence)
            if found:
                amount = found[-1]
            elif THE_AMOUNT.search(sentence):
                amount = named_before(before) or amount
        before.append(sentence)
    return amount


def find_references(text: str) -> list[tuple[str, str]]:
    refs = []
    for m in REFERENCE.finditer(text):
        tokens = []
        for token in m.group(2).split():
            # Numbers come in groups ("1234 5678 9012 3456"); the first ordinary word ends the number.
            if not _REF_TOKEN.match(token.rstrip(".")):
                break
            tokens.append(token)
            if token.endswith(".") and not re.search(r"\d\.\w", token):
                break  # end of sentence
        value = " ".join(tokens).strip(" .-/")
        if sum(c.isdigit() for c in value) >= 4:
            label = m.group(1)
            refs.append((label[0].upper() + label[1:], value))
    return list(dict.fromkeys(refs))


def find_action(text: str, deadlines: list[Deadline]) -> str:
    sentences = [s for s, _ in _paragraph_sentences(text)]
    papers = [i for i, s in enumerate(sentences) if DOCUMENTS.search(s) and not re.search(r"\bhoeft\b", s, re.IGNORECASE)]
    # Asked-for documents come first: without them nothing else happens (the application stops). Papers that belong to
    # an objection or to a case the letter names ("Kunt u niet betalen? Stuur dan ...") come after a payment.
    if any(not _conditional(sentences, i) for i in papers):
        return "documenten"
    if any(asks_payment(s) for s in sentences) or any(d.kind == "betalen" for d in deadlines):
        return "betalen"
    if any(NEGATIVE_DECISION.search(s) for s in sentences) and OBJECTION.search(" ".join(sentences)):
        return "bezwaar"
    if papers and not any(OBJECTION.search(sentences[i]) or any(OBJECTION.search(s) for s in sentences[max(0, i - 2):i]) for i in papers):
        return "documenten"
    return _safe_rest(sentences, deadlines)


def _safe_rest(sentences: list[str], deadlines: list[Deadline]) -> str:
    """No payment, papers or refusal found. 'niets' only when the letter sets no date to act by and asks nothing."""
    acting = [d for d in deadlines if d.kind != "bezwaar"]
    if acting and all(d.kind == "reageren" and ASKS.search(d.sentence) for d in acting):
        return "reageren"
    asking = [s for i, s in enumerate(sentences) if ASKS.search(HYPOTHETICAL.sub(" ", s)) and not re.search(r"\b(hoeft|hoeven)\b", s, re.IGNORECASE)
              and not SENDER_ACTS.search(s) and not HEADING_QUESTION.match(s)
              and not (RECEIVES.search(s) and not ACTION_VERB.search(NO_PAY.sub(" ", s)))
              and not OBJECTION.search(s) and not OFFER.search(s) and not (i and OFFER.search(sentences[i - 1]))
              # "Dan kunt u bezwaar maken. Dit moet binnen zes weken ...": the period of the objection before it
              and not (i and OBJECTION.search(sentences[i - 1]) and PERIOD_WORDS.search(s))]
    # A sentence about paying without a date ("U betaalt nu € 45 per maand") is a reason for doubt, unless the letter
    # itself says there is nothing to do.
    if not any(NOTHING_TO_DO.search(s) for s in sentences):
        asking += [s for s in sentences if WEAK_PAY.search(s) and not NO_PAY.search(s) and not re.search(r"\?$", s)
                   and not CONDITION.match(s)]
    # An amount that no sentence explains as money the reader gets (or as nothing to pay) is a reason for doubt too: a
    # photo that lost the verb ("letaal het bedrag van EUR ...") must not come out as "nothing to do".
    unexplained = not any(NO_PAY.search(s) or NOTHING_TO_DO.search(s) for s in sentences) and any(find_amounts(s) for s in sentences)
    # A bill that is debited ("wordt automatisch afgeschreven") is "nothing to do" only when the letter says so itself.
    debited = any(DEBIT.search(s) for s in sentences) and not any(NOTHING_TO_DO.search(s) for s in sentences)
    # An objection period that could not be turned into a date (a photo cut off "binnen zes weken", a letter without
    # its date): the visitor may have to act by a date we cannot name, so never "nothing to do".
    unread_period = (any(OBJECTION.search(s) for s in sentences) and any(PERIOD_WORDS.search(s) for s in sentences)
                     and not any(d.kind == "bezwaar" for d in deadlines))
    if acting or asking or unexplained or debited or unread_period:
        return "onzeker"
    return "niets"


def mask_bsn(text: str) -> str:
    """The letter text as we show it back: a BSN is never needed to explain a letter, so it is hidden."""
    findings = [f for f in pii.scan(text, names=False) if f.kind == "bsn"]
    return pii.redact(text, findings)


def explain_letter(text: str, register: DomainRegister | None = None, line_confidence: dict[str, float] | None = None) -> LetterResult:
    """What the letter asks. `line_confidence` (ocr.ReadResult.picture_confidence; None for typed or pasted text) says
    the text was read from a picture: it helps read the sender and says how well the picture was read."""
    if text is None or not text.strip():
        raise LetterInputError("Er is geen tekst. Plak de tekst van de brief, of kies een foto, scan of PDF.")
    if len(text) > MAX_CHARS:
        raise LetterInputError("Deze tekst is te lang voor één brief. Plak of kies één brief tegelijk.")
    text = text.replace("\r\n", "\n").replace("\u00a0", " ")
    check_language(text, picture=line_confidence is not None)
    register = register or base_register()
    dates = find_dates(text)
    letter_date = find_letter_date(text, dates)
    deadlines, notes = find_deadlines(text, letter_date)
    terms = find_terms(text)
    if letter_date is None:
        notes.append((texts.NOTE_NO_LETTER_DATE, {}))
    if DEBIT.search(text) and find_amounts(text):
        notes.append((texts.NOTE_DEBIT, {}))
    action = find_action(text, deadlines)
    if line_confidence and statistics.median(line_confidence.values()) < POOR_READING:
        # A photo read badly (a hard shadow across the text, a dark or shaken picture) may have lost the very sentence
        # that asks for money: "nothing to do" needs a letter we could read (issue 13: when unsure, say so).
        notes.append((texts.NOTE_POOR_READING, {}))
        if action == "niets":
            action = "onzeker"
    return LetterResult(
        sender=find_sender(text, register, line_confidence),
        date=letter_date,
        deadlines=deadlines,
        amounts=find_amounts(text),
        action=action,
        terms=terms,
        references=find_references(text),
        readability=readability([s for s, _ in _paragraph_sentences(text)], jargon=len(terms)),
        text=mask_bsn(text),
        notes=[text % values if values else text for text, values in notes],
        note_texts=notes,
        pay_amount=find_pay_amount(text) if action == "betalen" else "",
    )
