"""From an uploaded file (photo, scan, PDF or text) to the text of the letter, entirely in memory.

Tesseract runs as a subprocess that reads the image from stdin and writes text to stdout, so the letter never touches
the disk (pytesseract would write a temporary file). Phone photos are prepared first (photo.py: upright, straightened,
scaled, lighting flattened) and read a second time, prepared differently, when Tesseract itself is unsure of the first
reading; words misread in the fixed wording of letters are repaired (ocrwords.py). Scanned PDFs are rendered page by
page with poppler's pdftoppm, also through pipes.

Every step has a budget, so a hostile file (a 600-byte PDF with a page of two metres square, megabytes of PDF
operators in a few KB, a PNG of 20,000 x 20,000 pixels) gets a clear Dutch message (TooLarge: the page answers 413)
instead of taking the server's memory or minutes of CPU:
- images: at most MAX_PIXELS, read from the header before anything is decoded;
- PDFs: parsed only in a separate process (pdftext.py) with a CPU, memory and wall-clock limit, and only its first
  MAX_PDF_PAGES pages, whose content streams together may hold at most pdftext.MAX_CONTENT_BYTES;
- a scanned page is rendered only if it fits the same pixel budget at RENDER_DPI, and at exactly that size
  (-scale-to-x/-y), whatever poppler itself thinks the page size is;
- pdftoppm and Tesseract run under a CPU and address-space limit (prlimit) as well as a timeout.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from . import photo
from .ocrwords import repair

skew_angle = photo.skew_angle  # the straightening, for tests and the bench

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 MP photo is already more than most phones make; larger is a decompression bomb
MAX_PDF_PAGES = 3  # a letter; more pages would make the visitor wait too long
OCR_TIMEOUT_S = 30
PDF_READ_TIMEOUT_S = 10  # wall clock for pdftext.py (which also limits its own CPU time to 5 s)
RENDER_DPI = 200
RENDER_TIMEOUT_S = 20
MAX_RENDER_SIDE = 20_000  # pixels: a page of 2.5 m at 200 dpi; the pixel budget usually stops a page long before
PROGRAM_MEMORY = 1024 * 1024 * 1024  # address space for pdftoppm and Tesseract
SAFE_ENV = {"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"}
LANG = "nld"
TOO_COMPLEX = "Deze PDF is te groot of te ingewikkeld om hier te lezen. Maak een foto van de brief of plak de tekst."


class OcrError(ValueError):
    """A file we cannot read, with a Dutch message for the user (``values`` fill its %(name)s placeholders after
    translation; ocr.py runs without Django, so the page translates)."""

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message % values if values else message)
        self.message, self.values = message, values


NO_OCR = "Foto's en scans lezen kan op deze computer niet: %(reason)s Plak de tekst van de brief."
PAGE_TOO_LARGE = "Deze PDF heeft een pagina van %(cm)s: veel groter dan een brief. Maak een foto van de brief of plak de tekst."


class TooLarge(OcrError):
    """A file over one of the budgets (bytes, pixels, page size, parsing or rendering work): the page answers 413."""


def _limited(command: list[str], cpu_seconds: int) -> list[str]:
    """The command under a CPU-time and address-space limit (util-linux prlimit, on every Debian/Ubuntu system).

    The timeout of subprocess.run stops a program that waits; this also stops one that allocates or computes.
    """
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        return command
    return [prlimit, f"--as={PROGRAM_MEMORY}", f"--cpu={cpu_seconds}", "--", *command]


@dataclass(frozen=True)
class ReadResult:
    text: str
    source: str  # "tekst", "pdf", "foto" or "scan"
    seconds: float
    pages: int = 1
    # Line of the text -> Tesseract's mean word confidence (0-100), for text that came from OCR: explain_letter uses it
    # to choose between two readings of the sender's name.
    line_confidence: dict[str, float] = field(default_factory=dict)

    @property
    def picture_confidence(self) -> dict[str, float] | None:
        """What explain_letter takes: the line confidences of text read from a picture, None for text and PDF text."""
        return self.line_confidence if self.source in ("foto", "scan") else None


@lru_cache(maxsize=1)
def unavailable_reason() -> str:
    """Why OCR cannot run here ('' when it can): used by views, tests and the bench."""
    if shutil.which("tesseract") is None:
        return "Tesseract is niet geïnstalleerd (Debian-pakket tesseract-ocr)."
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=10, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return "Tesseract start niet."
    if LANG not in langs:
        return "Het Nederlandse taalmodel van Tesseract ontbreekt (Debian-pakket tesseract-ocr-nld)."
    return ""


SLOW = "Het lezen van deze foto duurde te lang. Probeer een scherpere foto of plak de tekst."
# A second reading of a poor photo starts only if the first took less than this: the visitor's wait stays bounded.
SECOND_READING_BEFORE_S = 12.0
# The lines of letterhead and signature are read again (reread.py, ~0.3-0.6 s) only if the page took less than this:
# on a busy server a slow photo is not made slower still.
REREAD_BEFORE_S = 8.0


def _tesseract(args: list[str], pgm: bytes) -> subprocess.CompletedProcess[bytes]:
    # Dutch with the LSTM engine, unless the arguments name their own model (the orientation check's "-l osd", which
    # has only the legacy engine).
    model = [] if "-l" in args else ["-l", LANG, "--oem", "1"]
    try:
        done = subprocess.run(
            _limited(["tesseract", "stdin", "stdout", *model, *args], OCR_TIMEOUT_S),
            input=pgm, capture_output=True, timeout=OCR_TIMEOUT_S, check=False, env=SAFE_ENV,
        )
    except subprocess.TimeoutExpired as exc:
        raise TooLarge(SLOW) from exc
    if done.returncode < 0:  # stopped by its CPU or memory limit
        raise TooLarge(SLOW)
    if done.returncode != 0:
        raise OcrError("De tekstherkenning kon deze afbeelding niet lezen. Probeer een andere foto of plak de tekst.")
    return done


def read_picture(image: Image.Image, started: float) -> tuple[str, dict[str, float]]:
    """The text of one photographed or scanned page and the confidence per line (photo.read_photo_lines: a second
    reading only when the first is poor and the upload, counted from `started`, has taken less than
    SECOND_READING_BEFORE_S so far; the lines of letterhead and signature read again if less than REREAD_BEFORE_S)."""
    text, sure = photo.read_photo_lines(image, _tesseract, lambda: time.perf_counter() - started < SECOND_READING_BEFORE_S,
                                        lambda: time.perf_counter() - started < REREAD_BEFORE_S)
    repaired = repair(text)
    # The keys of `sure` are the text's own lines (stripped). repair() rewrites letters of words only, never a line break
    # or a space, so line n of the repaired text is line n of the text repaired: the page is repaired once.
    fixed = {line.strip(): done.strip() for line, done in zip(text.split("\n"), repaired.split("\n"))}
    return repaired, {fixed[line] if line in fixed else repair(line): confidence for line, confidence in sure.items()}


TOO_MANY_PIXELS = "Deze afbeelding is te groot (te veel pixels). Maak een foto met een gewone telefooncamera."


def _open_image(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size  # read from the header; nothing decoded yet
    except Image.DecompressionBombError as exc:  # Pillow's own limit (about 179 MP) is far above ours
        raise TooLarge(TOO_MANY_PIXELS) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise OcrError("Dit bestand kunnen we niet openen. Kies een foto (JPG of PNG), een PDF of een tekstbestand.") from exc
    if width * height > MAX_PIXELS:
        raise TooLarge(TOO_MANY_PIXELS)
    try:
        image.load()
    except (OSError, Image.DecompressionBombError) as exc:
        raise OcrError("Deze afbeelding is beschadigd of niet compleet. Maak een nieuwe foto.") from exc
    return image


def _ocr_required() -> None:
    reason = unavailable_reason()
    if reason:
        raise OcrError(NO_OCR, reason=reason)


def read_image(data: bytes) -> ReadResult:
    image = _open_image(data)
    _ocr_required()
    started = time.perf_counter()
    text, sure = read_picture(image, started)
    return ReadResult(text, "foto", time.perf_counter() - started, line_confidence=sure)


@lru_cache(maxsize=1)
def _python() -> str:
    """The Python of this installation (with pypdf): the venv's own, also when the server is not Python itself (uWSGI)."""
    own = Path(sys.prefix) / "bin" / "python"
    return str(own) if own.exists() else sys.executable


