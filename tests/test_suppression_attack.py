"""Review finding M1: small cells must not be recoverable by differencing the dashboard's own filters.

The attack (tests/attack.py) runs as the gemeente user through the real dashboard, on data from seeded generators in
two shapes: the demo generator (realistic, loaded in bulk and counted by a rollup rebuild) and registrations through
the desk service with skewed code choices (many small cells, counted through the desk's journal).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from zoneinfo import ZoneInfo

import attack  # tests/ is on sys.path (conftest.py lives there)
import pytest

from balie.core import privacy
from balie.desk.services import visit_register
from balie.network.models import Location

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date.today()
LAST_MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


def demo_shape(seed: int, registrations: int) -> None:
    from balie.demo.registrations import generate
    from balie.insight import rollup

    generate(registrations=registrations, years=1, seed=seed)
    rollup.rebuild()


def desk_shape(users, seed: int, visits: int) -> None:
    """Skewed choices (a few common codes, a long tail), several locations and channels: many cells of 1-4."""
    rng = random.Random(seed)
    codes = {
        "instantie": ["DIGID", "BELASTINGDIENST", "UWV", "SVB", "TOESLAGEN", "RDW", "CJIB", "DUO", "GEMEENTE"],
        "onderwerp": ["INLOGGEN", "AANVRAGEN", "BERICHT", "BETALEN", "WIJZIGEN", "AANGIFTE"],
        "uitkomst": ["OPGELOST", "DEELS", "DOORVERWEZEN", "NIET_OPGELOST"],
        "complexiteit": ["", "1", "2", "3", "4"],
        "leeftijdsgroep": ["", "TOT_25", "25_44", "45_64", "65_74", "75_PLUS"],
    }
    locations = list(Location.objects.filter(code__startswith="RDAM-"))
    staff = users["medewerker"]
    first = LAST_MONTH
    days = (TODAY.replace(day=1) - first).days
    for i in range(visits):
        question = {name: values[min(int(rng.paretovariate(1.2)) - 1, len(values) - 1)] for name, values in codes.items()}
        if rng.random() < 0.7:
            question["duur_minuten"] = str(rng.choice([5, 10, 15, 20, 30, 45]))
        day = first + dt.timedelta(days=rng.randrange(days))
        moment = dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60)), AMS)
        visit_register(user=staff, location=rng.choice(locations), questions=[question], started_at=moment,
                       kanaal=rng.choice(["INLOOP", "INLOOP", "INLOOP", "SPREEKUUR", "TELEFOON"]))


def run_attack(client, periods: list[str]) -> tuple[attack.Observed, attack.World]:
    from balie.insight.views.dashboard import scope_locations

    def get(params: dict[str, str]) -> str:
        response = client.get("/inzicht/", params)
        assert response.status_code == 200, params
        return response.content.decode()

    world = attack.World(scope_locations(client.user) if hasattr(client, "user") else [])
    seen = attack.Observed()
    for period in periods:
        attack.observe(get, world, period, into=seen)
    return seen, world


@pytest.mark.parametrize("shape,seed", [("demo", 3), ("demo", 17), ("desk", 5)])
def test_differencing_the_dashboard_recovers_no_hidden_cell(network, users, client_for, shape, seed):
    if shape == "demo":
        demo_shape(seed, 2500)
    else:
        desk_shape(users, seed, 300)
    client = client_for("gemeente")
    client.user = users["gemeente"]
    seen, world = run_attack(client, [LAST_MONTH.strftime("%Y-%m")])
    truth = world.truth(set(seen.published) | {c for t, ps in seen.equations for c in [t, *ps]})
    outcome = attack.judge(seen, truth)
    big = [abs(t - p) for t, p in outcome.errors if t >= 20]
    print(f"\n{shape}/{seed}: {seen.requests} requests, {len(seen.published)} cells, {len(seen.equations)} equations; "
          f"{outcome.hidden_small} cells of 1-4 published; recovered for certain: {len(outcome.recovered)}; "
          f"naive total-minus-slices right {outcome.naive_hits}/{outcome.naive_tries}; "
          f"inconsistent: {len(outcome.inconsistent)}; MAE (true >= 20): {statistics.mean(big) if big else 0:.2f} over {len(big)}")
    assert outcome.hidden_small > 20  # the data really has small cells to attack
    assert not outcome.inconsistent, outcome.inconsistent[:5]
    print(sorted(outcome.recovered, key=str))
    assert outcome.recovered == [], outcome.recovered[:10]
    _ = privacy
