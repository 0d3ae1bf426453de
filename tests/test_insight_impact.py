"""The dashboards show what the help led to: referrals per partner, courses, structural contact and the survey.

Coordinator: exact figures of the own organisation. Gemeente and landelijk: the same figures through the one
publication rule (core.privacy.published, ADR 0015), never personal data. Another library's coordinator sees none of it.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from balie.core import privacy
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.insight.periods import last_complete_month
from balie.network.models import Location
from balie.referrals import services
from balie.referrals.models import Kind
from balie.survey import services as survey_services

NAME = "Jantine Voorbeeldig"


@pytest.fixture
def helped(network, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    partners = build_social_map()
    build_courses()
    central = Location.objects.get(code="RDAM-CENTRAAL")
    maatje = partners["SchuldHulpMaatje Rotterdam"]
    # Last month: a period is counted (and compared) in whole months that have ended (insight/periods.py).
    day = last_complete_month() + dt.timedelta(days=14)
    when = dt.datetime.combine(day, dt.time(11, 0), timezone.get_current_timezone())
    for i in range(7):
        visit, _ = desk_services.visit_register(user=users["medewerker"], location=central, started_at=when, questions=[
            {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
        question = visit.questions.get()
        kind = Kind.SAMEN_GEBELD if i < 6 else Kind.INFORMATIE
        services.referral_create(user=users["medewerker"], question=question, partner=maatje, service=maatje.services.first(),
                                 kind=kind, consent=i == 0, contact={"naam": NAME, "telefoon": "06 41234567", "voorkeur": "ochtend"} if i == 0 else None)
    from balie.referrals.models import Referral

    Referral.objects.update(created_at=when)  # referred during that visit
    for i in range(9):
        survey_services.response_submit(location=central, answers={"helped": "JA" if i < 7 else "NEE", "confident": "JA", "come_back": "JA"},
                                        token=f"t{i}", day=day)
    return day


def _board(client, today):
    return client.get("/inzicht/", {"periode": f"{today:%Y-%m}"}).content.decode()


def _cell_after(html: str, row_label: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">{re.escape(row_label)}</th>(.*?)</tr>", html, re.S)
    assert row, row_label
    return re.findall(r'<td class="num">([^<]*)</td>', row.group(1))


def test_the_coordinator_sees_referrals_structural_contact_and_survey_exactly(helped, client_for):
    html = _board(client_for("coordinator"), helped)
    assert "Wat de hulp opleverde" in html
    section = html[html.index("Doorverwijzingen per partner"):]
    warm, plain, closed, *_ = _cell_after(section, "SchuldHulpMaatje Rotterdam")
    assert (warm, plain, closed) == ("6", "1", "0")
    assert re.search(r'id="structureel">6<', html)
    survey = html[html.index("Wat bezoekers zeggen"):]
    assert "9 antwoorden" in survey
    assert _cell_after(survey, "Ja")[:1] == ["7"] and _cell_after(survey, "Nee")[:1] == ["2"]
    # Personal data never reaches a dashboard, not even the coordinator's.
    assert NAME not in html and "41234567" not in html


def _published(kind: str, ids) -> str:
    """What the rule gives for exactly these records (ADR 0015)."""
    return privacy.text(privacy.published(privacy.records(kind, list(ids)), suppressed=True))


def test_a_municipality_sees_the_same_figures_suppressed(helped, client_for):
    from balie.referrals.models import Referral
    from balie.survey.models import SurveyResponse

    html = _board(client_for("gemeente"), helped)
    section = html[html.index("Doorverwijzingen per partner"):]
    warm, plain, *_ = _cell_after(section, "SchuldHulpMaatje Rotterdam")
    # 1 plain referral is under 5; the 6 warm ones are published with their noise, and the total of 7 from its own
    # records, so "total minus warm" is not the hidden 1 for certain.
    assert plain == "&lt;5"
    assert unescape(warm) == _published("referral", Referral.objects.exclude(kind=Kind.INFORMATIE).values_list("id", flat=True))
    totals = re.search(r'<th scope="row">Totaal</th><td class="num">([^<]*)</td><td class="num">([^<]*)</td>', section)
    assert totals and totals.group(2) == "&lt;5"
    assert totals.group(1) == warm  # all warm referrals are SchuldHulpMaatje's: the same records, the same number
    survey = html[html.index("Wat bezoekers zeggen"):]
    assert _cell_after(survey, "Nee")[:1] == ["&lt;5"]
    assert unescape(_cell_after(survey, "Ja")[0]) == _published("survey-response", SurveyResponse.objects.filter(helped="JA").values_list("id", flat=True))
    assert NAME not in html


def test_another_library_sees_none_of_it(helped, client_for):
    html = _board(client_for("coordinator-gouda"), helped)
    assert "SchuldHulpMaatje Rotterdam" not in html
    assert re.search(r'id="structureel">0<', html)
    assert "Nog geen antwoorden op de enquête" in html


def test_queue_statistics_appear_in_the_coordinators_dashboard(helped, users, client_for):
    from balie.walkin import services as walkin

    central = Location.objects.get(code="RDAM-CENTRAAL")
    walkin.queue_settings_update(user=users["coordinator"], location=central, enabled=True)
    for _ in range(3):
        walkin.ticket_issue(location=central)
    called = walkin.ticket_call_next(user=users["medewerker"], location=central, desk_label="Balie 1")
    walkin.ticket_no_show(user=users["medewerker"], ticket=called)
    from balie.walkin.models import Ticket

    Ticket.objects.update(service_date=helped)  # last month's queue: the period shown
    html = _board(client_for("coordinator"), helped)
    section = html[html.index("Wachtrij bij de inloop"):]
    assert "3 uitgegeven, 1 opgeroepen, 1 niet verschenen" in section
    assert "Centrale Bibliotheek" in section
    # Queue figures are per location and operational: not on the municipality's dashboard.
    assert "Wachtrij bij de inloop" not in _board(client_for("gemeente"), helped)


def test_the_accountability_report_tells_what_the_help_led_to_without_personal_data(helped, client_for, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext ontbreekt (Debian-pakket poppler-utils; .ci/run installeert het)")
    response = client_for("gemeente").get(f"/inzicht/verantwoording/GM0599/{helped:%Y}.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "e. Doorverwijzing" in text and "SchuldHulpMaatje Rotterdam" in text
    from balie.referrals.models import Referral
    from balie.survey.models import SurveyResponse

    visits = Referral.objects.exclude(kind=Kind.INFORMATIE).values_list("question__visit_id", flat=True)
    assert f"leidden tot vast contact met een partner of een cursus: {_published('visit', visits)}" in text
    assert f"beantwoordden {_published('survey-response', SurveyResponse.objects.values_list('id', flat=True))} bezoekers" in text
    assert NAME not in text and "41234567" not in text
