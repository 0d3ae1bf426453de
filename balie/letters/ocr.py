"""From an uploaded file (photo, scan, PDF or text) to the text of the letter, entirely in memory.

Tesseract runs as a subprocess that reads the image from stdin and writes text to stdout, so the letter never touches
the disk (pytesseract would write a temporary file). Phone photos are prepared first: upright (EXIF), flattened
lighting, stretched contrast, scaled to a size Tesseract reads well and fast, and straightened with a projection
profile. Scanned PDFs are rendered page by page with poppler's pdftoppm, also through pipes.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageFilter, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 MP photo is already more than any phone makes; larger is a decompression bomb
MAX_PDF_PAGES = 3  # a letter; more pages would make the visitor wait too long
OCR_TIMEOUT_S = 30
LANG = "nld"
# Tesseract reads body text best with capital letters ~25-35 px high: a page ~2,000 px wide for a photographed A4.
TARGET_WIDTH = 2000


class OcrError(ValueError):
    """A file we cannot read, with a Dutch message for the user."""


@dataclass(frozen=True)
class ReadResult:
    text: str
    source: str  # "tekst", "pdf", "foto" or "scan"
    seconds: float
    pages: int = 1


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


def _flatten_light(gray: Image.Image) -> Image.Image:
    """Remove uneven lighting: estimate the paper brightness per area (text removed by a max filter) and lift it to white."""
    small = gray.resize((max(1, gray.width // 16), max(1, gray.height // 16)), Image.BILINEAR)
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(2)).resize(gray.size, Image.BILINEAR)
    flattened = ImageChops.add(gray, ImageChops.invert(paper))  # gray + (255 - paper), clipped at white
    return ImageOps.autocontrast(flattened, cutoff=(1, 0))


def _profile_score(binary: Image.Image, angle: float) -> float:
    rotated = binary.rotate(angle, resample=Image.NEAREST, fillcolor=255)
    rows = list(rotated.resize((1, rotated.height), Image.BOX).getdata())
    mean = sum(rows) / len(rows)
    # Straight text lines give alternating dark and white rows: the variance of the row means peaks.
    return sum((r - mean) ** 2 for r in rows)


def skew_angle(gray: Image.Image) -> float:
    """The rotation that makes text lines horizontal, within ±8 degrees (projection-profile search, coarse then fine).

    Works on a 700-pixel copy with the light flattened first: otherwise a dark table around the paper dominates.
    """
    scale = 700 / max(gray.size)
    small = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))), Image.BILINEAR)
    binary = _flatten_light(small).point(lambda v: 0 if v < 160 else 255)
    # Large dark areas (the table around the paper, a thumb) survive an opening; text strokes do not. Paint them white.
    blobs = binary.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.MinFilter(7))
    binary = ImageChops.lighter(binary, ImageChops.invert(blobs))
    best = max((a / 2 for a in range(-16, 17)), key=lambda a: _profile_score(binary, a))
    return max((best + a / 10 for a in range(-5, 6)), key=lambda a: _profile_score(binary, a))


def _scale(gray: Image.Image, width: int) -> Image.Image:
    height = max(1, round(gray.height * width / gray.width))
    return gray.resize((width, height), Image.LANCZOS if width < gray.width else Image.BICUBIC)


def prepare_photo(image: Image.Image) -> Image.Image:
    gray = ImageOps.exif_transpose(image).convert("L")
    angle = skew_angle(gray)
    # Rotate at the smaller of the two sizes: rotation costs time per pixel.
    if gray.width > TARGET_WIDTH * 1.3:
        gray = _scale(gray, TARGET_WIDTH)
    if abs(angle) >= 0.2:
        gray = gray.rotate(angle, resample=Image.BILINEAR, expand=True, fillcolor=255)
    if gray.width < TARGET_WIDTH * 0.8:
        gray = _scale(gray, TARGET_WIDTH)
    return _flatten_light(gray)


def run_tesseract(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PPM")  # raw PGM: the fastest format to write, and Leptonica reads it from stdin
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANG, "--oem", "1", "--psm", "3"],
            input=buffer.getvalue(), capture_output=True, timeout=OCR_TIMEOUT_S, check=False,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("Het lezen van deze foto duurde te lang. Probeer een scherpere foto of plak de tekst.") from exc
    if done.returncode != 0:
        raise OcrError("De tekstherkenning kon deze afbeelding niet lezen. Probeer een andere foto of plak de tekst.")
    return done.stdout.decode("utf-8", errors="replace")


def _open_image(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size  # read from the header; nothing decoded yet
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise OcrError("Dit bestand kunnen we niet openen. Kies een foto (JPG of PNG), een PDF of een tekstbestand.") from exc
    if width * height > MAX_PIXELS:
        raise OcrError("Deze afbeelding is te groot (te veel pixels). Maak een foto met een gewone telefooncamera.")
    try:
        image.load()
    except (OSError, Image.DecompressionBombError) as exc:
        raise OcrError("Deze afbeelding is beschadigd of niet compleet. Maak een nieuwe foto.") from exc
    return image


def _ocr_required() -> None:
    reason = unavailable_reason()
    if reason:
        raise OcrError("Foto's en scans lezen kan op deze computer niet: " + reason + " Plak de tekst van de brief.")


def read_image(data: bytes) -> ReadResult:
    image = _open_image(data)
    _ocr_required()
    started = time.perf_counter()
    text = run_tesseract(prepare_photo(image))
    return ReadResult(text, "foto", time.perf_counter() - started)


def _render_pdf_page(data: bytes, page: int) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        raise OcrError("Deze PDF is een scan, en het programma om scans te lezen (poppler-utils) ontbreekt. Plak de tekst van de brief.")
    # Only the input is "-" (stdin): without an output prefix pdftoppm writes the page as PGM to stdout, not to a file.
    done = subprocess.run(
        ["pdftoppm", "-gray", "-r", "200", "-f", str(page), "-l", str(page), "-singlefile", "-"],
        input=data, capture_output=True, timeout=OCR_TIMEOUT_S, check=False,
    )
    if done.returncode != 0 or not done.stdout:
        raise OcrError("Deze PDF kunnen we niet lezen. Probeer een foto van de brief of plak de tekst.")
    return Image.open(io.BytesIO(done.stdout))


def read_pdf(data: bytes) -> ReadResult:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    started = time.perf_counter()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise OcrError("Deze PDF is beveiligd met een wachtwoord. Open hem zelf en plak de tekst, of maak een foto van de brief.")
        pages = reader.pages[:MAX_PDF_PAGES]
        text = "\n\n".join((page.extract_text() or "") for page in pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, OcrError):
            raise
        raise OcrError("Deze PDF is beschadigd of geen echte PDF. Probeer een foto van de brief of plak de tekst.") from exc
    if len(text.split()) >= 15:
        return ReadResult(text, "pdf", time.perf_counter() - started, len(pages))
    # No text layer: a scanned letter. Render and read the first pages.
    _ocr_required()
    texts = [run_tesseract(prepare_photo(_render_pdf_page(data, n))) for n in range(1, len(pages) + 1)]
    text = "\n\n".join(texts)
    if len(text.split()) < 5:
        raise OcrError("In deze PDF staat geen tekst die we kunnen lezen. Is het de goede PDF? Maak anders een foto van de brief.")
    return ReadResult(text, "scan", time.perf_counter() - started, len(pages))


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
        raise OcrError("Dit bestand is groter dan 10 MB. Maak een kleinere foto of kies een andere scan.")
    if data[:5] == b"%PDF-":
        return read_pdf(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"II*\x00", b"MM\x00*", b"RIFF", b"GIF8") or data[:2] == b"BM":
        return read_image(data)
    text = _decode_text(data)
    if text is not None:
        return ReadResult(text, "tekst", 0.0)
    raise OcrError("Dit soort bestand kunnen we niet lezen. Kies een foto (JPG of PNG), een PDF of een tekstbestand.")
