"""Signals in the demo: one real problem in the recent weeks, and the nightly detection run once at the end of load_demo.

Without this the demo showed no signals until someone ran ``detect_signals`` by hand (review 2026-12, hands-on by
role, item 6). The problem is the kind the signal function exists for: for three weeks many more Rotterdam visitors
than usual cannot upload documents in the UWV app. It is added on top of the generated registrations (same fields,
anonymous notes), so the detection finds it the way it would find a real one; nothing is marked by hand.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from balie.core import codelists
from balie.demo.registrations import closed_days
from balie.desk.models import Question, Visit
from balie.network.models import Location
from balie.signals import collect, services
from balie.signals.models import Signal

AMS = ZoneInfo("Europe/Amsterdam")
# (location code, instantie, onderwerp, extra questions per week, notes): about twice the usual number of UWV questions.
EPISODE_WEEKS = 3
# Below this many registrations the demo's weekly counts are too small for any signal; the problem is left out.
MIN_REGISTRATIONS = 10_000
EPISODES = [
    ("RDAM-CENTRAAL", "UWV", "DOCUMENTEN", 9, [
        "Upload lukt niet in de UWV-app, foutmelding na het kiezen van de foto",
        "Upload lukt niet in de UWV-app, samen via de website gedaan",
        "Upload lukt niet in de UWV-app, app blijft hangen",
    ]),
    ("RDAM-ZUIDPLEIN", "UWV", "DOCUMENTEN", 5, [
        "Upload lukt niet in de UWV-app, via de computer in de bibliotheek gedaan",
        "Upload lukt niet in de UWV-app, bezoeker komt terug",
    ]),
]


def _weekly(per_week: int, k: int) -> int:
    # The problem grows a little each week (k = 0 is the latest week), as a broken app does when word gets round.
    return per_week + (EPISODE_WEEKS - 1 - k) * 2


def problem_size(registrations: int) -> int:
    """How many of the demo's registrations the problem takes (the total stays the number asked for)."""
    if registrations < MIN_REGISTRATIONS:
        return 0
    return sum(_weekly(per_week, k) for _, _, _, per_week, _ in EPISODES for k in range(EPISODE_WEEKS))


def add_recent_problem(*, seed: int, today: dt.date | None = None) -> int:
    """The problem's extra questions in the last EPISODE_WEEKS complete weeks (weekdays, opening hours). Returns the count.

    Deterministic per seed and day (uuids included), like the rest of the demo data.
    """
    rnd = random.Random(seed * 7919)
    last = collect.last_complete_week(today or timezone.localdate())
    closed = closed_days(range(last.year - 1, last.year + 1))
    version = codelists.current_version()
    locations = {loc.code: loc for loc in Location.objects.filter(code__in=[e[0] for e in EPISODES]).select_related("organisation")}
    plan = []
    for code, instantie, onderwerp, per_week, notes in EPISODES:
        location = locations.get(code)
        if location is None:
            continue
        for k in range(EPISODE_WEEKS):
            monday = last - dt.timedelta(weeks=k)
            days = [monday + dt.timedelta(days=d) for d in range(5) if monday + dt.timedelta(days=d) not in closed] or [monday]
            for _ in range(_weekly(per_week, k)):
                day = rnd.choice(days)
                at = dt.datetime.combine(day, dt.time(rnd.randrange(10, 16), rnd.randrange(60)), tzinfo=AMS)
                plan.append((location, at, instantie, onderwerp, rnd.choice(notes)))
    with transaction.atomic():
        visits = Visit.objects.bulk_create([
            Visit(uuid=uuid.UUID(int=rnd.getrandbits(128), version=4), organisation=loc.organisation, location=loc, started_at=at,
                  kanaal="INLOOP", codelist_version=version)
            for loc, at, _, _, _ in plan
        ])
        Question.objects.bulk_create([
            Question(uuid=uuid.UUID(int=rnd.getrandbits(128), version=4), visit=v, organisation=loc.organisation, location=loc, started_at=at, date=at.astimezone(AMS).date(),
                     kanaal="INLOOP", codelist_version=version, vraagsoort="OVERHEID", instantie=instantie, onderwerp=onderwerp,
                     uitkomst=rnd.choice(["OPGELOST", "DEELS", "NIET_OPGELOST"]), note=note, complexiteit="2")
            for v, (loc, at, instantie, onderwerp, note) in zip(visits, plan)
        ])
    return len(plan)


def detect_once() -> int:
    """The nightly detection, run once so the coordinator's Signalen page shows what it finds. Only on a demo database
    without signals (load_demo --if-empty must not add a second run's worth)."""
    if Signal.objects.exists():
        return 0
    return len(services.store(services.find()))
