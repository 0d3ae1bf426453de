"""The knowledge base: national and local guides, Dutch search on SQLite and PostgreSQL, scoping, handouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from balie.core.models import AuditEvent
from balie.knowledge import selectors, services
from balie.knowledge.markup import parse_file, render
from balie.knowledge.models import Guide
from balie.knowledge.search import search

pytestmark = pytest.mark.django_db

KB = "/hulpmiddelen/kennisbank/"
ROOT = Path(__file__).resolve().parents[1]
LOCAL_BODY = "## Zo doet u het\n1. Ga naar de balie van de Centrale Bibliotheek.\n2. Neem uw Rotterdampas mee.\n"


@pytest.fixture
def local_guide(users):
    """A Rotterdam guide nobody else has: the outsider must not see it."""
    return services.guide_create(user=users["coordinator"], data=services.GuideData(
        "Rotterdampas verlengen", "Zo verlengt u uw Rotterdampas online.", LOCAL_BODY, ["GEMEENTE"], ["AANVRAGEN"], "stadspas kortingspas"))


def guide_form(**overrides):
    data = {"title": "Ooievaarspas aanvragen", "summary": "Korting voor inwoners met een laag inkomen.",
            "body": "## Zo doet u het\n1. Ga naar de website van de gemeente.\n2. Log in met DigiD.\n",
            "instanties": ["GEMEENTE"], "onderwerpen": ["AANVRAGEN"], "keywords": "ooievaarspas"}
    data.update(overrides)
    return data


# --- the shipped national guides ------------------------------------------------------------
def test_it_ships_at_least_twelve_national_guides_that_pass_the_same_checks_as_local_ones():
    files = services.shipped_guides()
    assert len(files) >= 12
    for item in files:
        errors = services.validate(services.GuideData(item.title, item.summary, item.body, item.instanties, item.onderwerpen, item.keywords))
        assert errors == {}, (item.slug, errors)


def test_it_loads_the_national_guides_in_the_data_migration():
    national = Guide.objects.filter(organisation__isnull=True)
    assert national.count() == len(services.shipped_guides())
    guide = national.get(slug="iemand-machtigen")
    assert guide.title == "Iemand machtigen" and "MACHTIGEN" in guide.onderwerp_list


def test_it_reloads_the_national_guides_without_duplicates():
    before = Guide.objects.count()
    services.load_national_guides()
    assert Guide.objects.count() == before


def test_it_explains_a_broken_front_matter(tmp_path: Path):
    broken = tmp_path / "kapot.md"
    broken.write_text("---\ntitel: Zonder codes\n---\n1. Stap\n", encoding="utf-8")
    with pytest.raises(ValueError, match="front matter mist instanties, onderwerpen, samenvatting"):
        parse_file(broken)
    broken.write_text("Gewoon tekst\n", encoding="utf-8")
    with pytest.raises(ValueError, match="begint niet met front matter"):
        parse_file(broken)


# --- the text format ------------------------------------------------------------------------
def test_it_numbers_steps_and_escapes_everything_else():
    html = render("## Zo doet u het\n1. Open **MijnOverheid**.\n2. Klik <script>alert(1)</script>\n\n- Tip: bewaar de brief\nGewone zin.")
    assert html.split("\n") == [
        "<h2>Zo doet u het</h2>",
        '<ol class="guide-steps">', "<li>Open <strong>MijnOverheid</strong>.</li>", "<li>Klik &lt;script&gt;alert(1)&lt;/script&gt;</li>", "</ol>",
        '<ul class="guide-list">', "<li>Tip: bewaar de brief</li>", "</ul>",
        "<p>Gewone zin.</p>",
    ]


# --- search: the same answers on SQLite and PostgreSQL ------------------------------------------
@pytest.mark.parametrize("query, first", [
    ("machtigingen", "iemand-machtigen"),         # another form of the word in the title
    ("machtigen", "iemand-machtigen"),
    ("huurtoeslag aanvragen", "toeslag-aanvragen"),
    ("toeslag wijziging", "toeslag-wijzigen"),
    ("wachtwoord vergeten", "digid-wachtwoord-vergeten"),
    ("berichten lezen", "berichtenbox-lezen"),
    ("verhuizen", "verhuizing-doorgeven"),
    ("phishing", "nepbericht-herkennen"),
    ("verkeersboete", "cjib-boete-betalen"),
    ("AOW", "aow-aanvragen"),
    ("declareren", "zorgkosten-declareren"),
])
def test_it_finds_guides_with_dutch_stemming(query, first):
    found = [g.slug for g in search(Guide.objects.filter(organisation__isnull=True), query)]
    assert found and found[0] == first, found


def test_it_needs_every_word_and_honours_or_and_minus():
    national = Guide.objects.filter(organisation__isnull=True)
    assert [g.slug for g in search(national, "toeslag aangifte")] == []
    assert {"aangifte-inkomstenbelasting", "cjib-boete-betalen"} <= {g.slug for g in search(national, "aangifte or verkeersboete")}
    with_app = {g.slug for g in search(national, "digid")}
    without_app = {g.slug for g in search(national, "digid -app")}
    assert "digid-app-activeren" in with_app and "digid-app-activeren" not in without_app


def test_it_finds_nothing_for_only_common_words():
    assert search(Guide.objects.all(), "de het een") == []


# --- pages and who sees what ---------------------------------------------------------------------
@pytest.mark.parametrize("username, status", [
    ("medewerker", 200), ("collega", 200), ("coordinator", 200), ("medewerker-gouda", 200), ("gemeente", 403), ("partner", 403),
])
def test_it_opens_the_knowledge_base_to_library_staff_only(client_for, username, status):
    assert client_for(username).get(KB).status_code == status
    assert client_for(username).get(f"{KB}iemand-machtigen/").status_code == status


@pytest.mark.parametrize("username, status", [
    ("medewerker", 200), ("collega", 200), ("coordinator", 200), ("medewerker-gouda", 404), ("coordinator-gouda", 404), ("gemeente", 403),
])
def test_it_shows_a_local_guide_only_inside_its_organisation(client_for, local_guide, username, status):
    assert client_for(username).get(f"{KB}{local_guide.slug}/").status_code == status
    listing = client_for(username).get(f"{KB}?q=Rotterdampas")
    if status == 200:
        assert "Rotterdampas verlengen" in listing.content.decode()
    elif listing.status_code == 200:
        assert "Rotterdampas verlengen" not in listing.content.decode()


def test_it_searches_and_filters_from_the_list_page(client_for):
    client = client_for("medewerker")
    html = client.get(KB, {"q": "machtigingen"}).content.decode()
    assert "Iemand machtigen" in html and "Aangifte inkomstenbelasting doen" in html and "Een nepbericht herkennen" not in html
    filtered = client.get(KB, {"instantie": "DIGID", "onderwerp": "INLOGGEN"}).content.decode()
    assert "DigiD app activeren" in filtered and "DigiD wachtwoord vergeten" in filtered and "AOW aanvragen" not in filtered


@pytest.mark.parametrize("params, message", [
    ({"instantie": "NEPBANK"}, "Onbekende instantie &#x27;NEPBANK&#x27;"),
    ({"onderwerp": "x" * 80}, "Onbekende onderwerp"),
    ({"q": "digid " * 60}, "Uw zoekvraag is te lang"),
])
def test_it_explains_bad_search_input_and_still_shows_results(client_for, params, message):
    response = client_for("medewerker").get(KB, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_it_survives_control_characters_in_a_search_and_a_guide(client_for):
    # Other control characters are cleaned by the form; a NUL is refused before any view reads it (core/middleware.py).
    assert client_for("medewerker").get(KB, {"q": "digid\x07app"}).status_code == 200
    assert client_for("medewerker").get(KB, {"q": "digid\x00app"}).status_code == 400
    refused = client_for("coordinator").post(f"{KB}nieuw/", guide_form(title="Ooievaarspas\x00 aanvragen"))
    assert refused.status_code == 400
    assert not Guide.objects.filter(organisation__isnull=False).exists()
    response = client_for("coordinator").post(f"{KB}nieuw/", guide_form(title="Ooievaarspas aanvragen"))
    assert response.status_code == 302


def test_it_says_so_when_nothing_matches(client_for):
    html = client_for("medewerker").get(KB, {"q": "ruimtevaart"}).content.decode()
    assert "Geen handleiding gevonden voor" in html


def test_it_prints_a_guide_as_a_handout(client_for):
    html = client_for("medewerker").get(f"{KB}digid-app-activeren/").content.decode()
    # The print styles and the print button's script are files (the Content-Security-Policy allows no inline ones).
    css = (ROOT / "balie" / "static" / "knowledge" / "knowledge.css").read_text()
    assert "/static/knowledge/knowledge.css" in html and "@media print" in css and ".balie-header" in css  # navigation hidden on paper
    assert '<ol class="guide-steps">' in html and "data-print" in html and "/static/toolkit/print.js" in html
    assert "Informatiepunt Digitale Overheid in de bibliotheek (Bibliotheek Rotterdam)" in html


def test_it_returns_404_for_a_guide_that_does_not_exist(client_for):
    assert client_for("medewerker").get(f"{KB}bestaat-niet/").status_code == 404


# --- coordinators write local guides -----------------------------------------------------------------
@pytest.mark.parametrize("username, status", [("coordinator", 200), ("medewerker", 403), ("collega", 403), ("gemeente", 403)])
def test_it_lets_only_a_coordinator_write_a_guide(client_for, username, status):
    assert client_for(username).get(f"{KB}nieuw/").status_code == status
    response = client_for(username).post(f"{KB}nieuw/", guide_form())
    assert response.status_code == (302 if status == 200 else status)


def test_it_creates_a_local_guide_and_writes_the_audit_log(client_for, users):
    response = client_for("coordinator").post(f"{KB}nieuw/", guide_form())
    guide = Guide.objects.get(title="Ooievaarspas aanvragen")
    assert response.url == f"{KB}{guide.slug}/"
    assert guide.organisation == users["coordinator"].organisation and guide.instanties == "|GEMEENTE|"
    event = AuditEvent.objects.get(event="kb_guide_created")
    assert event.user == users["coordinator"] and event.object_uuid == str(guide.uuid)


@pytest.mark.parametrize("overrides, field, message", [
    ({"title": "Pas"}, "title", "minstens 5 tekens"),
    ({"title": "x" * 130}, "title", "te lang (130 tekens)"),
    ({"summary": ""}, "summary", "één of twee zinnen"),
    ({"body": "Gewoon een verhaal zonder stappen."}, "body", "minstens één stap"),
    ({"body": "1. Vul BSN 111222333 in."}, "body", "haal persoonsgegevens weg"),
    ({"body": "1. Maak over naar NL91ABNA0417164300."}, "body", "haal persoonsgegevens weg"),
    ({"instanties": ["NEPBANK"]}, "instanties", "Onbekende instantie: NEPBANK"),
    ({"instanties": []}, "instanties", "Kies minstens één instantie"),
    ({"onderwerpen": []}, "onderwerpen", "Kies minstens één onderwerp"),
])
def test_it_refuses_an_incomplete_guide_with_a_dutch_message(client_for, overrides, field, message):
    response = client_for("coordinator").post(f"{KB}nieuw/", guide_form(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Guide.objects.filter(organisation__isnull=False).exists()


def test_it_never_gives_a_local_guide_the_address_of_a_page_or_a_national_guide(users):
    def make(title):
        return services.guide_create(user=users["coordinator"], data=services.GuideData(
            title, "Samenvatting.", "1. Stap.\n", ["DIGID"], ["INLOGGEN"]))
    assert make("DigiD app activeren").slug == "digid-app-activeren-2"
    assert make("Nieuw").slug == "nieuw-2"


@pytest.mark.parametrize("username, status", [
    ("coordinator", 200), ("medewerker", 403), ("coordinator-gouda", 404), ("medewerker-gouda", 403), ("gemeente", 403),
])
def test_it_lets_the_own_coordinator_edit_a_local_guide(client_for, local_guide, username, status):
    url = f"{KB}{local_guide.slug}/bewerken/"
    assert client_for(username).get(url).status_code == status
    response = client_for(username).post(url, guide_form(title="Rotterdampas verlengen of aanvragen"))
    assert response.status_code == (302 if status == 200 else status)
    local_guide.refresh_from_db()
    assert (local_guide.title == "Rotterdampas verlengen of aanvragen") == (status == 200)


def test_it_keeps_national_guides_read_only(client_for):
    assert client_for("coordinator").get(f"{KB}iemand-machtigen/bewerken/").status_code == 403
    assert client_for("coordinator").post(f"{KB}iemand-machtigen/verwijderen/").status_code == 403


def test_it_makes_a_local_version_that_colleagues_see_instead_of_the_national_one(client_for, users):
    response = client_for("coordinator").post(f"{KB}toeslag-wijzigen/eigen-versie/")
    assert response.status_code == 302 and response.url == f"{KB}toeslag-wijzigen/bewerken/"
    client_for("coordinator").post(f"{KB}toeslag-wijzigen/bewerken/", guide_form(
        title="Een wijziging doorgeven aan Dienst Toeslagen", instanties=["TOESLAGEN"], onderwerpen=["WIJZIGEN"],
        body="## Zo doet u het\n1. Kom naar het spreekuur op dinsdag in de Centrale Bibliotheek.\n"))
    assert "spreekuur op dinsdag" in client_for("collega").get(f"{KB}toeslag-wijzigen/").content.decode()
    assert "spreekuur op dinsdag" not in client_for("medewerker-gouda").get(f"{KB}toeslag-wijzigen/").content.decode()
    # One entry in the list, not two, and the national original is one click away.
    listing = client_for("collega").get(KB, {"q": "toeslag wijzigen"}).content.decode()
    assert listing.count(f'href="{KB}toeslag-wijzigen/"') == 1
    assert "Bekijk de landelijke versie" in client_for("collega").get(f"{KB}toeslag-wijzigen/").content.decode()
    assert "spreekuur op dinsdag" not in client_for("collega").get(f"{KB}toeslag-wijzigen/?landelijk=1").content.decode()


def test_it_deletes_a_local_guide_with_an_audit_trail(client_for, local_guide):
    assert client_for("medewerker").post(f"{KB}{local_guide.slug}/verwijderen/").status_code == 403
    assert client_for("coordinator-gouda").post(f"{KB}{local_guide.slug}/verwijderen/").status_code == 404
    response = client_for("coordinator").post(f"{KB}{local_guide.slug}/verwijderen/")
    assert response.status_code == 302 and not Guide.objects.filter(pk=local_guide.pk).exists()
    assert AuditEvent.objects.filter(event="kb_guide_deleted", object_uuid=str(local_guide.uuid)).exists()


def test_it_links_a_topic_to_its_guides_for_the_desk(users, local_guide):
    assert [g.slug for g in selectors.for_topic(users["medewerker"], "GEMEENTE", "AANVRAGEN")] == [local_guide.slug]
    assert selectors.for_topic(users["medewerker-gouda"], "GEMEENTE", "AANVRAGEN") == []
    assert selectors.for_topic(users["medewerker"], "", "AANVRAGEN") == []


@pytest.mark.parametrize("title", [
    "Ooievaarspas\u202e aanvragen", "Ooievaarspas\u200b aanvragen", "Ooievaarspas\x07 aanvragen",
    "Ooievaarspas\naanvragen", "Ooievaarspas\u2028aanvragen", "\ufeffOoievaarspas   aanvragen\t",
])
def test_a_guide_keeps_no_invisible_or_control_characters_in_its_title_summary_or_body(users, title):
    # Review L11: what the list, the search and the printout show is what the coordinator saw while typing.
    guide = services.guide_create(user=users["coordinator"], data=services.GuideData(
        title, "Korting\u202e voor\ninwoners.", "## Zo\u200b doet u het\n1. Ga naar de\x1b website.\n2. Log in.\n",
        ["GEMEENTE"], ["AANVRAGEN"], "ooievaar\u2066pas"))
    guide.refresh_from_db()
    assert guide.title == "Ooievaarspas aanvragen"
    assert guide.summary == "Korting voor inwoners." and guide.keywords == "ooievaarpas"
    assert guide.body == "## Zo doet u het\n1. Ga naar de website.\n2. Log in.\n"
