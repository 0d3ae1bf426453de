"""A second, line-by-line reading of the places where a letter names its sender: the letterhead and the signature.

Tesseract reads a whole page with one global threshold (Otsu). On a phone photo with a shadow or blur, the lines of
the letterhead, the signature and the footer then come out misread ("Hongerrode Incasso B.V." for "Tjongerrode"),
while the same line cut out on its own, thresholded for its own lighting and read as one line (`--psm 7`), is read
right and with a higher confidence. The sender is read from exactly these lines (sender.py), and a name OCR misreads
in most places cannot be put right by a vote afterwards.

So after the page is read, each line above the salutation ("Geachte", "Beste") and from the closing ("Met
vriendelijke groet", "Hoogachtend") down, that Tesseract was not sure of, is cut out and read again; all such lines
go to Tesseract in one call (a multi-page TIFF through stdin: one process, each page thresholded on its own). What the
global threshold (Otsu) still reads unsurely is read once more with Tesseract's local threshold (Sauvola), and the
surer of the readings counts. A line's new reading replaces the old one only when Tesseract is surer of it and it is
not much shorter. Lines of ink that Tesseract's layout left out altogether (inkbands.py: a bold name under a logo, a
short signature line) are read in the same call and put in at their place on the page. Nothing is added that was not
on the page.

The same positions fix the order: Tesseract's page segmentation reads a right-aligned letterhead as a column of its own
and may give it after the body. Blocks that lie wholly above the salutation are put before it (only those: sorting all
blocks by their top edge moved body paragraphs above the letterhead when a speck sat inside a body block).
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from PIL import Image

from . import inkbands

# Where the letterhead ends and the signature starts: the same phrases the sender is read by.
from .sender import CLOSING, SALUTATION

SURE = 90.0  # a line read with at least this mean word confidence is not read again
MAX_LINES = 30  # a bound on the work: a letterhead and a signature have far fewer lines
HEAD_SHARE = 0.3  # without a salutation, the top 30 % of the text is the letterhead's area (and the bottom 30 % the signature's)


@dataclass
class Line:
    """One line of Tesseract's TSV: where it is (page, block, paragraph), its box and its words with their confidence."""
    block: tuple[str, str]
    par: tuple[str, str, str]
    box: list[int]  # left, top, right, bottom in pixels of the picture read
    words: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    boxes: list[tuple[int, int]] = field(default_factory=list)  # left and right edge of each word

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def spaced(self) -> str:
        """The words, with three spaces where a wide gap parts them: Tesseract joins a letterhead beside the addressee
        into one line ("Mevrouw A. de Vries   Woonstichting X"), and the columns must stay apart (sender.py)."""
        if len(self.boxes) != len(self.words):
            return self.text
        wide = 4 * (self.box[3] - self.box[1])
        parts = [self.words[0]]
        for (before, after), word in zip(zip(self.boxes, self.boxes[1:]), self.words[1:]):
            parts.append(("   " if after[0] - before[1] > wide else " ") + word)
        return "".join(parts)

    @property
    def confidence(self) -> float:
        return sum(self.confidences) / len(self.confidences) if self.confidences else 0.0


def tsv_lines(tsv: str) -> list[Line]:
    """The word rows of Tesseract's TSV grouped into lines, in Tesseract's order."""
    lines: list[Line] = []
    last = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        ident = (cols[1], cols[2], cols[3], cols[4])
        try:
            left, top, width, height = (int(v) for v in cols[6:10])
        except ValueError:
            continue
        if ident != last:
            lines.append(Line((cols[1], cols[2]), (cols[1], cols[2], cols[3]), [left, top, left + width, top + height]))
            last = ident
        line = lines[-1]
        line.box = [min(line.box[0], left), min(line.box[1], top), max(line.box[2], left + width), max(line.box[3], top + height)]
        line.words.append(cols[11])
        line.boxes.append((left, left + width))
        try:
            line.confidences.append(max(0.0, float(cols[10])))
        except ValueError:
            line.confidences.append(0.0)
    return lines


def layout(lines: list[Line]) -> str:
    """The lines as Tesseract's text output lays them out: a blank line between paragraphs."""
    out: list[str] = []
    last_par = None
    for line in lines:
        if last_par is not None and line.par != last_par:
            out.append("")
        out.append(line.spaced)
        last_par = line.par
    return "\n".join(out) + "\n" if out else ""


def _areas(lines: list[Line]) -> tuple[int, int] | None:
    """The bottom of the letterhead's area and the top of the signature's, in pixels (None: nothing read)."""
    sure = [line for line in lines if line.confidence > 40] or lines
    if not sure:
        return None
    top, bottom = min(line.box[1] for line in sure), max(line.box[3] for line in sure)
    by_height = sorted(lines, key=lambda line: line.box[1])
    salutation = next((line.box[1] for line in by_height if SALUTATION.match(line.text)), None)
    head_end = salutation if salutation is not None else top + HEAD_SHARE * (bottom - top)
    closing = next((line.box[1] for line in reversed(by_height) if CLOSING.match(line.text) and line.box[1] > head_end), None)
    tail_start = closing if closing is not None else bottom - HEAD_SHARE * (bottom - top)
    return int(head_end), int(tail_start)


def head_first(lines: list[Line]) -> list[Line]:
    """Blocks wholly above the salutation before it, in Tesseract's order otherwise (a right-aligned letterhead that
    Tesseract read as a column after the body goes back on top)."""
    salutation = next((line for line in lines if SALUTATION.match(line.text)), None)
    if salutation is None:
        return lines
    bottoms: dict[tuple[str, str], int] = {}
    for line in lines:
        bottoms[line.block] = max(bottoms.get(line.block, 0), line.box[3])
    at = lines.index(salutation)
    moved = [line for line in lines[at:] if line.block != salutation.block and bottoms[line.block] <= salutation.box[1]]
    if not moved:
        return lines
    return [*lines[:at], *moved, *(line for line in lines[at:] if line not in moved)]


