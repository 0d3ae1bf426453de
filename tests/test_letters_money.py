"""Letter explainer: whose money moves, and who has to act on a date.

- A bill that is debited from the reader's account is not "nothing to do" unless the letter says so itself; either
  way the visitor is told to keep enough money on the account.
- The date on which the sender pays out or debits is not a date for the reader to act by.
- "Heeft u vragen? Bel ons ..." offers help; it does not make an informative letter uncertain.

The letters are assembled from parts (senders, phrasings, dates) that occur neither in bench/letter_corpus.py nor in
the explainer's rules, in every combination.
"""

from __future__ import annotations

import itertools

import pytest

from balie.letters import texts
from balie.letters.explain import explain_letter

SENDERS = ["Gemeente Oldambt\nPostbus 175\n9670 AD Winschoten", "Waterschap Hunze en Aa's\nPostbus 195\n9640 AD Veendam",
           "Energiebedrijf Noorderlicht B.V.\nKanaalweg 3\n8000 AA Zwolle"]
DEBITS = ["Het totaalbedrag van € {amount} wordt in 8 termijnen automatisch afgeschreven.",
          "Wij schrijven het bedrag van € {amount} rond 28 {month} automatisch van uw rekening af.",
          "Het bedrag van € {amount} wordt op 28 {month} van uw rekening afgeschreven."]


def letter(sender: str, body: str, ending: str = "") -> str:
    return f"{sender}\n\nDatum: 2 {MONTH} 2026\n\nGeachte heer, mevrouw,\n\n{body}\n{ending}\n\nMet vriendelijke groet,\n\nAfdeling Belastingen\n"


MONTH = "november"


@pytest.mark.parametrize(("sender", "debit", "amount"), itertools.product(SENDERS, DEBITS, ["642,40", "1.204,00"]))
def test_a_debited_bill_is_not_nothing_to_do_unless_the_letter_says_so(sender, debit, amount):
    body = "U ontvangt hierbij de aanslag over 2026. " + debit.format(amount=amount, month="december")
    result = explain_letter(letter(sender, body))
    assert result.action == "onzeker", result.action
    assert texts.NOTE_DEBIT in [text for text, _ in result.note_texts]
    assert not any(d.kind == "betalen" for d in result.deadlines)  # nothing to transfer

    said = explain_letter(letter(sender, body, "U hoeft hiervoor niets te doen."))
    assert said.action == "niets", said.action
    assert texts.NOTE_DEBIT in [text for text, _ in said.note_texts]


@pytest.mark.parametrize(("payout", "sender"), itertools.product([
    "Op {date} betalen wij uw pensioen uit.",
    "Wij betalen de tegemoetkoming op {date} uit.",
    "Wij storten het bedrag op {date} op uw rekening.",
    "Op {date} schrijven wij het nieuwe voorschot af.",
], SENDERS))
def test_the_date_the_sender_pays_or_debits_is_no_deadline_for_the_reader(payout, sender):
    body = payout.format(date="23 december 2026") + " Het gaat om € 1.504,32. U hoeft hiervoor niets te doen."
    result = explain_letter(letter(sender, body, "Heeft u vragen? Bel ons dan op werkdagen."))
    assert result.deadlines == [], result.deadlines
    assert result.action == "niets", result.action


@pytest.mark.parametrize("question", ["Heeft u vragen?", "Heeft u nog een vraag?", "Wilt u meer weten?", "Is iets niet duidelijk?"])
def test_an_offer_of_help_after_a_question_keeps_an_informative_letter_nothing_to_do(question):
    body = "Vanaf 1 januari 2027 gaat uw maandbedrag omhoog naar € 58,10. Wij passen dit zelf aan. U hoeft hiervoor niets te doen."
    result = explain_letter(letter(SENDERS[0], body, f"{question} Neem dan contact met ons op."))
    assert result.action == "niets", result.action


@pytest.mark.parametrize("request_sentence", [
    "Bel ons vóór 20 november 2026.",
    "Neem uiterlijk 20 november 2026 contact met ons op.",
    "Heeft u de papieren nog niet gestuurd? Stuur ze dan vóór 20 november 2026.",
])
def test_a_request_with_a_date_still_counts_after_a_question(request_sentence):
    body = "Wij hebben uw aanvraag ontvangen. Heeft u vragen? " + request_sentence
    result = explain_letter(letter(SENDERS[1], body))
    assert result.action != "niets" and [str(d.date) for d in result.deadlines] == ["2026-11-20"], (result.action, result.deadlines)


# A payment sentence that points back at an amount named before it ("dit bedrag", "het volledige bedrag").
NAMED = [("Er staat nog {a} open voor de hoofdsom plus {b} kosten, in totaal {total}.", "Wilt u dit bedrag uiterlijk 20 {month} overmaken?"),
         ("Het totaalbedrag is {total}. U kunt in termijnen betalen via automatische incasso.",
          "Kiest u niet voor incasso, dan moet u het volledige bedrag betalen vóór 20 {month}."),
         ("Het gaat om {total}.", "Wij vragen u het openstaande bedrag binnen 14 dagen te betalen.")]


@pytest.mark.parametrize(("sender", "named", "total"), itertools.product(SENDERS, NAMED, ["227,50", "1.018,06"]))
def test_the_amount_a_payment_sentence_points_back_at_is_named(sender, named, total):
    before, pay = named
    body = before.format(a="€ 187,50", b="€ 40,00", total=f"€ {total}") + "\n" + pay.format(month="december")
    result = explain_letter(letter(sender, body))
    assert result.action == "betalen", result.action
    assert result.pay_amount_shown == f"€ {total}"


@pytest.mark.parametrize("sender", SENDERS)
def test_no_amount_is_guessed_when_the_sentence_before_names_several_and_no_total(sender):
    body = ("Uw huur is € 642,18 en uw servicekosten zijn € 35,00 per maand.\n"
            "Wilt u dit bedrag uiterlijk 20 december 2026 betalen?")
    result = explain_letter(letter(sender, body))
    assert result.action == "betalen"
    assert result.pay_amount_shown == ""
