"""Letter explainer on the fourth set of letters written blind (bench/letters_written/301-330, session 17): measured
before any rule changed for them, then each failure made into a general rule. The tests below use other letters with
the same shapes in other words: a date without its year, a date OCR glued together, a bailiff's writ dated in words,
the letter's date under the signature or beside an appointment, a table in euros without the sign, a price that is no
request, papers someone else sends, a label column read apart from its values, and the sender from a logo with a bar,
a role under the signature and a foundation's legal form.
"""

from __future__ import annotations

import datetime as dt

import pytest

from balie.letters.amounts import find_amounts
from balie.letters.dates import find_dates, find_letter_date, label_values
from balie.letters.explain import explain_letter
from balie.letters.numberwords import number_word, ordinal_word


def letter(head: str, body: str, sign: str = "Met vriendelijke groet,\n\nDe ledenadministratie") -> str:
    return f"{head}\n\nDe heer R. Smit\nBeukenlaan 12\n4321 CD  Stad\n\n{body}\n\n{sign}\n"


@pytest.mark.parametrize(("written", "letter_date", "due"), [
    ("Maak het bedrag vóór woensdag 9 december over", dt.date(2026, 11, 23), dt.date(2026, 12, 9)),
    ("Betaal uiterlijk 15 januari", dt.date(2026, 12, 18), dt.date(2027, 1, 15)),  # into the next year
    ("Lever het formulier in vóór 2 maart", dt.date(2027, 2, 10), dt.date(2027, 3, 2)),
])
def test_a_date_without_its_year_is_read_beside_the_letters_date(written, letter_date, due):
    head = f"Tennisclub De Volley\nParklaan 3, Stad\n\nStad, {letter_date.day} {['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'][letter_date.month - 1]} {letter_date.year}"
    body = f"Beste Ruben,\n\nJe contributie van € 145,00 staat nog open. {written} naar NL11 BANK 0123 4567 89."
    result = explain_letter(letter(head, body))
    assert due in {d.date for d in result.deadlines}


def test_a_past_event_without_a_year_is_no_deadline():
    head = "Tennisclub De Volley\nParklaan 3, Stad\n\nStad, 23 november 2026"
    body = ("Beste Ruben,\n\nOp 2 november hebben wij geprobeerd de contributie af te schrijven, maar dat lukte niet. "
            "Maak € 145,00 over vóór 9 december.")
    assert {d.date for d in explain_letter(letter(head, body)).deadlines} == {dt.date(2026, 12, 9)}


@pytest.mark.parametrize(("row", "date"), [("1 € 50,00 3103-2026 1234 5678", dt.date(2026, 3, 31)),
                                           ("2 € 50,00 30-042026 1234 5679", dt.date(2026, 4, 30))])
def test_a_date_ocr_glued_together_in_a_table_is_read(row, date):
    assert [f.date for f in find_dates(row)] == [date]