def _read_pdf_pages(data: bytes) -> dict[str, Any]:
    """The size and text layer of the first pages, from pdftext.py in its own limited process."""
    script = Path(__file__).with_name("pdftext.py")
    try:
        done = subprocess.run([_python(), "-I", str(script), str(MAX_PDF_PAGES)], input=data, capture_output=True,
                              timeout=PDF_READ_TIMEOUT_S, check=False, env=SAFE_ENV)
    except subprocess.TimeoutExpired as exc:
        raise TooLarge(TOO_COMPLEX) from exc
    if done.returncode < 0 or b"MemoryError" in done.stderr:  # stopped by its CPU or memory limit
        raise TooLarge(TOO_COMPLEX)
    try:
        result = json.loads(done.stdout) if done.returncode == 0 else {"error": "broken"}
    except ValueError:
        result = {"error": "broken"}
    error = result.get("error")
    if error == "encrypted":
        raise OcrError("Deze PDF is beveiligd met een wachtwoord. Open hem zelf en plak de tekst, of maak een foto van de brief.")
    if error in ("too_large", "too_complex"):
        raise TooLarge(TOO_COMPLEX)
    if error or not isinstance(result.get("pages"), list):
        raise OcrError("Deze PDF is beschadigd of geen echte PDF. Probeer een foto van de brief of plak de tekst.")
    return result


