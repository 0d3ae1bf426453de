"""The letter explainer on what OCR makes of phone photos (issue 13): dates and amounts with OCR noise, misread fixed
words, Tesseract's word confidences, and photos that are crooked, sideways, small and shadowed.

The photos are made here from a letter written in this file (not from the benchmark's generator), with a degradation
of their own: more rotation and a lower resolution than bench/letter_corpus.degrade produces.
"""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from cpu import cpu_seconds  # tests/ is on sys.path (conftest.py lives there)
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from balie.letters import ocr, photo
from balie.letters.explain import explain_letter, find_amounts
from balie.letters.ocrwords import repair

needs_ocr = pytest.mark.skipif(bool(ocr.unavailable_reason()), reason=f"OCR niet beschikbaar: {ocr.unavailable_reason()}")

HEAD = """Woonstichting Eikenhof
Postbus 12
1234 AB Utrecht

Datum: 3 maart 2026

Geachte heer,

U heeft een huurachterstand van € 120,00. Wij vragen u dit bedrag te betalen uiterlijk
"""
FOOT = "\n\nMet vriendelijke groet,\nWoonstichting Eikenhof\n"


# --- dates and amounts as OCR reads them --------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "\n20 maart\n2026 op onze rekening.",  # the date broken over two lines
    "\n\n20 maart\n\n2026 op onze rekening.",  # ... with blank lines OCR put in between
    "20-03-\n2026.",  # a line break after the dash
    "20 - 03 - 2026.", "20-03- 2026.", "20-03 -2026",  # spaces around the separators
    "20. maart 2026.", "20 maart, 2026.", "20 maart2026.",  # a stray full stop or comma, a lost space
    "20 maart 2O26.", "2O-03-2026", "20-O3-2026.",  # O for 0 inside numbers
    "20 rnaart 2026.",  # m read as rn
    "20-3-\"26.", "20-3-”26.",  # the apostrophe of a short year read as a quotation mark
])
def test_a_deadline_is_read_through_ocr_noise(written):
    result = explain_letter(HEAD + written + FOOT)
    assert [d.date for d in result.deadlines] == [dt.date(2026, 3, 20)]
    assert result.action == "betalen"


def test_a_one_read_as_l_inside_a_date_is_a_one():
    result = explain_letter(HEAD + "l5-03-2026." + FOOT)
    assert [d.date for d in result.deadlines] == [dt.date(2026, 3, 15)]


@pytest.mark.parametrize(("written", "amount"), [
    ("€\n1.771,89", "1771.89"),  # the sign at the end of a line
    ("€1 .234,56", "1234.56"), ("€ 1.234, 56", "1234.56"), ("€ 1.234 ,56", "1234.56"),  # spaces OCR put in
    ("€ 1 234,56", "1234.56"),  # a space as thousands separator
    ("EUR135,46", "135.46"), ("€. 105,00", "105.00"),
    ("€ 1O5,00", "105.00"), ("€ l05,00", "105.00"), ("€ 105,0O", "105.00"),  # O and l for digits
    ("E 105,00", "105.00"), ("C 12,50", "12.50"),  # the euro sign read as E or C, with cents after it
    ("€ 1.881.91", "1881.91"),  # the comma before the cents read as a full stop
    ("€ 45, -", "45.00"),
])
def test_an_amount_is_read_through_ocr_noise(written, amount):
    assert find_amounts(f"U moet {written} betalen.") == [amount]


@pytest.mark.parametrize("text", ["€ 1,234.56 (English)", "de 12,50 meter", "Bel 06-12345678", "Wij hebben 3 C-brieven, 2,50 m"])
def test_what_only_looks_like_an_amount_is_not_read_as_one(text):
    assert find_amounts(text) == []


# --- fixed words OCR misread --------------------------------------------------------------------------------------------


