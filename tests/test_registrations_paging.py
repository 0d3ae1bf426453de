"""The registrations overview past its count cap (desk/registrations/paging.py): an honest "more than 1,000", and the
next-page links still reach every registration exactly once, newest first.

Over HTTP through the real view. The rows are written in bulk (a thousand registrations through the desk service would
take minutes); they are complete rows of the organisation, with varied dates, times, locations, staff and codes.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from balie.core import codelists
from balie.desk.models import Question, Visit
from balie.desk.registrations.paging import COUNT_CAP, PER_PAGE
from balie.network.models import Location

pytestmark = pytest.mark.django_db
URL = "/balie/registraties/"
PAIRS = [("DIGID", "INLOGGEN"), ("TOESLAGEN", "WIJZIGEN"), ("BELASTINGDIENST", "AANGIFTE"), ("GEEN", "APPARAAT"), ("UWV", "BERICHT")]


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


def _bulk(users, rng: random.Random, n: int, *, days: int = 25) -> list[Question]:
    version = codelists.current_version()
    locations = list(Location.objects.filter(organisation__code="BIB-RDAM", active=True)[:3])
    staff = [users["medewerker"], users["collega"], users["coordinator"]]
    now = timezone.now()
    moments = [now - dt.timedelta(days=rng.randint(0, days), minutes=rng.randint(0, 600)) for _ in range(n)]
    visits = Visit.objects.bulk_create([
        Visit(organisation=loc.organisation, location=loc, started_at=moment, kanaal=rng.choice(["INLOOP", "TELEFOON"]),
              codelist_version=version, created_by=rng.choice(staff), afterwards=rng.random() < 0.2, source="balie")
        for moment, loc in ((m, rng.choice(locations)) for m in moments)
    ])
    questions = []
    for visit in visits:
        inst, ond = rng.choice(PAIRS)
        questions.append(Question(
            visit=visit, organisation_id=visit.organisation_id, location_id=visit.location_id, started_at=visit.started_at,
            date=timezone.localdate(visit.started_at), kanaal=visit.kanaal, codelist_version=version, vraagsoort="OVERHEID",
            instantie=inst, onderwerp=ond, uitkomst=rng.choice(["OPGELOST", "DEELS", "DOORVERWEZEN"]), created_by=visit.created_by,
        ))
    return Question.objects.bulk_create(questions)


def _uuids(html: str) -> list[str]:
    return re.findall(r'href="/balie/vraag/([0-9a-f-]{36})/', html)


@pytest.mark.parametrize("seed", [21, 22])
def test_past_the_cap_it_says_more_than_and_the_next_links_reach_every_row_once(client_for, users, seed):
    rng = random.Random(seed)
    _bulk(users, rng, COUNT_CAP + rng.randint(1, 3 * PER_PAGE))
    client = client_for("coordinator")
    query = rng.choice([{}, {"tot": timezone.localdate().isoformat()}])
    expected = Question.objects.filter(organisation__code="BIB-RDAM", date__gte=timezone.localdate() - dt.timedelta(days=29))
    assert expected.count() > COUNT_CAP  # the cap is really passed
    html = client.get(URL, query).content.decode()
    assert "Meer dan 1.000 vragen van" in html and "pagina 1</caption>" in html and " van " not in html.split("<caption>")[1][:40]
    seen: list[str] = []
    url, params, pages = URL, query, 0
    while True:
        html = client.get(url, params).content.decode()
        seen += _uuids(html)
        pages += 1
        found = re.search(r'href="\?([^"]*pagina=\d+)">Volgende pagina', html)
        if not found:
            break
        url, params = URL + "?" + found.group(1).replace("&amp;", "&"), None
        assert pages < 100
    ordered = [str(u) for u in expected.order_by("-date", "-started_at", "-id").values_list("uuid", flat=True)]
    assert seen == ordered  # every row once, newest first, the last page without a next link
    assert pages == -(-len(ordered) // PER_PAGE)
    # Past the end of a capped list: an empty page that says so and leads back, never a 500.
    far = client.get(URL, {**query, "pagina": str(pages + 5)})
    assert far.status_code == 200 and "Deze pagina is leeg" in far.content.decode() and not _uuids(far.content.decode())


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_under_the_cap_the_count_is_exact_and_the_last_page_is_known(client_for, users, seed):
    rng = random.Random(seed)
    _bulk(users, rng, rng.randint(60, 400))
    filters = dict(rng.sample([("uitkomst", "OPGELOST"), ("kanaal", "TELEFOON"), ("medewerker", "collega"), ("achteraf", "on")],
                              rng.randint(1, 2)))
    lookup = {"uitkomst": "uitkomst", "kanaal": "kanaal", "medewerker": "created_by__username", "achteraf": "visit__afterwards"}
    expected = Question.objects.filter(organisation__code="BIB-RDAM", date__gte=timezone.localdate() - dt.timedelta(days=29),
                                       **{lookup[k]: (True if v == "on" else v) for k, v in filters.items()})
    n = expected.count()
    pages = max(1, -(-n // PER_PAGE))
    html = client_for("coordinator").get(URL, {**filters, "pagina": str(pages + 3)}).content.decode()  # clamped to the last
    assert f"{n} vra" in html, filters
    if pages > 1:
        assert f"pagina {pages} van {pages}" in html and "Volgende pagina" not in html
    last = [str(u) for u in expected.order_by("-date", "-started_at", "-id").values_list("uuid", flat=True)][(pages - 1) * PER_PAGE:]
    assert _uuids(html) == last
