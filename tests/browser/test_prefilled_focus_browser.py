"""The desk form opened from a partner's announcement (issue 16) is past the chip step: focus lands on what is missing.

Real browser, real pages: the partner announces through the announcement service, the staff member opens the desk form
from the announcement's own link (as 'Registratie starten' on Vandaag does) and the test reads document.activeElement.
Also the gap between the announcement box and the "Veel gevraagd" heading below it (they touched), with a screenshot.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from balie.announcements.services import announcement_create
from balie.announcements.templatetags.announcements import register_url
from balie.core import codelists
from balie.core.models import CodeList
from balie.demo.partners import build_social_map
from balie.desk.models import Question
from balie.network.models import Location

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-prefill-focus")

FOCUSED = """() => { const el = document.activeElement;
  return el ? {tag: el.tagName, name: el.getAttribute('name') || '', value: el.value || '', id: el.id || '',
               cls: el.className || '', type: el.getAttribute('type') || ''} : null; }"""


@pytest.fixture
def social(demo):
    build_social_map()


def _announce(instantie: str = "", onderwerp: str = ""):
    partner = get_user_model().objects.get(username="partner")
    announcement, _ = announcement_create(
        user=partner, location=Location.objects.get(code="RDAM-CENTRAAL"), expected_on=timezone.localdate(),
        instantie=instantie, onderwerp=onderwerp, description="Komt met de brief erbij.",
    )
    return announcement


def _open(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_selector("#registratie")
    page.wait_for_function("document.activeElement && document.activeElement !== document.body")
    return page.evaluate(FOCUSED)


def test_an_announced_visit_puts_focus_on_the_outcome_and_the_heading_has_room(page, live_server, login, social):
    rng = random.Random(16)
    version = codelists.current_version()
    instanties = sorted(set(codelists.display_codes(version, CodeList.INSTANTIE)) - {"GEEN", "OVERIG"})
    onderwerpen = sorted(set(codelists.display_codes(version, CodeList.ONDERWERP)) - {"OVERIG"})
    outcomes = list(codelists.display_codes(version, CodeList.UITKOMST))
    login("medewerker")

    # Without an announcement the first favourite chip has focus (unchanged).
    plain = _open(page, f"{live_server.url}/balie/?locatie=RDAM-CENTRAAL")
    assert plain["tag"] == "BUTTON" and "chip" in plain["cls"], plain

    # Announcements with both codes, varied: focus on the first outcome, not on a chip; Enter there saves "opgelost".
    for n in range(3):
        announcement = _announce(rng.choice(instanties), rng.choice(onderwerpen))
        focused = _open(page, live_server.url + register_url(announcement))
        assert (focused["tag"], focused["type"], focused["name"]) == ("INPUT", "radio", "q-0-uitkomst"), focused
        assert focused["value"] == outcomes[0]
        if n == 0:
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / "prefilled-focus-outcome.png"), full_page=True)
            # The announcement box and the "Veel gevraagd" heading below it no longer touch.
            gap = page.evaluate("""() => document.getElementById('fav-titel').getBoundingClientRect().top
                                       - document.getElementById('aanmelding-info').getBoundingClientRect().bottom""")
            assert gap >= 12, gap
            with page.expect_navigation():
                page.keyboard.press("Enter")
            page.wait_for_load_state()
            errors = page.locator("#foutmeldingen")
            assert not errors.count(), errors.inner_text()
            assert Question.objects.filter(instantie=announcement.instantie, onderwerp=announcement.onderwerp,
                                           uitkomst=outcomes[0]).count() == 1

    # Only the instantie announced: focus goes to the onderwerp that is still missing.
    focused = _open(page, live_server.url + register_url(_announce(rng.choice(instanties))))
    assert (focused["tag"], focused["name"]) == ("INPUT", "q-0-onderwerp"), focused
    # Nothing announced about the question: the chips are still the quickest way, so the first chip has focus.
    focused = _open(page, live_server.url + register_url(_announce()))
    assert focused["tag"] == "BUTTON" and "chip" in focused["cls"], focused
