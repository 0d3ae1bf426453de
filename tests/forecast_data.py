"""Hand-made weekly series with a known trend and season, for the forecast tests (unit and browser)."""

from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone

from balie.core import codelists
from balie.desk.models import Question, Visit
from balie.forecast import model
from balie.network.models import Location

START = dt.date(2021, 1, 4)  # a Monday
TODAY = dt.date(2025, 6, 4)  # a Wednesday: the last complete week starts 2025-05-26


def truth(week: dt.date, level: float = 100, growth: float = 0.10, season: float = 0.25) -> float:
    years = (week - START).days / model.YEAR_DAYS
    return level * math.exp(growth * years) * (1 + season * math.sin(2 * math.pi * week.toordinal() / model.YEAR_DAYS))


def weeks_from(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(weeks=i) for i in range(n)]



def add_questions(location: Location, per_day: dict[tuple[dt.date, int], int], *, kanaal: str = "INLOOP", minutes: int | None = None) -> None:
    """``per_day[(day, hour)] = n`` visits (one question each) at that local hour."""
    version = codelists.current_version()
    rows = [(day, hour) for (day, hour), n in per_day.items() for _ in range(n)]
    visits = Visit.objects.bulk_create([
        Visit(organisation=location.organisation, location=location, kanaal=kanaal, codelist_version=version,
              started_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15))))
        for day, hour in rows
    ], batch_size=2000)
    Question.objects.bulk_create([
        Question(visit=v, organisation=location.organisation, location=location, started_at=v.started_at, date=day, kanaal=kanaal,
                 codelist_version=version, vraagsoort="OVERHEID", instantie="DIGID", onderwerp="INLOGGEN", uitkomst="OPGELOST",
                 duration_minutes=minutes)
        for v, (day, _) in zip(visits, rows, strict=True)
    ], batch_size=2000)


def seasonal_location(location: Location, first: dt.date, until: dt.date, level: float = 8) -> None:
    per_day = {}
    week = first
    while week < until:
        per_day[(week + dt.timedelta(days=1), 11)] = max(0, round(truth(week, level=level)))
        week += dt.timedelta(weeks=1)
    add_questions(location, per_day, minutes=20)
