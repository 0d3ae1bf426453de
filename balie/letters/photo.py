"""Phone photos and scans to text: preparing the picture for Tesseract, and a second reading when the first is poor.

Preparation (Pillow only): upright by EXIF, straightened with a projection profile (within ±15 degrees), scaled so body
text is large enough for Tesseract, lighting flattened with a max-filtered background estimate (shadows of a hand or a
phone, light falling off to one side).

Tesseract reports a confidence per word (its TSV output). When the mean confidence of the first reading is low or it
found few words (blur, noise, low resolution, a dark photo, a photo taken sideways), the picture is read a second
time: the right way up when it was taken sideways (text lines running top to bottom in the projection profiles) or
upside down (Tesseract's orientation detection, osd model), otherwise with a local (Sauvola) instead of a global
threshold; the reading with the higher confidence is kept. A clear photo is read once; a poor one at most twice, a
sideways one whose way round OSD cannot tell three times (both quarter turns), within the time budget of ocr.py.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageFilter, ImageOps

from . import reread

# Tesseract reads body text best with capital letters ~25-35 px high: a page ~2,000 px wide for a photographed A4.
TARGET_WIDTH = 2000
MAX_SKEW = 15  # degrees; a photo held more crooked than this is retaken anyway
GOOD_CONFIDENCE = 80.0  # mean word confidence (0-100) above which one reading is enough
MIN_WORDS = 40  # fewer words than this on a letter: read again
TURN_CONFIDENCE = 1.0  # Tesseract's OSD confidence from which its upright/upside-down answer is taken (bench/README.md)


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # mean word confidence, 0-100
    words: int
    lines: tuple[reread.Line, ...] = ()

    @property
    def poor(self) -> bool:
        return self.confidence < GOOD_CONFIDENCE or self.words < MIN_WORDS

    @property
    def score(self) -> float:
        # A reading of a handful of confident words (a logo) must not beat a full page read a little less surely.
        return self.confidence * min(1.0, self.words / MIN_WORDS)


def _flatten_light(gray: Image.Image) -> Image.Image:
    """Remove uneven lighting: estimate the paper brightness per area (text removed by a max filter) and lift it to white."""
    small = gray.resize((max(1, gray.width // 16), max(1, gray.height // 16)), Image.BILINEAR)
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(2)).resize(gray.size, Image.BILINEAR)
    flattened = ImageChops.add(gray, ImageChops.invert(paper))  # gray + (255 - paper), clipped at white
    return ImageOps.autocontrast(flattened, cutoff=(1, 0))


def _profile_score(binary: Image.Image, angle: float) -> float:
    rotated = binary.rotate(angle, resample=Image.NEAREST, fillcolor=255)
    rows = np.asarray(rotated, dtype=np.float32).mean(axis=1)
    # Straight text lines make the darkness change sharply from one row to the next: the sum of squared differences of
    # neighbouring rows (Postl's measure) peaks. A broad band of dark speckle (the table's rim along the paper, the edge
    # of a shadow) changes slowly from row to row and hardly counts; the variance of the rows, used before, let such a
    # band outweigh the few lines of a short letter (a photo 3 degrees crooked "straightened" by 15 the other way).
    return float(np.square(np.diff(rows)).sum())


def _binary(gray: Image.Image) -> Image.Image:
    """A 700-pixel black-and-white copy with the light flattened and large dark areas painted white: text strokes only."""
    scale = 700 / max(gray.size)
    small = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))), Image.BILINEAR)
    binary = _flatten_light(small).point(lambda v: 0 if v < 160 else 255)
    # Large dark areas (the table around the paper, a thumb) survive an opening; text strokes do not. Paint them white.
    blobs = binary.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.MinFilter(7))
    return ImageChops.lighter(binary, ImageChops.invert(blobs))


def skew_angle(gray: Image.Image) -> float:
    """The rotation that makes text lines horizontal, within ±MAX_SKEW degrees (projection profile, coarse then fine).

    Works on a 700-pixel copy with the light flattened first: otherwise a dark table around the paper dominates.
    """
    binary = _binary(gray)
    best = max((a / 2 for a in range(-2 * MAX_SKEW, 2 * MAX_SKEW + 1)), key=lambda a: _profile_score(binary, a))
    return max((best + a / 10 for a in range(-5, 6)), key=lambda a: _profile_score(binary, a))


def sideways(gray: Image.Image) -> bool:
    """Do the text lines run from top to bottom (a page lying on its side)? The rows' profile (Postl's measure, per row,
    at its best angle within ±MAX_SKEW) against the columns': lines give the sharper profile across them."""
    binary = _binary(gray)
    across = binary.rotate(90, expand=True)

    def sharpest(picture: Image.Image) -> float:
        return max(_profile_score(picture, a) for a in range(-MAX_SKEW, MAX_SKEW + 1)) / picture.height

    return sharpest(across) > sharpest(binary)