def test_misread_fixed_words_of_letters_are_repaired_and_other_words_are_not():
    assert repair("Mtzender. Heidewijk Incasso\nTeamieider Incasso\nHuogschtend,\nuiteriijk 3 mei") == \
        "Afzender. Heidewijk Incasso\nTeamleider Incasso\nHoogachtend,\nuiterlijk 3 mei"
    # Real words next to a fixed word, and names, stay as they are.
    kept = "bepalen behalen betaald bepaling verzenden uiterlijke medewerkers Incassobureau Woonstichting Heidewijk"
    assert repair(kept) == kept


OCR_LETTER = """Mtzender. Heidewijk Incasso B.V., Postbus 7, 1000 AA Amsterdam

De heer J. Jansen
Kerkstraat 1
1234 AB Utrecht

Datum: 3 maart 2026

Geachte heer Jansen,

Namens Woonstichting Eikenhof vragen wij u het bedrag van € 240,00 uiteriijk
20 maart 2026 te betalen. Heeft u huurtoeslag van Dienst Toeslagen? Geef veranderingen door.

Huogschtend,

A. Bakker
Teamieider Incasso
"""


def test_a_letter_with_misread_labels_gets_its_sender_after_repair():
    result = explain_letter(repair(OCR_LETTER))
    assert result.sender == "Heidewijk Incasso B.V."
    assert [d.date for d in result.deadlines] == [dt.date(2026, 3, 20)] and result.action == "betalen"


def test_pasted_text_is_never_repaired():
    assert ocr.read_upload(OCR_LETTER.encode()).text == OCR_LETTER


@needs_ocr
def test_a_read_page_is_repaired_once_and_its_lines_confidences_come_with_the_repaired_lines(monkeypatch):
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 27)
    page = Image.new("L", (1654, 1400), 255)
    for number, line in enumerate(OCR_LETTER.splitlines()):
        ImageDraw.Draw(page).text((170, 150 + 40 * number), line, font=font, fill=20)
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    read_lines, repaired = photo.read_photo_lines, []
    as_read: list[tuple[str, dict[str, float]]] = []
    monkeypatch.setattr(photo, "read_photo_lines", lambda *args: as_read.append(read_lines(*args)) or as_read[-1])
    monkeypatch.setattr(ocr, "repair", lambda text: repaired.append(text) or repair(text))
    read = ocr.read_upload(buffer.getvalue())
    text, sure = as_read[0]
    assert "Huogschtend," in sure and "Hoogachtend," in read.line_confidence  # there was something to repair
    # The same answers as repairing the page and then every line apart, with one pass over the page.
    assert read.text == repair(text)
    assert read.line_confidence == {repair(line): confidence for line, confidence in sure.items()}
    assert repaired == [text]


# --- Tesseract's TSV ----------------------------------------------------------------------------------------------------


def test_the_tsv_reading_keeps_lines_and_paragraphs_and_averages_the_confidence():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [(1, 1, 1, 1, "Woonstichting", 90), (1, 1, 1, 2, "Eikenhof", 80), (1, 1, 2, 1, "Postbus", 70), (1, 1, 2, 2, "12", 60),
            (2, 1, 1, 1, "Geachte", 95), (2, 1, 1, 2, "heer,", -1)]
    lines = [header, "4\t1\t1\t1\t1\t0\t0\t0\t10\t10\t-1\t"]
    lines += [f"5\t1\t{b}\t{p}\t{ln}\t{w}\t0\t0\t10\t10\t{c}\t{t}" for b, p, ln, w, t, c in rows]
    reading = photo.tsv_reading("\n".join(lines))
    assert reading.text == "Woonstichting Eikenhof\nPostbus 12\n\nGeachte heer,\n"
    assert reading.words == 6 and reading.confidence == pytest.approx((90 + 80 + 70 + 60 + 95 + 0) / 6)
    assert reading.poor  # six words: not a letter


# --- photos made here ---------------------------------------------------------------------------------------------------


