"""English for staff too (issue 14 item 4, part B): referrals, partners, courses, announcements and the walk-in queue.

A staff user (and a partner account) who chose English gets every page of these apps in English: each GET pattern
of these apps is opened for every actor the access table lets in (tests/access_table.py), with the real objects of
the access world (tests/access_world.py), and the visible text may hold none of a list of common Dutch UI words.
Data (names, descriptions typed by people) stays as it was typed, so the words below are ones the interface uses.
The e-mail to a partner follows the receiving account's language: English for an English account, else Dutch.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from access_table import ACTORS, ANON, EXPECTED  # tests/ is on sys.path (conftest.py lives there)
from access_walk import all_patterns, path_for
from access_world import rolled_back_world
from django.core import mail
from django.core.management import call_command
from django.test import Client
from languages import client_in

APPS = ("referrals", "partners", "courses", "announcements", "walkin")
# Common Dutch words of the interface, matched as whole words (case-sensitive where a capital makes it a label).
DUTCH = ("Opslaan", "Terug", "Verwijzing", "Verwijzingen", "Partner bewerken", "geen", "niet", "van de", "Toestemming",
         "Bewerken", "Nieuwe", "Annuleren", "Dienst", "Cursus", "Aanmelding", "Wachtrij", "Nummer", "Instellingen",
         "Status", "bezoeker", "Bezoeker", "Vandaag", "nog", "voor", "naar", "met", "het", "een", "wordt", "zijn")
WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in DUTCH) + r")(?![\w-])")
# Words that are the same in English, or names of things (not interface text).
SAME = {"Status"}
# Opening hours as Dutch day abbreviations ("ma-do 09:00-16:00"): English staff read "Mon-Thu".
DAY_RANGE = re.compile(r"(?<![\w-])(ma|di|wo|do|vr|za|zo)-(ma|di|wo|do|vr|za|zo)(?![\w-])")


class _Text(HTMLParser):
    """The text a person sees: text nodes outside script/style, plus placeholder, title, aria-label and button values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        values = dict(attrs)
        for name in ("placeholder", "title", "aria-label", "alt"):
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back_world(django_db_blocker, language="en", BALIE_REQUIRE_2FA=False) as built:
        yield built


def _data_strings(world) -> list[str]:
    """What people typed into the objects (a partner's description, a course title): not interface text."""
    found: list[str] = []
    for side in (world.own, world.other):
        for obj in side.values():
            for field in getattr(getattr(obj, "_meta", None), "concrete_fields", []):
                value = getattr(obj, field.attname, None)
                if isinstance(value, str) and len(value) > 3 and field.get_internal_type() in ("CharField", "TextField"):
                    found.append(value)
    from balie.courses.models import Course
    from balie.network.models import Location, Organisation
    from balie.partners.models import Partner, PartnerLocation, Service

    for model in (Partner, Service, PartnerLocation, Course, Location, Organisation):
        for obj in model.objects.all():
            found += [getattr(obj, f.attname) for f in obj._meta.concrete_fields
                      if f.get_internal_type() in ("CharField", "TextField") and isinstance(getattr(obj, f.attname), str)
                      and len(getattr(obj, f.attname)) > 3]
    # The national code lists (instanties, onderwerpen, behoefteprofielen, talen) and municipalities: their Dutch
    # labels are reference data of core, shown as they are published (English code labels are not part B's work).
    from balie.core.models import Code
    from balie.network.models import Gemeente, LocalCode

    found += list(Code.objects.values_list("label", flat=True)) + list(LocalCode.objects.values_list("label", flat=True))
    found += list(Gemeente.objects.values_list("naam", flat=True))
    return sorted({s for s in found if s}, key=len, reverse=True)


# --- the e-mail to the partner ------------------------------------------------------------------------------------
# These come before the page walk: its module-wide world (every account in English) would otherwise be visible here.


@pytest.fixture
def social(network, users, settings):
    from balie.demo.courses import build_courses
    from balie.demo.partners import build_social_map

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    partners = build_social_map()
    build_courses()
    return partners


