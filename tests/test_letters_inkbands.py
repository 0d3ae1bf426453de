"""Lines Tesseract's layout left out (balie/letters/inkbands.py, reread.py) and the sender vote between readings of a
photo (namevote.py): a name cut short at the photo's edge, two spellings of which OCR was surer of one, a name alone
above its address block.

Pages and names are generated here per seed (invented organisations, positions and fonts), not taken from the
benchmark's generator.
"""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw, ImageFont

from balie.letters import inkbands, ocr, photo, reread
from balie.letters.explain import explain_letter

needs_ocr = pytest.mark.skipif(bool(ocr.unavailable_reason()), reason=f"OCR niet beschikbaar: {ocr.unavailable_reason()}")
FONTS = "/usr/share/fonts/truetype/dejavu/"
SYLLABLES = ["kla", "ver", "wou", "den", "bro", "ek", "hor", "st", "maas", "lin", "de", "vaart", "dal", "mon", "rijk", "stee"]


def _own_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()


def _page(rng: random.Random, lines: list[str], bold: int) -> tuple[Image.Image, list[list[int]]]:
    """A page with `lines` at a random left margin and spacing (line `bold` large and bold) and each line's ink box."""
    size = rng.randint(24, 30)
    regular = ImageFont.truetype(FONTS + rng.choice(["DejaVuSans.ttf", "DejaVuSerif.ttf"]), size)
    heavy = ImageFont.truetype(FONTS + "DejaVuSans-Bold.ttf", size + 12)
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    x, y, boxes = rng.randint(150, 250), rng.randint(200, 300), []
    for number, text in enumerate(lines):
        font = heavy if number == bold else regular
        draw.text((x, y), text, font=font, fill=rng.randint(0, 40))
        boxes.append(list(draw.textbbox((x, y), text, font=font)))
        y += int(size * rng.uniform(1.5, 2.2)) + (12 if number == bold else 0)
    return page, boxes


def _lines(rng: random.Random, name: str) -> list[str]:
    return [name, "Postbus 4410", f"{rng.randint(1000, 9999)} AB Havenland", "", "Mevrouw A. de Vries", "Dorpsstraat 12",
            "Datum: 12 februari 2026", "Onderwerp: Huurachterstand", "Geachte mevrouw De Vries,",
            "U heeft de huur van twee maanden nog niet betaald. Het gaat om € 1.387,45.",
            "Wij vragen u dit bedrag uiterlijk 31 maart 2026 te betalen.", "Met vriendelijke groet,", "J. de Boer"]


@pytest.mark.parametrize("seed", range(6))
def test_a_line_no_reading_covers_is_found_and_nothing_else(seed):
    rng = random.Random(seed)
    lines = [line for line in _lines(rng, f"Woonstichting {_own_name(rng)}") if line]
    page, boxes = _page(rng, lines, bold=0)
    left_out = rng.randrange(len(lines))
    read = [box for number, box in enumerate(boxes) if number != left_out]
    found = inkbands.missed(page, read, read)
    assert len(found) == 1
    box, want = found[0], boxes[left_out]
    assert box[1] < want[3] and want[1] < box[3] and box[0] < want[2] and want[0] < box[2]


@pytest.mark.parametrize("seed", range(4))
def test_a_logo_square_a_shadow_and_specks_are_not_lines(seed):
    rng = random.Random(100 + seed)
    lines = [line for line in _lines(rng, f"Waterschap {_own_name(rng)}") if line]
    page, boxes = _page(rng, lines, bold=0)
    draw = ImageDraw.Draw(page)
    side = rng.randint(90, 130)
    draw.rectangle((boxes[0][0], boxes[0][1] - side - 30, boxes[0][0] + side, boxes[0][1] - 30), fill=rng.randint(20, 90))  # a logo
    draw.rectangle((0, boxes[-1][3] + 60, page.width, boxes[-1][3] + 60 + rng.randint(40, 80)), fill=30)  # the table's edge
    for _ in range(30):  # specks
        x, y = rng.randrange(page.width - 4), rng.randrange(page.height - 4)
        draw.rectangle((x, y, x + 2, y + 2), fill=0)
    assert inkbands.missed(page, boxes, boxes) == []


