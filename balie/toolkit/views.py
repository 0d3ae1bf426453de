"""/hulpmiddelen/: the staff toolkit's landing page. Each tool adds itself to TOOLS."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from balie.core.access import Cap, requires


@dataclass(frozen=True)
class Tool:
    url_name: str
    title: str | Promise
    description: str | Promise


# Append new tools here (url name within the "toolkit" namespace, title, one sentence for staff).
TOOLS: list[Tool] = [
    Tool("message", _("Is dit bericht echt?"), _("Plak een e-mail, sms, WhatsApp-bericht of link en zie waarom het echt of nep lijkt.")),
    Tool("letter", _("Wat staat er in deze brief?"), _("Maak een foto of plak de tekst: afzender, datum, termijnen, bedragen en moeilijke woorden, "
                                                   "met een samenvatting om mee te geven.")),
    Tool("kb", _("Kennisbank"), _("Korte handleidingen stap voor stap, om te zoeken en af te drukken.")),
    Tool("message_public", _("Berichtcheck voor bezoekers"), _("Dezelfde check in eenvoudige taal, zonder inloggen. Handig op een publieke computer of "
                                                          "om de link te delen.")),
]


@requires(Cap.REGISTER)
def index(request: HttpRequest) -> HttpResponse:
    tools = [{"url": reverse(f"toolkit:{t.url_name}"), "title": t.title, "description": t.description} for t in TOOLS]
    return render(request, "toolkit/index.html", {"tools": tools})
