"""The letter explainer page for staff: upload a photo, scan or PDF, or paste the text.

Privacy by construction: the upload is read into memory by MemoryOnlyUploadHandler (Django's default handlers spool
files over 2.5 MB to a temporary file on disk), anything over 10 MB is refused before it is processed, OCR runs through
pipes, and the result is rendered once with Cache-Control: no-store. Only the fact of use and the kind of action go to
the audit log.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from balie.core import audit
from balie.core.access import Cap, requires
from balie.core.audit import Event
from balie.messagecheck.domains import trusted_register

from .explain import MAX_CHARS, LetterInputError, explain_letter
from .ocr import MAX_UPLOAD_BYTES, OcrError, TooLarge, read_upload, unavailable_reason

TOO_LARGE = _("Dit bestand is groter dan 10 MB. Maak een kleinere foto (of stuur de foto in 'normale' grootte) en probeer het opnieuw.")
# ocr.unavailable_reason's sentences (ocr.py runs without Django too), marked here so the page can show them translated.
OCR_REASONS = (gettext_noop("Tesseract is niet geïnstalleerd (Debian-pakket tesseract-ocr)."), gettext_noop("Tesseract start niet."),
               gettext_noop("Het Nederlandse taalmodel van Tesseract ontbreekt (Debian-pakket tesseract-ocr-nld)."))
# The refusals of ocr.py and explain.py (both run without Django too), for the staff member's page.
INPUT_ERRORS = (
    gettext_noop("Foto's en scans lezen kan op deze computer niet: %(reason)s Plak de tekst van de brief."),
    gettext_noop("Deze PDF heeft een pagina van %(cm)s: veel groter dan een brief. Maak een foto van de brief of plak de tekst."),
    gettext_noop("Deze brief is niet in het Nederlands geschreven. Balie kan alleen Nederlandse brieven uitleggen."),
    gettext_noop("Er is geen tekst. Plak de tekst van de brief, of kies een foto, scan of PDF."),
    gettext_noop("Deze tekst is te lang voor één brief. Plak of kies één brief tegelijk."),
    gettext_noop("Het lezen van deze foto duurde te lang. Probeer een scherpere foto of plak de tekst."),
    gettext_noop("De tekstherkenning kon deze afbeelding niet lezen. Probeer een andere foto of plak de tekst."),
    gettext_noop("Dit bestand kunnen we niet openen. Kies een foto (JPG of PNG), een PDF of een tekstbestand."),
    gettext_noop("Deze afbeelding is beschadigd of niet compleet. Maak een nieuwe foto."),
    gettext_noop("Deze PDF is beveiligd met een wachtwoord. Open hem zelf en plak de tekst, of maak een foto van de brief."),
    gettext_noop("Deze PDF is beschadigd of geen echte PDF. Probeer een foto van de brief of plak de tekst."),
    gettext_noop("Deze PDF is te groot of te ingewikkeld om hier te lezen. Maak een foto van de brief of plak de tekst."),
    gettext_noop("Deze afbeelding is te groot (te veel pixels). Maak een foto met een gewone telefooncamera."),
)
SUMMARY_TERMS = 6
# Room for the form fields and multipart headers around a file of exactly the limit.
BODY_SLACK = 256 * 1024


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory, never on disk, and stops reading once it passes the limit."""

    def __init__(self, request: HttpRequest | None = None, limit: int = MAX_UPLOAD_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self._buffer: io.BytesIO | None = None
        self._size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._buffer, self._size = io.BytesIO(), 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > self.limit:
            self.too_large, self._buffer = True, None
            # Django discards the rest of the body; fields before the file (the CSRF token) are kept.
            raise StopUpload(connection_reset=False)
        assert self._buffer is not None
        self._buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self._buffer is None:
            return None
        self._buffer.seek(0)
        return InMemoryUploadedFile(self._buffer, self.field_name, self.file_name, self.content_type, file_size, self.charset,
                                    self.content_type_extra)


def _form(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("text", "")
    return render(request, "letters/letter.html", {"ocr_missing": gettext(reason) if (reason := unavailable_reason()) else "", "max_chars": MAX_CHARS, **context},
                  status=status)


@never_cache
@csrf_exempt  # CSRF is checked in _explain: upload handlers must be set before anything reads request.POST
@requires(Cap.REGISTER)
def explain(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Refuse an oversized body before reading it. Nothing changes state here, so no CSRF check is needed yet.
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + BODY_SLACK:
            return _form(request, status=413, error=TOO_LARGE)
        handler = MemoryOnlyUploadHandler(request)
        request.upload_handlers = [handler]
        return _explain(request, handler)
    return _form(request)


@csrf_protect
def _explain(request: HttpRequest, handler: MemoryOnlyUploadHandler) -> HttpResponse:
    text = request.POST.get("tekst", "")
    if handler.too_large:
        return _form(request, status=413, error=TOO_LARGE, text=text)
    upload = request.FILES.get("bestand")
    source = "tekst"
    sure: dict[str, float] | None = None
    try:
        if upload is not None:
            read = read_upload(upload.read())
            text, source, sure = read.text, read.source, read.picture_confidence
        result = explain_letter(text, trusted_register(), sure)
    except (OcrError, LetterInputError) as exc:
        # Over a budget (size, pixels, page size, parsing or rendering work): 413; a file we cannot read: 400.
        status = 413 if isinstance(exc, TooLarge) else 400
        # A message with a value in it (a page size, why OCR is missing) is translated as a pattern, the value after.
        if isinstance(exc, OcrError) and exc.values:
            message = gettext(exc.message) % {name: gettext(value) for name, value in exc.values.items()}
        else:
            message = gettext(str(exc))
        return _form(request, status=status, error=message, text="" if upload is not None else text)
    finally:
        if upload is not None:
            upload.close()
    audit.log(Event.LETTER_EXPLAINED, user=request.user, action=result.action, source=source)
    today = timezone.localdate()
    deadlines = [{"deadline": d, "days_left": (d.date - today).days} for d in result.deadlines]
    # The printed page has room for about six explanations; organisation abbreviations (UWV, CJIB) the visitor knows.
    summary_terms = [t for t in result.terms if not t.term.isupper()][:SUMMARY_TERMS]
    return _form(request, result=result, source=source, deadlines=deadlines, summary_terms=summary_terms,
                 text=text if upload is None else "")
