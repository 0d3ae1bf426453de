"""The second, line-by-line reading of the letterhead and the signature of a phone photo (balie/letters/reread.py).

The letter is written here, by an organisation that is in no list of ours, with its letterhead right-aligned beside the
addressee (where Tesseract reads it as a column of its own and may give it after the body) and named nowhere else: the
sender can only come from that letterhead. The photo is made here as well (not by the benchmark's generator).
"""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from balie.letters import ocr, reread
from balie.letters.explain import explain_letter

needs_ocr = pytest.mark.skipif(bool(ocr.unavailable_reason()), reason=f"OCR niet beschikbaar: {ocr.unavailable_reason()}")

SENDER = "Woonstichting Klaverwoud"
RIGHT = [SENDER, "Postbus 4410", "3500 AB Klaverwoud", "T 030 123 4567"]
LEFT = ["Mevrouw A. de Vries", "Dorpsstraat 12", "1234 AB Utrecht"]
BODY = """Datum: 12 februari 2026
Huurdernummer: 44556677
Onderwerp: Huurachterstand

Geachte mevrouw De Vries,

U heeft de huur van twee maanden nog niet betaald. Het gaat om
€ 1.387,45. Wij vragen u dit bedrag uiterlijk 31 maart 2026 te betalen.

Kunt u niet alles in een keer betalen? Bel ons dan, dan maken we samen
een betalingsregeling.

Met vriendelijke groet,

J. de Boer
Teamleider Verhuur
"""


def _page() -> Image.Image:
    font_dir = "/usr/share/fonts/truetype/dejavu/"
    body, bold = ImageFont.truetype(font_dir + "DejaVuSans.ttf", 27), ImageFont.truetype(font_dir + "DejaVuSans-Bold.ttf", 34)
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    y = 250
    for number, line in enumerate(RIGHT):  # the letterhead in a column on the right, beside the addressee
        font = bold if number == 0 else body
        draw.text((1654 - 170 - font.getlength(line), y), line, font=font, fill=25)
        y += 44 if number == 0 else 38
    y = 250
    for line in LEFT:
        draw.text((170, y), line, font=body, fill=25)
        y += 38
    y = 520
    for line in BODY.splitlines():
        draw.text((170, y), line, font=body, fill=25)
        y += 40 if line else 26
    return page


def _photo() -> bytes:
    """A slightly crooked, shadowed, blurred, noisy phone photo of about 100 dpi (JPEG quality 40)."""
    page = _page()
    shade = Image.linear_gradient("L").rotate(90).resize(page.size).point(lambda v: 255 - v * 2 // 5)  # darker to the right
    page = Image.composite(page, Image.new("L", page.size, 0), shade)
    table = Image.new("L", (page.width + 200, page.height + 200), 80)
    table.paste(page, (100, 100))
    picture = table.rotate(2.5, resample=Image.BICUBIC, expand=True, fillcolor=80)
    picture = picture.resize((1150, round(picture.height * 1150 / picture.width)), Image.LANCZOS).filter(ImageFilter.GaussianBlur(1.0))
    rng = random.Random(11)  # the same photo on every run
    noise = Image.frombytes("L", picture.size, bytes(min(255, max(0, round(rng.gauss(128, 9)))) for _ in range(picture.width * picture.height)))
    picture = ImageChops.add(picture, noise, offset=-128).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=40)
    return buffer.getvalue()


@needs_ocr
def test_a_right_aligned_letterhead_of_an_unknown_organisation_gives_the_sender_of_a_photo(monkeypatch):
    # The outcome must not depend on the load of the test machine (both steps are skipped when a photo took long).
    monkeypatch.setattr(ocr, "SECOND_READING_BEFORE_S", 60.0)
    monkeypatch.setattr(ocr, "REREAD_BEFORE_S", 60.0)
    text = ocr.read_upload(_photo()).text
    # Tesseract joins each line of the letterhead with the addressee's beside it; before the columns were kept apart
    # the sender came out as "Mevrouw A. de Vries Woonstichting Klaverwoud".
    result = explain_letter(text)
    assert result.sender == SENDER
    assert result.amounts == ["1387.45"] and result.action == "betalen"


def test_a_letterhead_beside_the_addressee_on_the_same_lines_is_a_block_of_its_own():
    text = "\n".join(f"{left}   {right}" for left, right in zip(LEFT, RIGHT)) + "\n" + RIGHT[-1] + "\n\n" + BODY
    assert explain_letter(text).sender == SENDER
    assert explain_letter(text.replace("   ", " ")).sender != SENDER  # one line without the gap: the addressee's name first


def _line(block: str, top: int, text: str, confidence: float = 90.0) -> reread.Line:
    return reread.Line(("1", block), ("1", block, "1"), [100, top, 900, top + 30], text.split(), [confidence] * len(text.split()))


def test_only_blocks_wholly_above_the_salutation_move_before_it():
    lines = [_line("1", 300, "Mevrouw A. de Vries"), _line("2", 500, "Geachte mevrouw,"), _line("3", 560, "U heeft de huur niet betaald."),
             _line("4", 100, "Woonstichting Klaverwoud"), _line("4", 140, "Postbus 4410"),
             _line("5", 480, "speck"), _line("5", 900, "Met vriendelijke groet,")]
    assert [line.text for line in reread.head_first(lines)] == [
        "Mevrouw A. de Vries", "Woonstichting Klaverwoud", "Postbus 4410", "Geachte mevrouw,", "U heeft de huur niet betaald.",
        "speck", "Met vriendelijke groet,"]  # block 5 starts above the salutation but reaches below it: it stays
    assert reread.head_first(lines[2:]) == lines[2:]  # no salutation read: Tesseract's order stands


@needs_ocr
def test_an_unsure_line_of_the_signature_is_read_again_and_replaced_only_when_the_new_reading_is_surer():
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    picture = Image.new("L", (1200, 700), 255)
    draw = ImageDraw.Draw(picture)
    for top, text in ((100, "Geachte heer,"), (300, "Met vriendelijke groet,"), (400, "Tjongerrode Incasso B.V."), (500, "Afdeling Incasso")):
        draw.text((100, top), text, font=font, fill=20)
    first = [_line("1", 100, "Geachte heer,", 95), _line("2", 300, "Met vriendelijke groet,", 95),
             _line("3", 400, "Hongerrode Incasso B.V.", 40),  # as the page reading misread it, unsure
             _line("4", 500, "Afdeling Incassa", 96)]  # misread but sure: Tesseract is not asked again
    for line, width in zip(first, (220, 380, 400, 270)):
        line.box = [95, line.box[1] - 2, 100 + width, line.box[1] + 36]
    again = reread.reread_names(picture, first, ocr._tesseract)
    assert [line.text for line in again] == ["Geachte heer,", "Met vriendelijke groet,", "Tjongerrode Incasso B.V.", "Afdeling Incassa"]
    assert first[2].text == "Hongerrode Incasso B.V."  # the caller's reading is left as it was