def _crop(picture: Image.Image, box: list[int]) -> Image.Image:
    left, top, right, bottom = box
    pad = max(4, int((bottom - top) * 0.4))
    return picture.crop((max(0, left - 2 * pad), max(0, top - pad), min(picture.width, right + 2 * pad), min(picture.height, bottom + pad)))


def reread_names(picture: Image.Image, lines: list[Line], run: Callable[[list[str], bytes], subprocess.CompletedProcess[bytes]]) -> list[Line]:
    """The lines with those of the letterhead and signature areas read again one by one where that reading is surer."""
    lines = [replace(line, words=list(line.words), confidences=list(line.confidences), boxes=list(line.boxes)) for line in lines]  # the caller's stay as read
    areas = _areas(lines)
    if areas is None:
        return lines
    head_end, tail_start = areas
    # A line of two columns (a letterhead beside the addressee) is left as read: one reading of it would join them.
    unsure = [line for line in lines if line.confidence < SURE and any(c.isalpha() for c in line.text) and line.spaced == line.text
              and (line.box[3] <= head_end or line.box[1] >= tail_start) and 6 <= line.box[3] - line.box[1] <= picture.height // 8]
    unsure = unsure[:MAX_LINES]
    # Lines of ink that Tesseract's layout left out (a name beside a logo, a short signature line): read in the same call.
    bands = inkbands.missed(picture, [line.box for line in lines], [line.box for line in lines if line.confidence > 40])
    if not unsure and not bands:
        return lines
    crops = [_crop(picture, box) for box in [*(line.box for line in unsure), *bands]]
    again = _read_lines(crops, run, [])
    # What Tesseract's global threshold (Otsu) still reads unsurely is read once more with its local one (Sauvola),
    # which keeps thin strokes in a blurred or shaded line ("Dommetvaart" / "Dommelvaart"); the surer reading counts.
    weak = [n for n in range(1, len(crops) + 1) if str(n) not in again or again[str(n)].confidence < SURE][:MAX_LINES]
    if weak:
        local = _read_lines([crops[n - 1] for n in weak], run, ["-c", "thresholding_method=2"])
        for at, n in enumerate(weak, start=1):
            new = local.get(str(at))
            if new and (str(n) not in again or new.confidence > again[str(n)].confidence):
                again[str(n)] = new
    for number, line in enumerate(unsure, start=1):
        new = again.get(str(number))
        if new and new.confidence > line.confidence and len(new.text) >= 0.7 * len(line.text):
            line.words, line.confidences, line.boxes = new.words, new.confidences, []
    for number, box in enumerate(bands, start=len(unsure) + 1):
        new = again.get(str(number))
        if new and new.confidence >= FOUND_SURE and _wordlike(new.text):
            _insert(lines, Line(("ink", str(number)), ("ink", str(number), "1"), box, new.words, new.confidences))
    return lines


def _read_lines(crops: list[Image.Image], run: Callable[[list[str], bytes], subprocess.CompletedProcess[bytes]],
                options: list[str]) -> dict[str, Line]:
    """Each picture read as one line, all in one Tesseract call (a multi-page TIFF): page number ("1", ...) -> line."""
    buffer = io.BytesIO()
    crops[0].save(buffer, "TIFF", save_all=True, append_images=crops[1:])
    try:
        tsv = run(["--psm", "7", *options, "tsv"], buffer.getvalue()).stdout.decode("utf-8", errors="replace")
    except ValueError:  # out of time or unreadable: the first reading stands
        return {}
    again: dict[str, Line] = {}
    for line in tsv_lines(tsv):  # one line per page; its block key starts with the page number (1, 2, ...)
        page = again.setdefault(line.block[0], line)
        if page is not line:
            page.words += line.words
            page.confidences += line.confidences
    return again


FOUND_SURE = 40.0  # a line found in the ink had no reading at all: less sure than a re-read must be, more than noise


def _wordlike(text: str) -> bool:
    """Letters or digits, not specks read as punctuation ("| ~ ."): at least two, and most of the line."""
    signs = [c for c in text if not c.isspace()]
    good = sum(1 for c in signs if c.isalnum())
    return good >= 2 and good >= 0.6 * len(signs)


def _insert(lines: list[Line], new: Line) -> None:
    """Put a line found in the ink at its place on the page: before the nearest line below it that it overlaps
    sideways (in that line's paragraph when it is as close as lines of a paragraph are), else after the nearest above."""
    height = new.box[3] - new.box[1]

    def beside(line: Line) -> bool:
        return line.box[0] < new.box[2] and new.box[0] < line.box[2]

    below = [line for line in lines if beside(line) and line.box[1] >= new.box[3] - height // 3]
    above = [line for line in lines if beside(line) and line.box[3] <= new.box[1] + height // 3]
    if below:
        after = min(below, key=lambda line: line.box[1])
        if after.box[1] - new.box[3] <= 0.6 * height:
            new.block, new.par = after.block, after.par
        lines.insert(lines.index(after), new)
    elif above:
        before = max(above, key=lambda line: line.box[3])
        if new.box[1] - before.box[3] <= 0.6 * height:
            new.block, new.par = before.block, before.par
        lines.insert(lines.index(before) + 1, new)
    else:
        lines.append(new)
