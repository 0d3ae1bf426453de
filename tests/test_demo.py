"""The demo data: deterministic per seed, realistic, valid against the code lists, anonymous."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from balie.core import idempotency

pytestmark = pytest.mark.django_db

# A Tuesday afternoon, so "today" has registrations and the comparison never straddles a minute.
FROZEN_NOW = dt.datetime(2026, 6, 9, 13, 2, tzinfo=dt.UTC)


def _load(**options) -> None:
    call_command("load_demo", quiet=True, **options)


def _checksum() -> tuple[int, str]:
    from balie.desk.models import Question

    digest = hashlib.sha256()
    rows = Question.objects.order_by("id").values_list(
        "location__code", "started_at", "instantie", "onderwerp", "uitkomst", "note", "uuid", "visit__uuid", "position",
        "digid_detail", "behoefteprofielen", "complexiteit", "achterliggend", "duration_minutes", "leeftijdsgroep", "taal",
        "kanaal", "created_by__username", "instantie_local",
    )
    count = 0
    for row in rows.iterator(chunk_size=2000):
        digest.update(repr(row).encode())
        count += 1
    return count, digest.hexdigest()


def _wipe() -> None:
    from balie.desk.models import Question, Visit

    Question.objects.all().delete()
    Visit.objects.all().delete()


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FROZEN_NOW)
    return FROZEN_NOW


@pytest.fixture
def demo_rows():
    """A realistic data set on the real clock, as `load_demo` makes it."""
    from balie.desk.models import Question

    _load(registrations=2000, years=2, seed=7)
    return {"rows": list(Question.objects.select_related("visit", "location", "organisation", "codelist_version", "created_by"))}


def test_it_gives_the_same_rows_for_the_same_seed(frozen_now):
    _load(registrations=2000, years=2, seed=7)
    first = _checksum()
    assert first[0] == 2000
    _wipe()
    _load(registrations=2000, years=2, seed=7)
    assert _checksum() == first
    _wipe()
    _load(registrations=2000, years=2, seed=8)
    assert _checksum() != first


def test_it_creates_only_the_network_with_zero_registrations():
    from balie.desk.models import Question, Visit
    from balie.network.models import Location, Organisation

    _load(registrations=0)
    assert Organisation.objects.filter(code="BIB-RDAM").exists()
    assert Location.objects.filter(code="RDAM-CENTRAAL").exists()
    assert not Question.objects.exists() and not Visit.objects.exists()


def test_it_fills_today_up_to_now_for_the_desk(frozen_now):
    from balie.desk.models import Question

    _load(registrations=2000, years=2, seed=7)
    today = Question.objects.filter(date=timezone.localdate(frozen_now))
    assert today.exists()
    assert today.filter(created_by__username="medewerker", location__code="RDAM-CENTRAAL").exists()
    assert not Question.objects.filter(started_at__gt=frozen_now).exists()


def test_it_keeps_ids_and_sequences_usable_after_loading(frozen_now, client_for):
    from balie.desk.models import Question

    _load(registrations=300, years=1, seed=1)
    client = client_for("medewerker")
    response = client.post("/balie/", {"submission_key": "after-demo", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN",
                                       "q-0-uitkomst": "OPGELOST", "save": "1"})
    assert response.status_code == 302
    assert Question.objects.count() == 301
    assert Question.objects.order_by("-id").first().visit.submission_key == idempotency.stored_key("desk:after-demo")


def test_it_registers_digid_as_the_top_instantie(demo_rows):
    counts = Counter(q.instantie for q in demo_rows["rows"])
    (top, n), (second, _) = counts.most_common(2)
    assert top == "DIGID" and 0.18 < n / len(demo_rows["rows"]) < 0.32
    assert second in {"BELASTINGDIENST", "TOESLAGEN", "GEMEENTE"}
    digid_login = [q for q in demo_rows["rows"] if q.instantie == "DIGID" and q.onderwerp == "INLOGGEN"]
    assert len(digid_login) > 0.4 * counts["DIGID"]
    assert sum(1 for q in digid_login if q.digid_detail) > 0.7 * len(digid_login)


def test_it_makes_most_visitors_65_plus(demo_rows):
    ages = [q.leeftijdsgroep for q in demo_rows["rows"] if q.leeftijdsgroep]
    assert 0.55 < len(ages) / len(demo_rows["rows"]) < 0.8  # optional fields filled about 70 %
    share = sum(1 for a in ages if a in {"65_74", "75_PLUS"}) / len(ages)
    assert 0.5 <= share <= 0.7


def test_it_is_busier_in_tax_season(demo_rows):
    per_day = Counter(q.date for q in demo_rows["rows"])
    season = [n for d, n in per_day.items() if d.month in (3, 4, 5)]
    rest = [n for d, n in per_day.items() if d.month not in (3, 4, 5)]
    assert sum(season) / len(season) > 1.1 * sum(rest) / len(rest)
    aangifte = Counter(q.date.month in (3, 4, 5) for q in demo_rows["rows"] if q.onderwerp == "AANGIFTE")
    assert aangifte[True] > 2 * aangifte[False]


def test_it_never_registers_on_sunday_or_in_the_future(demo_rows):
    now = timezone.now()
    for q in demo_rows["rows"]:
        assert q.date.weekday() != 6
        assert q.started_at <= now
        assert q.date == timezone.localtime(q.started_at).date()
        assert 7 <= timezone.localtime(q.started_at).hour < 18
    weekdays = Counter(q.date.weekday() for q in demo_rows["rows"])
    assert weekdays[1] > weekdays[0] > weekdays[5] and weekdays[3] > weekdays[4] > weekdays[5]


def test_it_resolves_mostly_on_the_spot(demo_rows):
    outcomes = Counter(q.uitkomst for q in demo_rows["rows"])
    total = len(demo_rows["rows"])
    assert 0.62 < outcomes["OPGELOST"] / total < 0.78
    assert outcomes["DOORVERWEZEN"] > outcomes["NIET_OPGELOST"]
    notes = sum(1 for q in demo_rows["rows"] if q.note)
    assert 0.22 < notes / total < 0.38


def test_it_uses_only_valid_codes(demo_rows):
    from balie.core import codelists
    from balie.core.models import CodeList
    from balie.desk.forms import question_to_data
    from balie.desk.validation import CodeContext, clean_question

    contexts: dict[int, CodeContext] = {}
    visits: Counter = Counter()
    for q in demo_rows["rows"]:
        ctx = contexts.setdefault(q.organisation_id, CodeContext.build(q.organisation, q.codelist_version))
        values, errors = clean_question(ctx, question_to_data(q))
        assert errors == [], (q.pk, errors)
        for name in ("instantie", "instantie_local", "onderwerp", "digid_detail", "behoefteprofielen", "complexiteit",
                     "achterliggend", "uitkomst", "leeftijdsgroep", "taal", "vraagsoort"):
            assert values[name] == getattr(q, name), (name, values[name], getattr(q, name))
        assert q.kanaal in codelists.codes(q.codelist_version, CodeList.KANAAL)
        assert q.duration_minutes in (None, 5, 10, 15, 30, 45, 60)
        visit = q.visit
        assert (visit.organisation_id, visit.location_id, visit.kanaal, visit.started_at, visit.codelist_version_id) == (
            q.organisation_id, q.location_id, q.kanaal, q.started_at, q.codelist_version_id)
        assert q.organisation_id == q.location.organisation_id
        assert q.created_at == q.started_at == visit.created_at and visit.source == "demo"
        assert q.created_by is None or q.created_by.organisation_id == q.organisation_id
        if q.location.is_outreach:
            assert q.kanaal == "LOCATIE"
        visits[q.visit_id] += 1
    assert set(visits.values()) <= {1, 2, 3}
    assert 0.7 < sum(1 for n in visits.values() if n == 1) / len(visits) < 0.9


def test_it_writes_anonymous_notes(demo_rows):
    from balie.core import pii

    notes = {q.note for q in demo_rows["rows"] if q.note}
    assert len(notes) > 50
    for note in notes:
        assert pii.scan(note, names=False) == [], note
        assert not any(ch.isdigit() for ch in note)


def test_it_never_registers_on_a_public_holiday(demo_rows):
    import holidays

    # The same calendar as the public opening hours (balie.network.schedule.hours): weekly hours do not apply on a holiday.
    years = {q.date.year for q in demo_rows["rows"]}
    closed = holidays.country_holidays("NL", years=sorted(years))
    assert [q.date for q in demo_rows["rows"] if q.date in closed] == []


def test_no_domain_app_imports_the_demo_app():
    import re
    from pathlib import Path

    balie = Path(__file__).resolve().parents[1] / "balie"
    pattern = re.compile(r"^\s*(from|import)\s+balie\.demo\b", re.M)
    offenders = [str(p.relative_to(balie)) for p in balie.rglob("*.py") if p.parts[len(balie.parts)] != "demo" and pattern.search(p.read_text())]
    assert offenders == []
