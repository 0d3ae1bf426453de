"""What a sentence of a letter asks of its reader: to pay, to send papers, to act at all; and what only looks like it
(a condition, a purpose, the letter's own question, what the sender does or the reader gets).

The words of the rules are in phrases.py; here they are combined per sentence (deadlines.py and explain.py use them).
"""

from __future__ import annotations

import re

from .phrases import DATE_CUE, DOCUMENTS, HYPOTHETICAL, NO_PAY, OBJECTION, PAY, SENDER_ACTS, WEAK_PAY, phrase

ACTION_VERB = phrase(r"\b(gelieve|over te maken|betaal|betaalt|betalen|stuur|stuurt|sturen|terugsturen|opsturen|reageer|reageren|lever|leveren|upload|uploaden|"
                  r"bezwaar|aanvragen|vraag|vul|invullen|moet|moeten|voldoen|overmaken|maak|bel|bellen|neem|laat|inleveren|indienen|"
                  r"verzoeken|dient|dienen)\b")


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


# Papers someone else sends ("De gemeente Assen stuurt de rechtbank binnenkort de stukken van uw zaak") or the sender
# sends the reader ("Wij sturen u een nieuw contract"): nothing for the reader to send.
OTHERS_SEND = re.compile(r"\W*(?:(?:de|het)\s+[^.,?]{1,60}?\b(?:stuurt|zendt|levert|stuurde|heeft\s+\w+\s+gestuurd)\b|"
                         r"(?:wij|we)\s+(?:sturen|zenden)\s+(?:u|je|jou)\b)", re.IGNORECASE)


def asks_papers(sentence: str) -> bool:
    """Whether the sentence asks the reader for papers (a copy, a form, payslips)."""
    if not DOCUMENTS.search(sentence) or re.search(r"\bhoeft\b", sentence, re.IGNORECASE):
        return False
    return not OTHERS_SEND.match(sentence)


def asks_action(sentence: str) -> bool:
    """Whether the sentence asks the reader to act. "Op 23 december betalen wij uw AOW uit", "we storten op 15 oktober ...
    terug": the verb is the sender's, not a request to the reader."""
    return bool(ACTION_VERB.search(NO_PAY.sub(" ", sentence))) and not SENDER_ACTS.search(sentence)


def near_objection(sentences: list[str], i: int) -> bool:
    """The sentence is about objecting, or follows one within two sentences ("Bent u het niet eens? ... Stuur het
    formulier naar ons")."""
    return any(OBJECTION.search(s) for s in sentences[max(0, i - 2):i + 1])


def conditional(sentences: list[str], i: int) -> bool:
    """A sentence that only applies in a case the letter names ("Kunt u het niet betalen? Stuur dan ...", "Als u ...,
    stuur dan ..."), or part of how to object ("Bent u het niet eens? ... Stuur het formulier naar ons")."""
    sentence = sentences[i]
    if near_objection(sentences, i) or CONDITION.match(sentence):
        return True
    if not re.search(r"^\W*\w+\s+(\w+\s+)?dan\b", sentence, re.IGNORECASE):
        return False
    # "Liever in twee keer? Dat mag. Betaal dan ...": a short answer may stand between the question and its "dan".
    short_answer = i >= 2 and sentences[i - 2].rstrip().endswith("?") and len(sentences[i - 1].split()) <= 4
    return bool(i and sentences[i - 1].rstrip().endswith("?")) or short_answer


def kind_of(sentence: str) -> str:
    if OBJECTION.search(sentence):
        return "bezwaar"
    if asks_papers(sentence):
        return "documenten"
    if asks_payment(sentence):
        return "betalen"
    return "reageren"