@pytest.mark.parametrize("text", ["Dossier 2301-2026", "Factuurnummer: 1112-2026", "Zaaknummer 0405-2027 BX"])
def test_a_reference_that_looks_like_a_glued_date_is_no_date(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(("word", "number"), [("zeven", 7), ("negentien", 19), ("zesentwintig", 26), ("achtentwintig", 28),
                                              ("drieëntwintig", 23), ("negenennegentig", 99), ("duizend", None)])
def test_dutch_number_words(word, number):
    assert number_word(word) == number


@pytest.mark.parametrize(("word", "day"), [("eerste", 1), ("derde", 3), ("achtste", 8), ("elfde", 11), ("negentiende", 19),
                                           ("twintigste", 20), ("tweeëntwintigste", 22), ("eenendertigste", 31),
                                           ("tweeendertigste", None), ("beste", None)])
def test_dutch_ordinal_days(word, day):
    assert ordinal_word(word) == day


def test_a_bailiffs_writ_dated_in_words_and_its_two_days():
    text = ("JANSEN & DE VRIES\ngerechtsdeurwaarders\nMarkt 4, 5611 AB Eindhoven\n\nEXPLOOT VAN BETEKENING EN BEVEL\n\n"
            "Heden, de vierde maart tweeduizend zesentwintig,\n\nten verzoeke van Woonstichting Kempenhuis, heb ik, "
            "gerechtsdeurwaarder, betekend aan de heer R. Smit het vonnis van de kantonrechter van 12 februari 2026, "
            "en hem bevel gedaan om binnen twee dagen na heden te betalen:\n\n  Hoofdsom     € 2.310,00\n  Kosten       €   98,40\n\n"
            "Betaalt u niet, dan kunnen wij beslag leggen op uw loon.\n\nJ. de Vries, gerechtsdeurwaarder\n")
    result = explain_letter(text)
    assert result.date == dt.date(2026, 3, 4)
    assert dt.date(2026, 3, 6) in {d.date for d in result.deadlines} and result.action == "betalen"


def test_the_appointment_under_datum_in_the_body_is_not_the_letters_date():
    head = "ZIEKENHUIS DE LINDE\nPolikliniek Cardiologie\nLaan 1, 1111 AA Stad\n\nStad, 14 januari 2027"
    body = ("Geachte heer Smit,\n\nU heeft een afspraak bij de cardioloog.\n\nUw afspraak\n  Datum:   dinsdag 9 februari 2027\n"
            "  Tijd:    10.30 uur\n\nKunt u niet komen? Bel ons dan.")
    assert explain_letter(letter(head, body)).date == dt.date(2027, 1, 14)


def test_a_place_and_date_under_the_footer_date_a_letter_whose_head_has_none():
    text = ("Apotheek Het Kruispunt\n\nDe heer R. Smit\nBeukenlaan 12\n4321 CD  Stad\n\nBetreft: uw medicijnen vanaf 1 april 2027\n\n"
            "Beste heer Smit,\n\nVanaf 1 april 2027 levert uw zorgverzekeraar uw medicijn via ons. U hoeft niets te doen.\n\n"
            "Met vriendelijke groet,\n\nL. Bos, apotheker\n\n----\nApotheek Het Kruispunt | Plein 2, Stad | 010 - 123 45 67\n"
            "Stad, 2 maart 2027\n")
    assert explain_letter(text).date == dt.date(2027, 3, 2)


def test_a_date_in_the_subject_line_is_not_the_letters_date():
    text = ("Apotheek Het Kruispunt\n\nDe heer R. Smit\nBeukenlaan 12\n4321 CD  Stad\n\nBetreft: uw medicijnen vanaf 1 april 2027\n\n"
            "Beste heer Smit,\n\nU hoeft niets te doen.\n")
    lines = text
    assert find_letter_date(lines, find_dates(lines)) is None


def test_a_label_column_read_apart_from_its_values():
    text = ("NOTA\n\nNotanummer\nNotadatum\nVervaldatum\nKlant\n\n2026-88812\n04-11-2026\n\n04-12-2026\nR. Smit\n\n"
            "Geachte heer Smit,\n\nWij verzoeken u het bedrag van € 64,00 over te maken.\n")
    assert [label for label, _, _ in label_values(text)] == ["Notanummer", "Notadatum", "Vervaldatum", "Klant"]
    result = explain_letter(text)
    assert result.date == dt.date(2026, 11, 4) and dt.date(2026, 12, 4) in {d.date for d in result.deadlines}


def test_a_table_in_euros_without_the_sign_gives_its_amounts():
    table = ("Post               Voorschot   Werkelijk\nWater                  60,00       71,25\nLift                  120,00      102,90\n"
             "Totaal (in euro's)    180,00      174,15")
    assert set(find_amounts(table)) == {"60.00", "71.25", "120.00", "102.90", "180.00", "174.15"}


@pytest.mark.parametrize("rows", ["Verbruik            Stroom      Gas\nKwartaal 1       1.234,56     88,20",  # no euros named
                                  "Bedragen (€)\nDit is een zin met 12,50 procent erin."])  # no table
def test_numbers_outside_a_table_in_euros_are_no_amounts(rows):
    assert find_amounts(rows) == []


@pytest.mark.parametrize("sentence", ["Met het pakket Plus betaal je € 12 per maand.", "In 2027 betaal je € 60 per jaar."])
def test_a_price_is_no_request_to_pay(sentence):
    head = "Sportschool Fit\nDorpsstraat 1, Stad\n\nStad, 1 december 2026"
    body = f"Hoi Ruben,\n\nVanaf januari veranderen onze prijzen. {sentence} We schrijven het bedrag zoals altijd af."
    assert explain_letter(letter(head, body)).action != "betalen"


def test_the_imperative_with_your_still_asks_to_pay():
    head = "Sportschool Fit\nDorpsstraat 1, Stad\n\nStad, 1 december 2026"
    body = "Hoi Ruben,\n\nJe abonnement van € 24,95 staat nog open. Betaal je abonnement via de link in de mail."
    assert explain_letter(letter(head, body)).action == "betalen"


def test_papers_someone_else_sends_are_not_asked_of_the_reader():
    head = "Rechtbank Oost-Brabant\nPostbus 90125, 5200 MA  's-Hertogenbosch\n\nDatum: 3 februari 2027"
    body = ("Geachte heer Smit,\n\nU heeft beroep ingesteld. Voor de behandeling moet u € 194,00 griffierecht betalen. "
            "Maak het bedrag over binnen vier weken na de dagtekening van deze brief.\n\n"
            "De gemeente Oss stuurt de rechtbank binnenkort de stukken van uw zaak.")
    assert explain_letter(letter(head, body, "Met vriendelijke groet,\n\nde griffier")).action == "betalen"


def test_what_a_later_invoice_will_say_is_no_request_now():
    head = "Provincie Utrecht\nPostbus 80300, 3508 TH  Utrecht\n\nDatum: 5 oktober 2026"
    body = ("Geachte heer Smit,\n\nWij stellen uw subsidie vast op € 2.100,00. U heeft € 300,00 te veel voorschot gekregen. "
            "U hoeft nu nog niets te betalen. U krijgt binnenkort een factuur. Daarin staat hoe en wanneer u moet betalen.")
    assert explain_letter(letter(head, body)).action != "betalen"


@pytest.mark.parametrize(("logo", "sender"), [("provincie | UTRECHT", "Provincie Utrecht"),
                                              ("gemeente | Loon op Zand", "Gemeente Loon op Zand")])
def test_a_logo_with_a_bar_is_one_name(logo, sender):
    text = letter(f"{logo}\n\nPostbus 80300\n3508 TH  Utrecht", "Geachte heer Smit,\n\nWij hebben uw aanvraag ontvangen. U hoeft niets te doen.")
    assert explain_letter(text).sender == sender


@pytest.mark.parametrize("label", ["Onderwerp", "Betreft", "Ons kenmerk", "Zaaknummer"])
def test_a_label_and_its_value_in_the_head_are_not_two_columns(label):
    """A letter without a letterhead: "Onderwerp       Verhuur Parkeerplaatsen Centrum" is the subject, not the sender."""
    head = f"Stad, 3 maart 2026\n\n{label}       Verhuur Parkeerplaatsen Centrum Noord"
    text = letter(head, "Geachte heer Smit,\n\nWij wijzen uw verzoek af.", "Met vriendelijke groet,\n\nJ. Jansen\nteamleider")
    assert "Parkeerplaatsen" not in explain_letter(text).sender


@pytest.mark.parametrize("role", ["directeur", "penningmeester", "voorzitter"])
def test_a_role_above_its_organisation_under_the_signature(role):
    text = ("kinderopv\n\nDe heer R. Smit\nBeukenlaan 12\n4321 CD  Stad\n\nStad, 3 december 2026\n\nBeste ouders,\n\n"
            "Onze prijzen veranderen. U hoeft niets te doen.\n\nMet vriendelijke groet,\n\nA. de Wit\n"
            f"{role} Kinderopvang De Boomhut\n")
    assert explain_letter(text).sender == "Kinderopvang De Boomhut"


def test_a_foundation_is_the_same_name_with_or_without_stichting():
    text = letter("Scholengroep Rijnland\nSchoolstraat 9, 2300 AA  Leiden",
                  "Geachte ouders,\n\nWij vragen een bijdrage van € 50,00. Maak het bedrag over op NL11 BANK 0123 4567 89 "
                  "t.n.v. Stichting Scholengroep Rijnland.", "Met vriendelijke groet,\n\nStichting Scholengroep Rijnland")
    assert explain_letter(text).sender == "Scholengroep Rijnland"


def test_a_month_ocr_read_with_n_for_ri():
    assert [f.date for f in find_dates("Doe dit uiterlijk vrijdag 29 januan 2027.")] == [dt.date(2027, 1, 29)]


def test_a_table_of_instalments_as_ocr_reads_it_misread_header_and_empty_lines():
    head = "CJIB\nPostbus 1794, 8901 CB Leeuwarden\n\nDatum 5 januari 2027"
    body = ("Geachte heer Smit,\n\nU betaalt de boete in 3 termijnen.\n\nTermijn Bedrag Uiterfijkop Betalingskenmerk\n"
            "1 €60,00 28-01-2027 5100 4012\n\n2 €60,00 28-02-2027 5100 4013\n\n3 €60,00 28-03-2027 5100 4014\n\n"
            "Op 30 april 2027 is de regeling afgelopen.")
    dates = {d.date for d in explain_letter(letter(head, body)).deadlines}
    assert dates >= {dt.date(2027, 1, 28), dt.date(2027, 2, 28), dt.date(2027, 3, 28)}
    assert dt.date(2027, 4, 30) not in dates  # the text below the table is no row of it


def test_a_speck_between_a_due_label_and_its_date():
    head = "RDW\nPostbus 30000\n9640 RA Veendam\n\nDatum: 1 december 2026\nKenteken: XX-123-Y\nAPK vervaldatum: _ 09-01-2027"
    body = "Geachte heer Smit,\n\nDe APK van uw auto verloopt binnenkort. Laat uw auto op tijd keuren."
    # Nothing is paid here: the date an inspection expires is a date to act by, not to pay by.
    assert [(d.date, d.kind) for d in explain_letter(letter(head, body)).deadlines] == [(dt.date(2027, 1, 9), "reageren")]


def test_an_option_to_pay_in_parts_is_not_the_amount_asked():
    head = "Tennisclub De Volley\nParklaan 3, Stad\n\nStad, 2 november 2026"
    body = ("Beste Ruben,\n\nWat staat er open?\n- Contributie: € 160,00\n- Ledenpas: € 15,00\n- Totaal: € 175,00\n\n"
            "Maak het totaal vóór 30 november over naar NL11 BANK 0123 4567 89.\n\n"
            "Liever in delen? Dat kan. Betaal dan € 87,50 vóór 30 november en € 87,50 vóór 31 januari 2027.")
    result = explain_letter(letter(head, body))
    assert result.action == "betalen" and result.pay_amount == "175.00"
    assert {d.date for d in result.deadlines} == {dt.date(2026, 11, 30), dt.date(2027, 1, 31)}


def test_a_date_after_a_due_label_is_a_date_to_pay():
    head = "Mondzorg De Brug\nBrugstraat 2, Stad\n\nFactuurdatum: 4 november 2026\nVervaldatum _ 04-12-2026"
    body = "Geachte heer Smit,\n\nHierbij de nota voor uw behandeling van € 64,00.\n\nWij verzoeken u het bedrag over te maken."
    assert [(d.date, d.kind) for d in explain_letter(letter(head, body)).deadlines] == [(dt.date(2026, 12, 4), "betalen")]


@pytest.mark.parametrize(("rule", "due"), [("uiterlijk 3 werkdagen vóór uw afspraak", dt.date(2027, 3, 3)),  # Mon 8: Fri 5, Thu 4, Wed 3
                                           ("uiterlijk een week voor uw afspraak", dt.date(2027, 3, 1))])
def test_a_date_counted_back_from_the_appointment(rule, due):
    head = "ZIEKENHUIS DE LINDE\nLaan 1, 1111 AA Stad\n\nStad, 10 februari 2027"
    body = ("Geachte heer Smit,\n\nU heeft een afspraak op de polikliniek.\n\nUw afspraak\n  Datum:   maandag 8 maart 2027\n"
            f"  Tijd:    10.30 uur\n\nVul de vragenlijst in via het patiëntenportaal. Doe dit {rule}.")
    assert due in {d.date for d in explain_letter(letter(head, body)).deadlines}


def test_no_date_counted_back_when_the_letter_gives_two_appointments():
    head = "ZIEKENHUIS DE LINDE\nLaan 1, 1111 AA Stad\n\nStad, 10 februari 2027"
    body = ("Geachte heer Smit,\n\nUw afspraak bij de cardioloog is op 8 maart 2027. Uw afspraak bij de longarts is op "
            "15 maart 2027.\n\nVul de vragenlijst uiterlijk 3 werkdagen vóór uw afspraak in.")
    assert explain_letter(letter(head, body)).deadlines == []
