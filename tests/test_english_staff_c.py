"""Issue 14 item 4, part C: staff who chose English get the signals, letters, knowledge base, message check,
suggestions, toolkit and federation pages in English, the signal report PDF in English, and a recipient organisation
whose account chose English gets the signal e-mail in English.

Every GET page of these apps (every URL pattern of their namespaces, filled with real objects of the access matrix's
fixture world) is fetched as each staff actor that may open it, with the actor's language set to English. The page's
visible text, after taking out what is data (code-list labels, names, guide texts, signal descriptions: Dutch content
that stays Dutch), must hold none of a small list of common Dutch interface words.
"""

from __future__ import annotations

import re

import pytest
from access_table import EXPECTED  # tests/ is on sys.path (conftest.py lives there)
from access_walk import all_patterns, is_admin, path_for
from access_world import rolled_back_world
from django.core import mail
from django.db import transaction
from django.test import Client
from test_no_raw_codes import visible_text

PREFIXES = ("signals:", "toolkit:", "federation:")
# A visitors' page keeps the visitor's own choice (?lang=, cookie), whoever is signed in: tested on its own below.
VISITOR_PAGES = {"toolkit:message_public"}
ACTORS = ("coordinator", "landelijk", "partner", "medewerker", "gemeente")
# Common Dutch interface words, whole words, case-insensitive.
DUTCH = ("Opslaan", "Terug", "Signaal", "Signalen", "Ontvanger", "Ontvangers", "geen", "niet", "van de", "Bevestigen",
         "Toelichting", "Wijzigen", "Hulpmiddelen", "Kennisbank", "Zoeken", "Afdrukken", "handleiding", "Uitslag",
         "Knooppunten", "wat", "voor", "naar", "Instanties", "Onderwerp", "Geschiedenis", "Reageren", "Versturen", "Tekst")
DUTCH_WORD = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in DUTCH) + r")(?!\w)", re.IGNORECASE)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back_world(django_db_blocker, language="en") as built:
        yield built


def _data_strings() -> list[str]:
    """Dutch content that is data, not interface: it stays in its own language for everyone."""
    from django.contrib.auth import get_user_model

    from balie.core.models import Code
    from balie.knowledge.markup import render
    from balie.knowledge.models import Guide
    from balie.network.models import Gemeente, LocalCode, Location, Organisation
    from balie.partners.models import Partner
    from balie.signals.models import Signal

    found: set[str] = set(Code.objects.values_list("label", flat=True))
    found |= set(LocalCode.objects.values_list("label", flat=True))
    found |= set(Organisation.objects.values_list("naam", flat=True)) | set(Location.objects.values_list("naam", flat=True))
    found |= set(Gemeente.objects.values_list("naam", flat=True)) | set(Partner.objects.values_list("name", flat=True))
    found |= set(Partner.objects.values_list("email", flat=True)) | set(Partner.objects.values_list("signal_email", flat=True))
    for guide in Guide.objects.all():
        found |= {guide.title, guide.summary, visible_text(str(render(guide.body)))}
    for signal in Signal.objects.all():
        found |= {signal.description, signal.impact}
    for user in get_user_model().objects.all():
        found |= {user.get_full_name(), user.username}
    return sorted((s for s in found if s and len(s) > 2), key=len, reverse=True)


def dutch_words(text: str, data: list[str]) -> list[str]:
    for item in data:
        text = text.replace(item, " ")
    return [m.group(0) for m in DUTCH_WORD.finditer(text)]


def _pages(world, actor: str) -> list[tuple[str, str]]:
    pages = []
    for pattern in all_patterns():
        if is_admin(pattern) or not pattern.key.startswith(PREFIXES) or pattern.key in VISITOR_PAGES or EXPECTED.get(pattern.key, {}).get(actor) != 200:
            continue
        pages.append((pattern.key, path_for(pattern, world, "own")))
    return pages


