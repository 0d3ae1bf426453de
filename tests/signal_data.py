"""Hand-made registration series for the signal tests (unit and browser), inserted in bulk."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from balie.core import codelists
from balie.desk.models import Question, Visit
from balie.network.models import Location

FLAT = {"DIGID": 30, "GEMEENTE": 12, "BELASTINGDIENST": 10, "UWV": 8}


def question_rows(location: Location, counts: dict[str, int], week: dt.date, note: str = "") -> list[tuple]:
    """(location, day, instantie, note) per question, registered on the Tuesday of ``week``."""
    day = week + dt.timedelta(days=1)
    return [(location, day, instantie, note) for instantie, n in counts.items() for _ in range(n)]


def insert(rows: list[tuple]) -> None:
    """One visit per question, saved in a few bulk inserts (thousands of rows per test stay fast)."""
    version = codelists.current_version()
    visits = Visit.objects.bulk_create([
        Visit(organisation=loc.organisation, location=loc, started_at=timezone.make_aware(dt.datetime.combine(day, dt.time(11))),
              kanaal="INLOOP", codelist_version=version)
        for loc, day, _, _ in rows
    ], batch_size=2000)
    Question.objects.bulk_create([
        Question(visit=v, organisation=loc.organisation, location=loc, started_at=v.started_at, date=day, kanaal="INLOOP",
                 codelist_version=version, vraagsoort="OVERHEID", instantie=instantie, onderwerp="DOCUMENTEN", uitkomst="OPGELOST",
                 note=note)
        for v, (loc, day, instantie, note) in zip(visits, rows)
    ], batch_size=2000)