@needs_ocr
@pytest.mark.parametrize("seed", range(2))
def test_a_name_the_layout_left_out_is_read_and_put_back_in_its_place(seed):
    # What Tesseract's layout does to a bold name under a logo: the line is not in its reading. Here it is taken out of
    # a real reading of the page; the re-reading finds the ink and puts the name back above its address.
    rng = random.Random(200 + seed)
    name = f"Woonstichting {_own_name(rng)}"
    page, _ = _page(rng, _lines(rng, name), bold=0)
    prepared = photo.prepare_photo(page)
    first = photo.tsv_reading(ocr._tesseract(["--psm", "3", "tsv"], photo._pgm(prepared)).stdout.decode("utf-8"))
    dropped = [line for line in first.lines if "Woonstichting" not in line.text]
    assert len(dropped) < len(first.lines)
    text = reread.layout(reread.reread_names(prepared, dropped, ocr._tesseract))
    assert text.splitlines()[0] == name
    assert "Postbus 4410" in text.splitlines()[1]


LETTER = """{head}
Postbus 4410
3500 AB Havenland

Mevrouw A. de Vries
Dorpsstraat 12
1234 AB Utrecht

Datum: 12 februari 2026
Onderwerp: Huurachterstand

Geachte mevrouw De Vries,

Wij vragen u € 1.387,45 uiterlijk 31 maart 2026 te betalen.

Met vriendelijke groet,
namens {signed},

J. de Boer
Teamleider Verhuur
"""


@pytest.mark.parametrize("seed", range(5))
def test_a_name_cut_short_at_the_edge_votes_for_the_whole_name(seed):
    rng = random.Random(300 + seed)
    name = f"Woonstichting {_own_name(rng)}"
    cut = name[:-rng.randint(1, 3)]
    assert explain_letter(LETTER.format(head=cut, signed=name)).sender == name
    assert explain_letter(LETTER.format(head=name, signed=cut)).sender == name


def _two_letters_apart(rng: random.Random, word: str) -> str:
    letters = list(word)
    for at in rng.sample(range(2, len(word) - 1), 2):
        letters[at] = "x" if letters[at] != "x" else "q"
    return "".join(letters)


@pytest.mark.parametrize("seed", range(5))
def test_of_two_spellings_the_one_ocr_read_surely_is_the_name(seed):
    rng = random.Random(400 + seed)
    own = _own_name(rng)
    while len(own) < 9:
        own = _own_name(rng)
    right, wrong = f"Gemeente {own}", f"Gemeente {_two_letters_apart(rng, own)}"
    for head, signed in ((wrong, right), (right, wrong)):
        text = LETTER.format(head=head, signed=signed)
        sure = {line.strip(): 90.0 for line in text.splitlines() if line.strip()}
        sure[f"namens {signed},"] = 90.0 if signed == right else 40.0
        sure[head] = 90.0 if head == right else 40.0
        assert explain_letter(text, None, sure).sender == right
    # Without confidences (pasted text) nothing decides between the two but the letterhead, as before.
    assert explain_letter(LETTER.format(head=wrong, signed=right)).sender == wrong


@pytest.mark.parametrize("seed", range(4))
def test_a_name_alone_above_its_address_block_beats_the_department_under_it(seed):
    rng = random.Random(500 + seed)
    name = f"Waterschap {_own_name(rng)}"
    department = rng.choice(["Sector Financiën", "Afdeling Belastingen", "Team Invordering"]).replace("Sector", rng.choice(["Sector", "Settoe"]))
    text = LETTER.format(head=f"{name}\n\n{department}", signed="de directie").replace("namens de directie,\n", "")
    assert explain_letter(text).sender == name