def _client(world, actor: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")  # a Dutch browser: the account's choice wins
    client.force_login(world.users[actor])
    return client


@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_of_these_apps_speaks_english_to_an_english_staff_user(world, db, actor):
    data = _data_strings()
    client = _client(world, actor)
    problems, seen = [], 0
    pages = _pages(world, actor)
    if actor == "coordinator":
        signal = world.own["signal"]
        pages.append(("signals:report (html)", f"/signalen/{signal.uuid}/rapport/?formaat=html"))
    for key, path in pages:
        savepoint = transaction.savepoint()
        try:
            response = client.get(path)
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        html = response.content.decode()
        hits = dutch_words(visible_text(html), data)
        if hits or '<html lang="en"' not in html and key != "signals:report (html)":
            problems.append(f"{key} {path}: {sorted(set(hits))[:12]}")
    assert seen >= 1, f"{actor}: no page crawled"
    assert problems == [], f"{actor} sees Dutch on {len(problems)} of {seen} pages:\n" + "\n".join(problems)


def test_it_finds_dutch_words_and_leaves_data_alone():
    data = ["Dienst Toeslagen", "Geen instantie"]
    assert dutch_words("Save · Dienst Toeslagen · Geen instantie", data) == []
    assert dutch_words("Opslaan · niet gevonden · signaalrapport", data) == ["Opslaan", "niet"]


def test_the_public_message_check_stays_dutch_by_default(world, db):
    """The visitors' page keeps its own choice (?lang=, cookie), whatever the staff user chose."""
    html = Client().get("/hulpmiddelen/is-dit-echt/").content.decode()
    assert "Is dit bericht echt?" in html


def test_the_signal_pdf_has_english_headings_for_an_english_user(world, db):
    signal = world.own["signal"]
    client = _client(world, "coordinator")
    response = client.get(f"/signalen/{signal.uuid}/rapport/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Signal report" in text and "What do we see?" in text and "Signaalrapport" not in text, text[:400]
    dutch = _client(world, "coordinator")
    world.users["coordinator"].language = "nl"
    world.users["coordinator"].save(update_fields=["language"])
    try:
        text_nl = _pdf_text(dutch.get(f"/signalen/{signal.uuid}/rapport/").content)
    finally:
        world.users["coordinator"].language = "en"
        world.users["coordinator"].save(update_fields=["language"])
    assert "Signaalrapport" in text_nl and "Wat zien we?" in text_nl


def _pdf_text(content: bytes) -> str:
    import io

    import pypdf

    return " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_an_english_recipient_gets_the_signal_email_in_english_and_a_dutch_one_in_dutch(world, db, settings):
    from balie.partners.models import PartnerUser
    from balie.signals import services
    from balie.signals.models import Signal, SignalStatusChange, Status

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    source = world.own["signal"]
    partner = world.own["partner"]
    assert PartnerUser.objects.filter(partner=partner, user__language="en").exists()

    def fresh() -> Signal:
        signal = Signal.objects.create(
            scope_kind=source.scope_kind, scope_key=source.scope_key, organisation=source.organisation, instantie=source.instantie,
            start_week=source.start_week, end_week=source.end_week, observed=40, expected=12.0, effect=2.3, q_value=0.001,
            status=Status.BEVESTIGD, description="Betalingsregeling aanvragen lukt niet.", impact="Bezoekers lopen achter.")
        SignalStatusChange.objects.create(signal=signal, from_status="", to_status=Status.BEVESTIGD)
        return signal

    # The coordinator works in Dutch; the recipient's account chose English.
    from django.utils import translation

    with translation.override("nl"):
        message = services.send_report(fresh(), by=world.users["coordinator"], recipient=partner, include_examples=False,
                                       base_url="https://balie.example")
    assert message.subject.startswith("Signal from the Digital Government Information Point"), message.subject
    assert "Dear reader" in message.body and "Beste lezer" not in message.body
    assert "Kind regards" in message.body and "30 days" in message.body
    pdf = _pdf_text(message.attachments[0][1])
    assert "Signal report" in pdf and "Signaalrapport" not in pdf
    # A recipient without an English account: Dutch, also when the coordinator works in English.
    PartnerUser.objects.filter(partner=partner).update(partner=world.other["partner"])
    try:
        with translation.override("en"):
            message = services.send_report(fresh(), by=world.users["coordinator"], recipient=partner, include_examples=False,
                                           base_url="https://balie.example")
    finally:
        PartnerUser.objects.filter(partner=world.other["partner"], user=world.users["partner"]).update(partner=partner)
    assert message.subject.startswith("Signaal van het Informatiepunt Digitale Overheid"), message.subject
    assert "Beste lezer" in message.body
    assert "Signaalrapport" in _pdf_text(message.attachments[0][1])
    assert mail.outbox is not None


def test_signal_pages_name_organisations_topics_and_municipalities_never_codes(world, db):
    """Issue 14 item 1 on the signal pages: a municipality's and a national signal (with the library signals merged into
    it) show the instantie and onderwerp labels and the municipality's name, never GM0599, BELASTINGDIENST or BETALEN."""
    from balie.core import codelists
    from balie.network.models import Gemeente
    from balie.signals.models import ScopeKind, Signal, SignalStatusChange, Status

    source = world.own["signal"]
    gemeente = Gemeente.objects.get(cbs_code="GM0599")
    common = {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "start_week": source.start_week, "end_week": source.end_week,
              "observed": 40, "expected": 12.0, "effect": 2.3, "q_value": 0.001}
    local = Signal.objects.create(scope_kind=ScopeKind.GEMEENTE, scope_key="gemeente:GM0599", gemeente=gemeente, **common)
    national = Signal.objects.create(scope_kind=ScopeKind.LANDELIJK, scope_key="landelijk", **common)
    child = Signal.objects.create(scope_kind=ScopeKind.ORGANISATIE, scope_key=f"organisatie:{source.organisation.code}",
                                  organisation=source.organisation, parent=national, **common)
    for signal in (local, national, child):
        SignalStatusChange.objects.create(signal=signal, from_status="", to_status=Status.NIEUW, note="Gevonden door de detectie.")
    version = codelists.current_version()
    instantie = codelists.codes(version, "instantie")["BELASTINGDIENST"]
    onderwerp = codelists.codes(version, "onderwerp")["BETALEN"]
    for actor, signal in (("gemeente", local), ("landelijk", national)):
        client = _client(world, actor)
        for path in ("/signalen/", f"/signalen/{signal.uuid}/"):
            text = visible_text(client.get(path).content.decode())
            assert instantie in text and onderwerp.lower() in text and "more questions than expected" in text, (actor, path, text[:300])
            for code in ("GM0599", "BELASTINGDIENST", "BETALEN", "organisatie:", "gemeente:"):
                assert code not in text, (actor, path, code)
        detail = visible_text(client.get(f"/signalen/{signal.uuid}/").content.decode())
        if actor == "gemeente":
            assert gemeente.naam in detail and "Municipality" in detail and "(Found by the detection.)" in detail
        else:
            assert "Merged from" in detail and source.organisation.naam in detail and "National" in detail
