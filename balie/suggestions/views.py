"""The desk's live suggestions: an HTMX fragment with the top-3 instantie and onderwerp for a note."""

from __future__ import annotations

import re
import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from balie.core.access import Cap, requires
from balie.desk.views import short_label
from balie.knowledge import selectors as knowledge

from . import selectors

_NOTE_FIELD = re.compile(r"^q-(\d{1,2})-notitie$")
# Below this a code is only there as a tie breaker; offering it would be noise at the desk.
MIN_SHOWN = 0.01


@requires(Cap.REGISTER)
@require_POST
def suggestions(request: HttpRequest) -> HttpResponse:
    """POST (never GET: a note is not yet redacted and must not end up in access logs or history)."""
    index, note = 0, ""
    for key, value in request.POST.items():
        found = _NOTE_FIELD.match(key)
        if found:
            index, note = int(found.group(1)), value.strip()
            break
    context: dict = {"i": index, "suggestion": None}
    if len(note) >= 3:
        started = time.perf_counter()
        result = selectors.suggest(note, organisation_id=request.user.organisation_id, typing=True)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if result.has_evidence:
            labels = knowledge.code_labels()
            instanties = [{"code": r.code, "label": short_label(labels["instantie"].get(r.code, r.code))}
                          for r in result.instantie if r.score >= MIN_SHOWN]
            onderwerpen = [{"code": r.code, "label": short_label(labels["onderwerp"].get(r.code, r.code))}
                           for r in result.onderwerp if r.score >= MIN_SHOWN]
            best = {"instantie": instanties[0], "onderwerp": onderwerpen[0]} if instanties and onderwerpen else None
            context.update({
                "suggestion": result,
                "instanties": instanties,
                "onderwerpen": onderwerpen,
                "best": best,
                "guides": knowledge.for_topic(request.user, best["instantie"]["code"], best["onderwerp"]["code"]) if best else [],
            })
        response = render(request, "suggestions/_suggestions.html", context)
        response["Server-Timing"] = f"suggest;dur={elapsed_ms:.2f}"
        return response
    return render(request, "suggestions/_suggestions.html", context)