LETTER = """Waterschap Lindeweerd
Postbus 4410
5200 AB Lindeweerd

Mevrouw A. de Vries
Dorpsstraat 12
1234 AB Utrecht

Datum: 12 februari 2026
Aanslagnummer: 4455 6677 8899

Onderwerp: Aanslag waterschapsbelasting 2026

Geachte mevrouw De Vries,

Hierbij ontvangt u de aanslag waterschapsbelasting over 2026. Het totale
bedrag is € 387,45. Wij vragen u dit bedrag uiterlijk
31 maart 2026 te betalen op rekening NL12 BNGH 0285 0012 34
t.n.v. Waterschap Lindeweerd, onder vermelding van het aanslagnummer.

Heeft u huurtoeslag? Dat regelt u bij Dienst Toeslagen.

Met vriendelijke groet,

namens Waterschap Lindeweerd,
J. de Boer
Teamleider Heffingen
"""


def _page() -> Image.Image:
    font_dir = "/usr/share/fonts/truetype/dejavu/"
    body, bold = ImageFont.truetype(font_dir + "DejaVuSerif.ttf", 27), ImageFont.truetype(font_dir + "DejaVuSerif-Bold.ttf", 38)
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    y = 150
    for number, line in enumerate(LETTER.splitlines()):
        draw.text((170, y), line, font=bold if number == 0 else body, fill=20)
        y += 58 if number == 0 else (40 if line else 30)
    return page


def _photo(angle: float, width: int, turn: int = 0) -> bytes:
    """A crooked, small, shadowed, blurred, noisy JPEG of the page on a dark table, optionally a quarter turn."""
    page = _page()
    shade = Image.linear_gradient("L").resize(page.size).point(lambda v: 255 - v * 2 // 5)  # darker towards the bottom
    page = Image.composite(page, Image.new("L", page.size, 0), shade)
    table = Image.new("L", (page.width + 240, page.height + 240), 70)
    table.paste(page, (120, 120))
    photo_ = table.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=70)
    photo_ = photo_.resize((width, round(photo_.height * width / photo_.width)), Image.LANCZOS).filter(ImageFilter.GaussianBlur(0.7))
    rng = random.Random(angle * 1000 + width)  # the same photo on every run
    noise = Image.frombytes("L", photo_.size, bytes(min(255, max(0, round(rng.gauss(128, 10)))) for _ in range(photo_.width * photo_.height)))
    photo_ = ImageChops.add(photo_, noise, offset=-128)  # sensor noise around 0
    photo_ = photo_.convert("RGB")
    if turn:
        photo_ = photo_.rotate(turn, expand=True)
    buffer = io.BytesIO()
    photo_.save(buffer, "JPEG", quality=45)
    return buffer.getvalue()


def test_the_straightening_finds_a_rotation_beyond_eight_degrees():
    gray = Image.open(io.BytesIO(_photo(angle=-12, width=1200))).convert("L")
    assert photo.skew_angle(gray) == pytest.approx(12, abs=0.5)


@pytest.fixture
def unhurried(monkeypatch):
    # The second reading of a poor photo is skipped when the first took long; on a busy test machine that would make
    # the outcome depend on the load. Here the reading itself is tested.
    monkeypatch.setattr(ocr, "SECOND_READING_BEFORE_S", 60.0)
    monkeypatch.setattr(ocr, "REREAD_BEFORE_S", 60.0)


def _expect_the_deadline(data: bytes) -> None:
    started = cpu_seconds()
    read = ocr.read_upload(data)
    assert cpu_seconds() - started < 60  # two readings at most; a busy test machine gets slack (bench: ~5 s)
    result = explain_letter(read.text)
    assert dt.date(2026, 3, 31) in {d.date for d in result.deadlines}
    assert "387.45" in result.amounts
    assert result.action == "betalen" and result.sender == "Waterschap Lindeweerd"


@needs_ocr
@pytest.mark.parametrize("angle", [7, -11])
def test_a_crooked_low_resolution_shadowed_photo_still_gives_deadline_amount_and_sender(angle, unhurried):
    _expect_the_deadline(_photo(angle=angle, width=950))  # the page ~80 dpi, JPEG quality 45


@needs_ocr
@pytest.mark.parametrize("turn", [90, 270, 180])
def test_a_photo_taken_sideways_either_way_or_upside_down_is_read_the_right_way_up(turn, unhurried):
    data = _photo(angle=2, width=1300, turn=turn)
    _expect_the_deadline(data)
    # Tesseract's own layout reads a page turned 270 degrees (lines running top to bottom) well enough that no second
    # reading is asked for; the orientation check must still know the way back.
    assert photo.orientation(ocr._tesseract, Image.open(io.BytesIO(data)).convert("L")) == (360 - turn) % 360