def _scale(gray: Image.Image, width: int) -> Image.Image:
    height = max(1, round(gray.height * width / gray.width))
    return gray.resize((width, height), Image.LANCZOS if width < gray.width else Image.BICUBIC)


def prepare_photo(image: Image.Image, width: int = TARGET_WIDTH, turn: int = 0) -> Image.Image:
    gray = ImageOps.exif_transpose(image).convert("L")
    if turn:
        gray = gray.rotate(turn, expand=True)  # a multiple of 90 degrees: exact, no resampling
    angle = skew_angle(gray)
    # Rotate at the smaller of the two sizes: rotation costs time per pixel.
    if gray.width > width * 1.3:
        gray = _scale(gray, width)
    if abs(angle) >= 0.2:
        gray = gray.rotate(angle, resample=Image.BILINEAR, expand=True, fillcolor=255)
    if gray.width < width * 0.8:
        gray = _scale(gray, width)
    return _flatten_light(gray)


def tsv_reading(tsv: str) -> Reading:
    """Tesseract's TSV (one row per word with block, paragraph and line numbers) as text laid out like its text output:
    words of a line joined by spaces, a blank line between paragraphs. Also the mean word confidence, and the lines
    with their boxes (for reread.py)."""
    lines = reread.tsv_lines(tsv)
    confidences = [c for line in lines for c in line.confidences]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return Reading(reread.layout(lines), mean, len(confidences), tuple(lines))


# Tesseract's orientation and script detection needs its own model: with "-l nld" Tesseract 5.3 "detects only
# orientation" and answers "Rotate: 90" for every page, upright or not.
OSD = ["-l", "osd", "--psm", "0"]


def osd(run: Callable[[list[str], bytes], subprocess.CompletedProcess[bytes]], image: Image.Image) -> tuple[int, float]:
    """Tesseract's orientation detection (osd model): the quarter turn (0, 90, 180, 270, counter-clockwise as PIL rotates)
    that makes the page upright and its confidence; (0, 0.0) when it cannot tell."""
    small = _scale(image, min(image.width, 1600))
    try:
        text = run(OSD, _pgm(small)).stdout.decode("utf-8", errors="replace")
    except ValueError:  # too few letters to tell (an empty page), no osd model, or out of time: read it as it is
        return 0, 0.0
    rotate = confidence = 0.0
    for line in text.splitlines():
        key, _, value = line.partition(":")
        try:
            if key.strip() == "Rotate":
                rotate = float(value)
            elif key.strip() == "Orientation confidence":
                confidence = float(value)
        except ValueError:
            return 0, 0.0
    # Tesseract's "Rotate" is clockwise; PIL rotates counter-clockwise.
    return int(-rotate) % 360, confidence


Prepare = Callable[[int], Image.Image]  # a quarter turn -> the photo prepared (prepare_photo) with that turn


def detect_turn(run: Callable[[list[str], bytes], subprocess.CompletedProcess[bytes]], image: Image.Image,
                prepare: Prepare | None = None) -> tuple[int, float]:
    """The quarter turn (counter-clockwise) that makes the page upright and Tesseract's confidence of the part it decided.

    On phone photos Tesseract's OSD tells upright from upside down well once the picture is prepared (straightened, light
    flattened), but a page on its side it mostly gets wrong or answers with a confidence near 0 (bench/README.md). So
    whether the lines run sideways is decided by the projection profiles (sideways()), and OSD only tells which of the
    two ways round the lines are: an answer of 90 or 270 for a page whose lines are level counts as unsure (0.0).
    `prepare` gives the prepared photo per turn, if the caller keeps them (read_photo_lines reads the same pictures).
    """
    base = 90 if sideways(image) else 0
    turn, confidence = osd(run, prepare(base) if prepare else prepare_photo(image, turn=base))
    if turn not in (0, 180):
        return base, 0.0
    return (base + turn) % 360, confidence


