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
from .dates import find_dates, find_letter_date
from .deadlines import Deadline, find_deadlines
from .glossary import Term, find_terms
from .phrases import (
    ASKS,
    DEBIT,
    HYPOTHETICAL,
    NEGATIVE_DECISION,
    NO_PAY,
    NOTHING_TO_DO,
    OBJECTION,
    OFFER,
    PERIOD_WORDS,
    SENDER_ACTS,
    WEAK_PAY,
    phrase,
)
from .readability import Readability, readability
from .requests import CONDITION, HEADING_QUESTION, RECEIVES, asks_action, asks_papers, asks_payment, conditional, near_objection
from .sender import find_sender
from .sentences import paragraph_sentences
from .texts import ACTIONS, NOTHING_BUT_OBJECTION, OTHER_LANGUAGE, UNSURE_NO_DATE, translated

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


def find_pay_amount(text: str) -> str:
    """The amount in the last sentence that asks for payment ("U moet nu € 119,00 betalen"), or the amount an earlier
    sentence named when the payment sentence points back at it ("... totaal € 227,50. Wilt u dit bedrag overmaken?")."""
    amount = ""
    before: list[str] = []
    sentences = [s for s, _ in paragraph_sentences(text)]
    for i, sentence in enumerate(sentences):
        # "Betaalt u niet op tijd, dan sturen wij een aanmaning. U moet dan ook € 9,- betalen": what it costs if the
        # reader does not pay, not the amount the letter asks. "Liever in twee keer? Betaal dan € 106,25 ...": an
        # option, not the amount asked.
        consequence = bool(before and CONDITION.match(before[-1]) and re.search(r"\bdan\b", sentence, re.IGNORECASE))
        if asks_payment(sentence) and not consequence and not (amount and conditional(sentences, i)):
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
    sentences = [s for s, _ in paragraph_sentences(text)]
    papers = [i for i, s in enumerate(sentences) if asks_papers(s)]
    # Asked-for documents come first: without them nothing else happens (the application stops). Papers that belong to
    # an objection or to a case the letter names ("Kunt u niet betalen? Stuur dan ...") come after a payment.
    if any(not conditional(sentences, i) for i in papers):
        return "documenten"
    if any(asks_payment(s) for s in sentences) or any(d.kind == "betalen" for d in deadlines):
        return "betalen"
    if any(NEGATIVE_DECISION.search(s) for s in sentences) and OBJECTION.search(" ".join(sentences)):
        return "bezwaar"
    if papers and not any(near_objection(sentences, i) for i in papers):
        return "documenten"
    return _safe_rest(sentences, deadlines)


def _safe_rest(sentences: list[str], deadlines: list[Deadline]) -> str:
    """No payment, papers or refusal found. 'niets' only when the letter sets no date to act by and asks nothing."""
    acting = [d for d in deadlines if d.kind != "bezwaar"]
    if acting and all(d.kind == "reageren" and ASKS.search(d.sentence) for d in acting):
        return "reageren"
    asking = [s for i, s in enumerate(sentences) if ASKS.search(HYPOTHETICAL.sub(" ", s)) and not re.search(r"\b(hoeft|hoeven)\b", s, re.IGNORECASE)
              and not SENDER_ACTS.search(s) and not HEADING_QUESTION.match(s)
              and not (RECEIVES.search(s) and not asks_action(s))
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
        readability=readability([s for s, _ in paragraph_sentences(text)], jargon=len(terms)),
        text=mask_bsn(text),
        notes=[text % values if values else text for text, values in notes],
        note_texts=notes,
        pay_amount=find_pay_amount(text) if action == "betalen" else "",
    )
