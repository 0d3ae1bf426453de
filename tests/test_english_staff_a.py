"""Issue 14 item 4, "English for staff too" (part A): a staff user who chose English sees no Dutch interface.

Every GET page of the desk, registration, insight, start, core, accounts, network, forecast and survey apps that
answers 200 with HTML for an actor (tests/access_table.py) is fetched as that actor with User.language = "en", in the
fixture world of the access matrix plus varied registrations. Its *visible* text must hold none of a list of common
Dutch interface words. Data stays as it was entered (names of locations and organisations, local codes, free text);
the words below were picked so that the fixture data does not contain them.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from access_table import EXPECTED, KWARGS  # tests/ is on sys.path (conftest.py lives there)
from access_walk import all_patterns, is_admin, path_for
from access_world import rolled_back_world
from django.db import transaction
from django.test import Client
from languages import speak
from test_no_raw_codes import _varied_registrations, visible_text

# Pages of this part of the work (URL name prefixes; "home" and "overview" are the start app's).
AREA = ("desk:", "insight:", "core:", "accounts:", "network:", "forecast:", "survey:", "home", "overview")
ACTORS = ("medewerker", "coordinator", "gemeente", "landelijk", "partner")

# Common Dutch interface words and function words, matched as whole words (case-sensitive where the word is a
# capitalised button or heading, so "Van" in a name is not caught by "van de").
DUTCH_WORDS = (
    "Opslaan", "Vandaag", "Terug", "Locatie", "Locaties", "Vragen", "Vraag", "Uitkomst", "Onderwerp", "Instantie",
    "Bezoeken", "Bezoek", "Medewerker", "Medewerkers", "Totaal", "Aantal", "Datum", "Periode", "Wijzigen",
    "Verwijderen", "Toevoegen", "Annuleren", "Zoeken", "Bewaren", "Openingstijden", "Gesloten", "Maandag", "Dinsdag",
    "Woensdag", "Donderdag", "Vrijdag", "Zaterdag", "Zondag", "Wachtwoord", "Inloggen", "Uitloggen", "Overzicht",
    "Inzicht", "Registraties", "Registreren", "Downloaden", "Gemiddeld", "Tijdvak", "Week", "Maand", "Jaar",
    "geen", "niet", "van de", "van het", "voor de", "met de", "naar de", "wordt", "worden", "zijn", "hebben",
    "kunt", "uw", "deze", "alle", "nog", "ook", "wel", "bij", "tot", "Geen", "Niet", "Nog", "Alle",
)
PATTERNS = {word: re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])") for word in DUTCH_WORDS}


def dutch_in(text: str) -> list[str]:
    hits = []
    for word, pattern in PATTERNS.items():
        m = pattern.search(text)
        if m:
            hits.append(f"{word!r} in …{text[max(0, m.start() - 50):m.end() + 50]}…")
    return hits


@pytest.fixture(scope="module")
def english_world(django_db_setup, django_db_blocker):
    with rolled_back_world(django_db_blocker, language="en", prepare=lambda w: _varied_registrations(w, random.Random(1414))) as built:
        yield built


def _pages(world: Any, actor: str) -> list[tuple[str, str]]:
    pages = []
    for pattern in all_patterns():
        if is_admin(pattern) or not pattern.key.startswith(AREA) or EXPECTED.get(pattern.key, {}).get(actor) != 200:
            continue
        if set(pattern.kwargs) - set(KWARGS.get(pattern.key, {})):
            continue
        pages.append((pattern.key, path_for(pattern, world, "own")))
    return pages


# Blocks other apps put on these pages (their English is part B of issue 14 item 4), cut out before the check.
FOREIGN_BLOCKS = {
    "desk:today": re.compile(r'<section[^>]*aria-labelledby="aangemeld-titel".*?</section>', re.S),  # announcements
    # A signal in the report: its title and description are typed by people, its status is the signals app's.
    "insight:report": re.compile(r'<div class="signal">.*?</div>', re.S),
}
# The survey poster is for visitors, in the language chosen for it (tests/test_english_staff_d.py); only its staff toolbar
# is checked here.
POSTER_TOOLS = re.compile(r'<nav class="no-print poster-tools.*?</nav>', re.S)


def data_labels(key: str) -> list[str]:
    """Labels that are data, not interface: code-list labels without an English label of their own (the national list
    gives some the same text in both languages), local codes and course titles typed by coordinators, and on the
    code-list editor the Dutch labels themselves (what the national role edits). Longest first, so a label is cut out
    whole, and in the shortened form of a chart too. What the insight pages show depends on the date: the world is made
    today, and once the month has ended (past midnight at a month end) its course referral and a code shortened in a
    bar chart fell in the period shown."""
    from balie.core.models import Code
    from balie.courses.models import Course
    from balie.network.models import LocalCode

    labels = {label for label, en in Code.objects.values_list("label", "label_en") if not en or en == label}
    if key.startswith("core:codelist"):
        labels |= set(Code.objects.values_list("label", flat=True))
    labels |= set(LocalCode.objects.values_list("label", flat=True))
    labels |= set(Course.objects.values_list("title", flat=True))
    labels |= {label[:35] + "…" for label in labels if len(label) > 36}  # as a bar chart shortens a label (insight/charts.py)
    return sorted(labels, key=len, reverse=True)


def checked_text(key: str, html: str) -> str:
    if key in FOREIGN_BLOCKS:
        html = FOREIGN_BLOCKS[key].sub("", html)
    if key == "survey:poster":
        html = " ".join(POSTER_TOOLS.findall(html))
    html = re.sub(r"(<textarea[^>]*>).*?(</textarea>)", r"\1\2", html, flags=re.S)  # what was typed is data
    text = visible_text(html)
    for label in data_labels(key):
        text = text.replace(label, " ")
    return text


def _get(client: Client, path: str) -> Any:
    savepoint = transaction.savepoint()
    try:
        return client.get(path)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_of_part_a_speaks_english_to_a_staff_user_who_chose_english(english_world, db, actor):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(english_world.users[actor])
    problems, seen = [], 0
    for key, path in _pages(english_world, actor) + [("errors:404", "/bestaat-niet/")]:
        response = _get(client, path)
        assert response.status_code < 500, f"{key} {path}: {response.status_code}"
        if "text/html" not in response.get("Content-Type", "") or response.status_code not in (200, 404):
            continue
        seen += 1
        html = response.content.decode()
        if key != "survey:poster":
            assert '<html lang="en"' in html, f"{key} {path} is not in English"
        hits = dutch_in(checked_text(key, html))
        if hits:
            problems.append(f"{key} {path}: {hits[:4]}")
    assert seen >= 2, f"{actor}: no HTML page was fetched"
    assert problems == [], f"{actor} sees Dutch on {len(problems)} pages:\n" + "\n".join(problems)


def test_the_detector_finds_dutch_words_and_ignores_attributes():
    html = '<p title="Opslaan">Save</p><button>Opslaan</button><p>Er zijn geen vragen</p><p>Van der Berg</p>'
    hits = dutch_in(visible_text(html))
    assert any(h.startswith("'Opslaan'") for h in hits) and any(h.startswith("'geen'") for h in hits)
    assert dutch_in(visible_text('<p title="Opslaan">Save</p><p>Van der Berg, Centrale Bibliotheek</p>')) == []


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split())


ENGLISH_HEADINGS = ("Accountability report Digital Government Information Point", "Summary", "The five functions of the IDO",
                    "a. Help with digital contact with service providers", "Questions per month", "e. Referral",
                    "Who came, and what did they need?", "Where was help given?", "What visitors say", "About these figures")
DUTCH_HEADINGS = ("Verantwoording Informatiepunt Digitale Overheid", "Samenvatting", "De vijf functies van het IDO",
                  "Vragen per maand", "Wie kwamen er", "Waar werd geholpen?", "Over deze cijfers")


def test_the_accountability_report_pdf_has_english_headings_for_an_english_user(network, users, client_for, settings):
    settings.BALIE_PII_NAMES = False  # as in test_insight_report: the generated notes need no name check here
    from test_insight_report import ENDED, make_data

    make_data(5, n=300)
    coordinator = users["coordinator"]
    _speak(coordinator, "nl")  # explicit: this module's crawl world (still open) gave every account English
    key = str(ENDED.year)
    dutch = _pdf_text(client_for("coordinator").get(f"/inzicht/verantwoording/GM0599/{key}.pdf").content)
    assert all(h in dutch for h in DUTCH_HEADINGS), "the Dutch report is the baseline"
    _speak(coordinator, "en")
    response = client_for("coordinator").get(f"/inzicht/verantwoording/GM0599/{key}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert [h for h in ENGLISH_HEADINGS if h not in text] == []
    assert [h for h in DUTCH_HEADINGS if h in text] == []
    assert "Municipality Rotterdam" in text and "page 1 of" in text.lower()
    # The browser view of the same report, and the CSV export: English headings, codes never shown raw.
    html = client_for("coordinator").get(f"/inzicht/verantwoording/GM0599/{key}.html").content.decode()
    assert '<html lang="en"' in html and dutch_in(checked_text("insight:report", html)) == []
    csv_text = client_for("coordinator").get(f"/inzicht/verantwoording/GM0599/{key}.csv").content.decode("utf-8-sig")
    assert "Key figures" in csv_text and "Accountability report Rotterdam" in csv_text and "Kerncijfers" not in csv_text


_speak = speak


def test_the_import_help_names_the_label_of_every_code_in_its_example(network, users, client_for):
    _speak(users["coordinator"], "nl")
    client = client_for("coordinator")
    dutch = visible_text(client.get("/balie/importeren/").content.decode())
    assert "WEGWIJS|STEUN" in dutch and "„Wegwijs in de digitale wereld” en „Mentale steun”" in dutch
    _speak(users["coordinator"], "en")
    english = visible_text(client_for("coordinator").get("/balie/importeren/").content.decode())
    assert "WEGWIJS|STEUN" in english and "“Finding one's way” and “Mental support”" in english
    assert dutch_in(english) == []


def test_insight_pages_with_filters_show_labels_not_codes_in_both_languages(network, users, client_for, settings):
    from test_insight_report import ENDED, make_data
    from test_no_raw_codes import findings_in, raw_codes

    settings.BALIE_PII_NAMES = False
    make_data(7, n=300)
    codes = raw_codes()
    query = "?uitkomst=DEELS&kanaal=INLOOP&instantie=TOESLAGEN&complexiteit=2"
    for language in ("nl", "en"):
        for actor in ("coordinator", "gemeente", "landelijk"):
            _speak(users[actor], language)
            client = client_for(actor)
            for path in (f"/inzicht/{query}", "/inzicht/verantwoording/?gemeente=GM0599",
                         f"/inzicht/verantwoording/GM0599/{ENDED.year}.html", "/inzicht/open-data/"):
                response = client.get(path)
                assert response.status_code == 200, (actor, path, response.status_code)
                assert findings_in(visible_text(response.content.decode()), codes) == [], (language, actor, path)