def candidate_turns(run: Callable[[list[str], bytes], subprocess.CompletedProcess[bytes]], image: Image.Image,
                    prepare: Prepare | None = None) -> list[int]:
    """The quarter turns worth a reading: none for a page whose lines are level unless OSD is sure it is upside down;
    for a page on its side the one OSD is sure of, or both when it is unsure which way round (a quarter of the sideways
    photos of the bench; OSD's wrong answers all had a confidence under 0.25, its right ones mostly over 1)."""
    return turns_to_read(*detect_turn(run, image, prepare))


def turns_to_read(turn: int, confidence: float) -> list[int]:
    """candidate_turns' choice from one detect_turn answer."""
    if confidence >= TURN_CONFIDENCE:
        return [turn] if turn else []
    return [90, 270] if turn in (90, 270) else []


def orientation(run: Callable[[list[str], bytes], subprocess.CompletedProcess[bytes]], image: Image.Image) -> int:
    """The quarter turn (0, 90, 180, 270, counter-clockwise) most likely to make the page upright."""
    turns = candidate_turns(run, image)
    return turns[0] if turns else 0


def _pgm(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PPM")  # raw PGM: the fastest format to write, and Leptonica reads it from stdin
    return buffer.getvalue()


def confidences(lines: list[reread.Line]) -> dict[str, float]:
    """Each line's text (as laid out) -> Tesseract's mean word confidence: how sure the reading of that line is. The
    sender's spelling (namevote.py) prefers a line read surely when two lines give the name differently."""
    sure: dict[str, float] = {}
    for line in lines:
        text = line.spaced.strip()
        sure[text] = min(sure.get(text, 100.0), line.confidence)
    return sure


def read_photo_lines(image: Image.Image, run: Callable[[list[str], bytes], subprocess.CompletedProcess[bytes]],
                     may_retry: Callable[[], bool], may_reread: Callable[[], bool] | None = None) -> tuple[str, dict[str, float]]:
    """The text of a photographed or scanned page and the confidence per line: one reading, a second one only when the
    first is poor, then the unsure lines of letterhead and signature read again and lines the layout left out read
    (reread.py, inkbands.py).

    `run(args, pgm)` runs Tesseract on the picture with extra arguments; `may_retry()` says whether time is left for a
    second reading, `may_reread()` (default: the same) for the lines.
    """
    def reading(picture: Image.Image, *options: str) -> Reading:
        return tsv_reading(run(["--psm", "3", *options, "tsv"], _pgm(picture)).stdout.decode("utf-8", errors="replace"))

    def named(picture: Image.Image, chosen: Reading) -> tuple[str, dict[str, float]]:
        # The letterhead and signature lines read again one by one (reread.py), the letterhead back on top.
        if not (may_reread or may_retry)():
            return chosen.text, confidences(list(chosen.lines))
        lines = reread.head_first(reread.reread_names(picture, list(chosen.lines), run))
        return reread.layout(lines), confidences(lines)

    pictures: dict[int, Image.Image] = {}

    def prepare(turn: int) -> Image.Image:  # each turn straightened once: the orientation check reads one of them too
        if turn not in pictures:
            pictures[turn] = prepare_photo(image, turn=turn)
        return pictures[turn]

    prepared = prepare(0)
    first = reading(prepared)
    if not first.poor or not may_retry():
        return named(prepared, first)
    chosen, best = prepared, first
    turns = candidate_turns(run, ImageOps.exif_transpose(image).convert("L"), prepare)
    for number, turn in enumerate(turns):  # taken sideways or upside down: read it the right way up
        if number and not may_retry():
            break
        turned = prepare(turn)
        second = reading(turned)
        if second.score > best.score:
            chosen, best = turned, second
    if not turns:
        # Tesseract's own threshold is one global cut (Otsu); a local one (Sauvola) keeps strokes in a dark or noisy
        # corner. Neither wins on every photo, so the reading Tesseract is surer of is kept.
        second = reading(prepared, "-c", "thresholding_method=2")
        if second.score > best.score:
            best = second
    return named(chosen, best)