def _refer(users, social, partner_name="SchuldHulpMaatje Rotterdam"):
    from balie.desk import services as desk_services
    from balie.network.models import Location
    from balie.referrals import services
    from balie.referrals.models import Kind

    visit, _ = desk_services.visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"), questions=[
        {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    partner = social[partner_name]
    referral, _ = services.referral_create(
        user=users["medewerker"], question=visit.questions.get(), partner=partner, service=partner.services.first(),
        kind=Kind.SAMEN_GEBELD, consent=True, contact={"naam": "Jantine Voorbeeldig", "telefoon": "06 41234567"},
    )
    return referral


def _sent():
    """The worker sends what the request queued (core/outbox.py), as in production."""
    assert mail.outbox == []
    call_command("run_worker", "--once", verbosity=0)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


@pytest.mark.django_db(transaction=False)
def test_an_english_partner_account_gets_the_referral_email_in_english(users, social, django_capture_on_commit_callbacks):
    from balie.partners.models import PartnerUser

    link = PartnerUser.objects.get(user=users["partner"])
    assert link.partner.name == "SchuldHulpMaatje Rotterdam"
    users["partner"].language = "en"
    users["partner"].save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        referral = _refer(users, social)
    message = _sent()
    assert message.subject.startswith("Referral from ") and "Doorverwijzing" not in message.subject
    body = message.body
    assert body.startswith("Dear partner,") and "has referred a visitor to you" in body and "Paying, debts" in body
    assert f"/verwijzingen/{referral.uuid}/partner/" in body and "Kind of referral: called together" in body
    assert WORDS.findall(visible_text(body)) == [] and "Beste partner" not in body and "Met vriendelijke groet" not in body
    # The staff member who made the referral speaks Dutch: that does not matter, the receiver decides.
    assert users["medewerker"].language == "nl"
    # The coordinator's reminder, later, follows the same account.
    from balie.referrals import services

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_partner(referral, reminder=True)
    reminder = _sent()
    assert reminder.subject.startswith("Reminder: Referral from ") and reminder.body.startswith("Dear partner,")
    assert "we have not yet heard how it went" in reminder.body


@pytest.mark.django_db(transaction=False)
def test_a_dutch_partner_account_gets_the_referral_email_in_dutch(users, social, django_capture_on_commit_callbacks):
    users["medewerker"].language = "en"  # the sender's choice does not change the receiver's language
    users["medewerker"].save(update_fields=["language"])
    assert users["partner"].language == "nl"
    with django_capture_on_commit_callbacks(execute=True):
        _refer(users, social)
    message = _sent()
    assert message.subject.startswith("Doorverwijzing van ")
    assert message.body.startswith("Beste partner,") and "heeft een bezoeker naar u doorverwezen" in message.body
    assert "Soort verwijzing: samen gebeld." in message.body and "Dear partner" not in message.body


@pytest.mark.django_db(transaction=False)
def test_a_partner_without_an_account_gets_dutch(users, social, django_capture_on_commit_callbacks):
    from balie.partners.models import PartnerUser

    assert not PartnerUser.objects.filter(partner=social["Sociaal Team Gouda"]).exists()
    for user in users.values():
        user.language = "en"
        user.save(update_fields=["language"])
    gouda = users["medewerker-gouda"]
    from balie.desk import services as desk_services
    from balie.network.models import Location
    from balie.referrals import services
    from balie.referrals.models import Kind

    visit, _ = desk_services.visit_register(user=gouda, location=Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK"), questions=[
        {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    partner = social["Sociaal Team Gouda"]
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_create(user=gouda, question=visit.questions.get(), partner=partner, service=partner.services.first(),
                                 kind=Kind.SAMEN_GEBELD, consent=False, contact=None)
    assert _sent().body.startswith("Beste partner,")


# --- messages and import findings --------------------------------------------------------------------------------


def _english(user):
    return client_in(user, "en")


@pytest.mark.django_db
def test_the_social_map_import_names_its_findings_in_english(users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _english(users["coordinator"])
    bad = SimpleUploadedFile("organizations.csv", "id,name\n1,Caf\xe9\n".encode("latin-1"), content_type="text/csv")
    html = client.post("/sociale-kaart/importeren/", {"bestanden": bad}).content.decode()
    assert "Nothing has been imported." in html and "The file is not UTF-8 text. Save it as CSV UTF-8." in html
    assert "geïmporteerd" not in html and "Sla het op" not in html
    # The same file for a colleague who kept Dutch.
    dutch = Client()
    dutch.force_login(users["coordinator-gouda"])
    again = SimpleUploadedFile("organizations.csv", "id,name\n1,Caf\xe9\n".encode("latin-1"), content_type="text/csv")
    assert "Het bestand is geen UTF-8-tekst." in dutch.post("/sociale-kaart/importeren/", {"bestanden": again}).content.decode()


@pytest.mark.django_db
def test_queue_messages_and_refusals_follow_the_staff_language(users):
    from balie.network.models import Location

    client = _english(users["medewerker"])
    location = Location.objects.get(code="RDAM-CENTRAAL")
    page = client.post(f"/wachtrij/balie/instellingen/?locatie={location.code}", {"staff_on_duty": "veel"}, follow=True)
    assert "veel&#x27; is not a number. Fill in a whole number, for example 2." in page.content.decode()
    page = client.post(f"/wachtrij/balie/instellingen/?locatie={location.code}", {"enabled": "1"}, follow=True)
    assert "The queue is on." in page.content.decode() and "De wachtrij staat aan." not in page.content.decode()
    # A refusal a view gives is shown on the 403 page, in the user's language.
    refused = client.post(f"/wachtrij/balie/instellingen/?locatie={location.code}", {"kioskcode": "1"})
    assert refused.status_code == 403 and "Only a coordinator can make a new kiosk link." in refused.content.decode()


# --- every page ----------------------------------------------------------------------------------------------------


def _pages() -> list[tuple[str, str]]:
    """(url name, actor) for every GET page of these apps that the actor may open (200 in the access table)."""
    pairs = []
    for pattern in all_patterns():
        if pattern.key.split(":")[0] not in APPS:
            continue
        row = EXPECTED.get(pattern.key, {})
        if row.get(ANON) == 200:
            pairs.append((pattern.key, ANON))  # a public page: the visitor's choice (?lang=en), whoever is signed in
            continue
        for actor in ACTORS:
            if row.get(actor) == 200 and actor not in ("buiten", "collega"):  # the same pages as medewerker
                pairs.append((pattern.key, actor))
    return pairs


PAGES = _pages()


def test_it_walks_a_page_of_every_app():
    assert {key.split(":")[0] for key, _ in PAGES} == set(APPS) and len(PAGES) > 25


@pytest.mark.django_db
@pytest.mark.parametrize("key, actor", PAGES, ids=[f"{k} {a}" for k, a in PAGES])
def test_every_page_speaks_english_to_an_english_user(world, key, actor):
    pattern = next(p for p in all_patterns() if p.key == key)
    client = Client(HTTP_ACCEPT_LANGUAGE="en") if actor == ANON else Client()
    if actor != ANON:
        client.force_login(world.users[actor])
    path = path_for(pattern, world)
    response = client.get(path, {"lang": "en"} if actor == ANON else {})
    assert response.status_code == 200, path
    if not response.get("Content-Type", "").startswith("text/html"):
        return  # a PDF or a download (the slip is bilingual already)
    # The printed slip is in the visitor's language (its own switch, ?taal=), not the staff member's: left out here.
    html = re.sub(r'<article class="slip".*?</article>', "", response.content.decode(), flags=re.S)
    # The consent text is read aloud to the visitor and stored with the referral as it was shown: the visitor's Dutch.
    html = re.sub(r'<div class="consent" id="[a-z-]+"><p><strong>[^<]*</strong></p><p>.*?</p></div>', "", html, flags=re.S)
    text = visible_text(html)
    for typed in _data_strings(world):
        text = text.replace(typed, " ")
    # The hours field is typed in Dutch abbreviations (the parser reads those); its hint says so in English.
    hours = re.sub(r"For example: [^(]*\(Dutch day abbreviations[^)]*\)", " ", text)
    dutch = sorted({m for m in WORDS.findall(text) if m not in SAME} | {"-".join(m) for m in DAY_RANGE.findall(hours)})
    assert dutch == [], f"{path} as {actor}: Dutch words {dutch} in: {text[:3000]}"
