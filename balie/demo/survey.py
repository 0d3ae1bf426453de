"""Demo survey answers for ``load_demo``: a few per open day per library location, deterministic per seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.utils import timezone

from balie.network.models import Location, LocationKind
from balie.survey.models import SurveyResponse
from balie.survey.services import link_ensure

DAYS = 180
# Most visitors are helped and would come back; confidence to do it alone next time is the honest weak spot.
HELPED = {"JA": 82, "DEELS": 13, "NEE": 5}
CONFIDENT = {"JA": 48, "BEETJE": 34, "NEE": 18}
COME_BACK = {"JA": 88, "MISSCHIEN": 9, "NEE": 3}
BUSY = {"RDAM-CENTRAAL": 3.0, "GOUDA-CHOCOLADEFABRIEK": 1.5}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(*, seed: int = 1, days: int = DAYS, today: dt.date | None = None) -> int:
    """Links for every location, and answers for the library locations over the last ``days`` days."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    rows = []
    for location in Location.objects.filter(active=True).order_by("code"):
        link_ensure(location)
        if location.kind != LocationKind.BIBLIOTHEEK:
            continue
        per_day = BUSY.get(location.code, 0.6)
        for offset in range(days):
            day = today - dt.timedelta(days=offset + 1)
            if day.weekday() == 6:
                continue
            for i in range(int(per_day) + (rng.random() < per_day % 1)):
                # Demo rows need a unique device hash per day; real ones come from the visitor's day cookie.
                digest = hashlib.sha256(f"demo:{seed}:{location.code}:{day}:{i}".encode()).hexdigest()
                rows.append(SurveyResponse(
                    location=location, date=day, helped=_pick(rng, HELPED), confident=_pick(rng, CONFIDENT),
                    come_back=_pick(rng, COME_BACK), language="en" if rng.random() < 0.04 else "nl", device_hash=digest,
                ))
    SurveyResponse.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)
