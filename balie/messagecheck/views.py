"""Message check pages: one for staff (inside Balie), one for visitors (no login, B1, no navigation).

The pasted text lives only in this request: it is posted (never in a URL, so never in access logs), checked in
memory, shown back once with Cache-Control: no-store, and never stored or logged. The audit log records that a check
happened and its verdict.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from balie.core import audit
from balie.core.access import Cap, requires
from balie.core.audit import Event
from balie.core.language import public_language
from balie.core.ratelimit import limit

from .check import FRAUDEHELPDESK, MAX_CHARS, MessageInputError, MessageTooLong, check_message
from .domains import trusted_register

VERDICT_TEXT = {
    "nep": (_("Nep"), _("Dit bericht is hoogstwaarschijnlijk nep.")),
    "twijfel": (_("Twijfel"), _("We weten het niet zeker. Wees voorzichtig.")),
    "betrouwbaar": (_("Betrouwbaar"), _("We vonden geen kenmerken van nep.")),
}


def _handle(request: HttpRequest, template: str, *, public: bool) -> HttpResponse:
    context: dict[str, object] = {"max_chars": MAX_CHARS, "fraudehelpdesk": FRAUDEHELPDESK, "text": ""}
    status = 200
    if request.method == "POST":
        text = request.POST.get("tekst", "")
        context["text"] = text
        try:
            result = check_message(text, trusted_register())
        except MessageInputError as exc:
            context["error"] = str(exc)
            status = 413 if isinstance(exc, MessageTooLong) else 400
        else:
            label, summary = VERDICT_TEXT[result.verdict]
            context.update(result=result, verdict_label=label, verdict_summary=summary)
            audit.log(Event.MESSAGE_CHECKED, user=request.user, verdict=result.verdict, public=public)
    return render(request, template, context, status=status)


@never_cache
@requires(Cap.REGISTER)
def check(request: HttpRequest) -> HttpResponse:
    return _handle(request, "messagecheck/message.html", public=False)


@never_cache
@public_language  # B1 Dutch, or English with ?lang=en (review 2026-12, B13)
@limit("messagecheck")  # anyone can post: checks cost CPU, so a per-address limit (review M10)
def public_check(request: HttpRequest) -> HttpResponse:
    return _handle(request, "messagecheck/message_public.html", public=True)