@needs_ocr
@pytest.mark.parametrize("picture", ["clean page", "photo"])
def test_an_upright_page_is_not_turned(picture):
    # Tesseract's orientation detection run with "-l nld" answers "Rotate: 90" for every page, this one too.
    image = _page() if picture == "clean page" else Image.open(io.BytesIO(_photo(angle=2, width=1300))).convert("L")
    assert photo.orientation(ocr._tesseract, image) == 0


# --- the sender when OCR misread its name in some places -----------------------------------------------------------------


MISREAD_NAMES = """dommelstede.nl

Mevrouw A. de Vries
Kerkstraat 1
1234 AB Utrecht

Datum: 3 maart 2026
Factuurnummer: 55667788

Geachte mevrouw,

Wij vragen u € 84,10 uiterlijk 20 maart 2026 te betalen op rekening NL79 TRIO 8531 8436 42 t‚n.v. Dommelstede
Zorgverzekeringen. Kijk op www.dornmelstede.nl of bel ons.

Met vriendelijke groet,

Dommeistede Zorgverzekeringen
Medewerker Klantenservice

Dommeistede Zorgverzekeringen | Postbus 59058, 5972 VL Dommelvaart | www.dommelstede.nl
"""


def test_a_name_misread_in_some_places_is_one_sender_spelled_as_the_website_has_it():
    # Letterhead logo text, payee (with "t‚n.v."), signature and footer name the same organisation, OCR misread two.
    assert explain_letter(MISREAD_NAMES).sender == "Dommelstede Zorgverzekeringen"


def test_a_name_one_letter_from_the_letters_website_is_spelled_as_the_website():
    letter = MISREAD_NAMES.replace("Dommelstede\nZorgverzekeringen", "de afdeling").replace("dommelstede.nl\n", "Gemeente Gouwshorst\n")
    letter = letter.replace("Dommeistede Zorgverzekeringen", "Gemeente Gouwshorst").replace("dornmelstede", "gouwehorst")
    letter = letter.replace("www.dommelstede.nl", "www.gouwehorst.nl")
    assert explain_letter(letter).sender == "Gemeente Gouwehorst"


def test_two_different_organisations_are_not_merged_for_being_alike():
    letter = MISREAD_NAMES.replace("Dommeistede Zorgverzekeringen\nMedewerker", "Woonstichting Eikenhorst\nMedewerker")
    letter = letter.replace("Dommeistede Zorgverzekeringen |", "Woonstichting Eikenhorst |").replace("t‚n.v. Dommelstede\nZorgverzekeringen",
                                                                                                    "t.n.v. Woonstichting Eikenhof")
    letter = letter.replace("dommelstede.nl\n", "").replace("dornmelstede", "eikenhorst").replace("www.dommelstede.nl", "www.eikenhorst.nl")
    assert explain_letter(letter).sender == "Woonstichting Eikenhorst"


def test_a_motto_under_the_logo_is_not_the_sender():
    letter = "QXV\nZorg voor schoon water\n\n" + HEAD.split("\n\n", 1)[1] + "31 maart 2026." + "\n\nHoogachtend,\n\nDe directeur,\nH. Smit\n"
    assert explain_letter(letter).sender == ""  # an unknown lone acronym without anything to support it: better none than a motto
    # A known organisation's acronym is its logo (tests/test_letters_sender.py), still not the motto under it.
    assert explain_letter(letter.replace("QXV", "DUO")).sender == "DUO"


def test_a_date_with_a_short_month_word_and_a_full_stop_stays_one_sentence():
    result = explain_letter(HEAD.replace("Wij vragen u dit bedrag te betalen uiterlijk\n", "Laat het ons dan voor 20 maa. 2026 weten.\n") + FOOT)
    assert [d.date for d in result.deadlines] == [dt.date(2026, 3, 20)]