def render_size(width_pt: float, height_pt: float) -> tuple[int, int]:
    """The page in pixels at RENDER_DPI, or TooLarge (before anything is rendered) when it is over the pixel budget."""
    scale = RENDER_DPI / 72
    width, height = max(1, round(width_pt * scale)), max(1, round(height_pt * scale))
    if width * height > MAX_PIXELS or max(width, height) > MAX_RENDER_SIDE:
        cm = f"{width_pt / 72 * 2.54:.0f} × {height_pt / 72 * 2.54:.0f} cm"
        raise TooLarge(PAGE_TOO_LARGE, cm=cm)
    return width, height


def _render_pdf_page(data: bytes, page: int, size: tuple[int, int]) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        raise OcrError("Deze PDF is een scan, en het programma om scans te lezen (poppler-utils) ontbreekt. Plak de tekst van de brief.")
    width, height = size
    # Only the input is "-" (stdin): without an output prefix pdftoppm writes the page as PGM to stdout, not to a file.
    # -scale-to-x/-y fix the size of the picture exactly, so the budget holds even if poppler reads the page size
    # differently than pypdf did (a /UserUnit, a crop box); at RENDER_DPI this is the same picture as -r 200.
    command = ["pdftoppm", "-gray", "-scale-to-x", str(width), "-scale-to-y", str(height), "-f", str(page), "-l", str(page),
               "-singlefile", "-"]
    try:
        done = subprocess.run(_limited(command, RENDER_TIMEOUT_S), input=data, capture_output=True, timeout=RENDER_TIMEOUT_S,
                              check=False, env=SAFE_ENV)
    except subprocess.TimeoutExpired as exc:
        raise TooLarge(TOO_COMPLEX) from exc
    if done.returncode < 0:  # stopped by its CPU or memory limit
        raise TooLarge(TOO_COMPLEX)
    if done.returncode != 0 or not done.stdout:
        raise OcrError("Deze PDF kunnen we niet lezen. Probeer een foto van de brief of plak de tekst.")
    try:
        image = Image.open(io.BytesIO(done.stdout))
        if image.width * image.height > MAX_PIXELS:
            raise TooLarge(TOO_COMPLEX)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise OcrError("Deze PDF kunnen we niet lezen. Probeer een foto van de brief of plak de tekst.") from exc
    return image


def read_pdf(data: bytes) -> ReadResult:
    started = time.perf_counter()
    pages = _read_pdf_pages(data)["pages"]
    text = "\n\n".join(page["text"] for page in pages)
    if len(text.split()) >= 15:
        return ReadResult(text, "pdf", time.perf_counter() - started, len(pages))
    # No text layer: a scanned letter. Check every page against the budget first, then render and read them.
    sizes = [render_size(page["width"], page["height"]) for page in pages]
    _ocr_required()
    readings = [read_picture(_render_pdf_page(data, n, size), started) for n, size in enumerate(sizes, start=1)]
    text = "\n\n".join(page for page, _ in readings)
    sure = {line: confidence for _, page_sure in readings for line, confidence in page_sure.items()}
    if len(text.split()) < 5:
        raise OcrError("In deze PDF staat geen tekst die we kunnen lezen. Is het de goede PDF? Maak anders een foto van de brief.")
    return ReadResult(text, "scan", time.perf_counter() - started, len(pages), sure)


def _decode_text(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
        if text and printable / len(text) > 0.97:
            return text
    return None


def read_upload(data: bytes) -> ReadResult:
    """The text of an uploaded letter. Raises OcrError with a Dutch message for anything we cannot read."""
    if not data:
        raise OcrError("Het bestand is leeg. Kies een foto, scan of PDF van de brief.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge("Dit bestand is groter dan 10 MB. Maak een kleinere foto of kies een andere scan.")
    if data[:5] == b"%PDF-":
        return read_pdf(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"II*\x00", b"MM\x00*", b"RIFF", b"GIF8") or data[:2] == b"BM":
        return read_image(data)
    text = _decode_text(data)
    if text is not None:
        return ReadResult(text, "tekst", 0.0)
    raise OcrError("Dit soort bestand kunnen we niet lezen. Kies een foto (JPG of PNG), een PDF of een tekstbestand.")
