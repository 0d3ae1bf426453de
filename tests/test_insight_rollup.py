"""Rollups: kept current by every write, identical to a count of the raw registrations, rebuildable."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from balie.core import privacy
from balie.demo.registrations import generate
from balie.desk import journal, services
from balie.desk.exchange import importing
from balie.desk.models import JournalEntry, Question
from balie.insight import dims, rollup
from balie.insight.models import Cell, HourCell
from balie.network.models import Location

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.BALIE_PII_NAMES = False


def expected_cells() -> tuple[Counter, Counter]:
    """Every cell recounted in Python from the raw rows: the definition the rollups must match."""
    cells: Counter = Counter()
    hours: Counter = Counter()
    for q in Question.objects.values("date", "started_at", "location_id", "duration_minutes", "tally", "visit_id", "position",
                                     *dims.FIELDS.values()):
        f = journal.fact(q)
        for cube, a, b in dims.cell_keys(f):
            key = (cube, a, f.month, f.location_id, b)
            cells[(*key, "n")] += 1
            cells[(*key, "minutes")] += f.minutes or 0
            cells[(*key, "timed")] += f.minutes is not None
            cells[(*key, "tallied")] += f.tally
            # The cell key (ADR 0015): the sum of the record keys, whichever path (rebuild in SQL, journal) counted them.
            cells[(*key, "k")] = (cells[(*key, "k")] + f.key) % privacy.KEY_SPACE
        hours[(f.month, f.location_id, f.weekday, f.hour, "n")] += 1
        hours[(f.month, f.location_id, f.weekday, f.hour, "k")] = (hours[(f.month, f.location_id, f.weekday, f.hour, "k")] + f.key) % privacy.KEY_SPACE
    return +cells, +hours


def stored_cells() -> tuple[Counter, Counter]:
    cells: Counter = Counter()
    for row in Cell.objects.values("cube", "a", "month", "location_id", "b", "n", "minutes", "timed", "tallied", "k"):
        key = (row["cube"], row["a"], row["month"], row["location_id"], row["b"])
        for m in ("n", "minutes", "timed", "tallied"):
            cells[(*key, m)] += row[m]
        cells[(*key, "k")] = row["k"] % privacy.KEY_SPACE
    hours: Counter = Counter()
    for r in HourCell.objects.all():
        hours[(r.month, r.location_id, r.weekday, r.hour, "n")] = r.n
        hours[(r.month, r.location_id, r.weekday, r.hour, "k")] = r.k % privacy.KEY_SPACE
    return +cells, +hours


def assert_consistent() -> None:
    rollup.fold()  # what the dashboards do before they read
    assert not JournalEntry.objects.exists()
    expected, expected_hours = expected_cells()
    stored, stored_hours = stored_cells()
    assert stored == expected
    assert stored_hours == expected_hours
    # And against plain SQL on the raw table, per single dimension.
    with connection.cursor() as cur:
        for letter in ("K", "V", "I", "O", "C", "U", "L"):
            cur.execute(f"SELECT {dims.FIELDS[letter]}, COUNT(*), COALESCE(SUM(duration_minutes), 0) FROM desk_question "
                        f"GROUP BY {dims.FIELDS[letter]}")
            raw = {code: (n, m) for code, n, m in cur.fetchall()}
            cur.execute("SELECT b, SUM(n), SUM(minutes) FROM insight_cell WHERE cube = %s AND a = '' GROUP BY b HAVING SUM(n) <> 0", [letter])
            assert {code: (n, m) for code, n, m in cur.fetchall()} == raw
        for letter in ("B", "A"):
            for code in {key[4] for key in stored if key[0] == letter and key[4]}:
                cur.execute(f"SELECT COUNT(*) FROM desk_question WHERE {dims.FIELDS[letter]} LIKE %s", [f"%|{code}|%"])
                raw_n = cur.fetchone()[0]
                cur.execute("SELECT SUM(n) FROM insight_cell WHERE cube = %s AND a = '' AND b = %s", [letter, code])
                assert cur.fetchone()[0] == raw_n


def test_it_rebuilds_to_the_raw_counts(network):
    generate(registrations=1500, years=2, seed=3)
    assert not Cell.objects.exists()  # generate() bypasses the services
    rollup.rebuild()
    assert Cell.objects.filter(cube="I:O").exists() and HourCell.objects.exists()
    assert_consistent()


def test_it_rebuilds_a_period_without_touching_other_months(network):
    generate(registrations=800, years=2, seed=4)
    rollup.rebuild()
    months = sorted(Cell.objects.values_list("month", flat=True).distinct())
    Cell.objects.filter(month=months[-1]).update(n=999)  # damage the last month
    HourCell.objects.filter(month=months[0]).delete()  # and the first
    call_command("rebuild_rollups", "--from", months[-1].isoformat(), "--to", months[-1].isoformat(), stdout=open("/dev/null", "w"))
    rollup.rebuild(months[0], months[0])
    assert_consistent()


def test_it_stays_current_through_random_writes(network, users):
    generate(registrations=300, years=1, seed=5)
    rollup.rebuild()
    rng = random.Random(7)
    staff = [users["medewerker"], users["coordinator"], users["collega"]]
    locations = list(Location.objects.filter(organisation__code="BIB-RDAM", active=True))
    options = [
        {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", "behoefteprofielen": ["WEGWIJS", "STEUN"],
         "complexiteit": "2", "duur_minuten": "15", "leeftijdsgroep": "65_74"},
        {"instantie": "BELASTINGDIENST", "onderwerp": "AANGIFTE", "uitkomst": "DOORVERWEZEN", "achterliggend": ["FINANCIEEL"]},
        {"instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "DEELS", "duur_minuten": "30", "behoefteprofielen": ["FYSIEKE_HULP"]},
        {"instantie": "WONEN_WOONSTAD", "onderwerp": "BETALEN", "uitkomst": "NIET_OPGELOST", "complexiteit": "4"},
    ]
    for step in range(60):
        action = rng.random()
        if action < 0.45:
            moment = dt.datetime.now(AMS) - dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 5))
            services.visit_register(user=rng.choice(staff), location=rng.choice(locations),
                                    questions=[rng.choice(options) for _ in range(rng.randint(1, 3))], started_at=moment,
                                    kanaal=rng.choice(["", "TELEFOON", "INLOOP"]))
        elif action < 0.55:
            services.tally_add(user=rng.choice(staff), location=rng.choice(locations), instantie="DIGID", onderwerp="INLOGGEN")
        elif action < 0.8:
            question = Question.objects.filter(organisation__code="BIB-RDAM").order_by("?").first()
            moved = rng.random() < 0.4
            services.question_update(
                user=users["coordinator"], question=question, data=rng.choice(options),
                started_at=(dt.datetime.now(AMS) - dt.timedelta(days=rng.randint(40, 90))) if moved else None,
                kanaal="ONLINE" if moved else None,
            )
        else:
            question = Question.objects.filter(organisation__code="BIB-RDAM").order_by("?").first()
            services.question_delete(user=users["coordinator"], question=question)
        if step % 20 == 19:
            assert_consistent()
    assert_consistent()


def test_it_counts_an_import_and_rolls_back_with_it(network, users):
    header = "organisatie,locatie,bezoek,datum,tijd,kanaal,vraagsoort,instantie,onderwerp,digid_detail,behoefteprofielen,complexiteit,achterliggend,uitkomst,duur_minuten,leeftijdsgroep,taal,notitie"
    rows = [
        "BIB-RDAM,RDAM-CENTRAAL,1,2024-03-12,10:15,,,DIGID,INLOGGEN,APP,WEGWIJS|STEUN,2,,OPGELOST,15,65_74,NL,",
        "BIB-RDAM,RDAM-CENTRAAL,1,2024-03-12,10:15,,,UWV,BERICHT,,,,FINANCIEEL,DOORVERWEZEN,,,,",
        "BIB-GOUDA,GOUDA-CHOCOLADEFABRIEK,2,2024-01-05,09:05,TELEFOON,,UWV,BERICHT,,,,,OPGELOST,20,,,",
    ]
    importing.import_text("\n".join([header, *rows]) + "\n")
    assert Question.objects.count() == 3
    assert_consistent()
    # A file with an error saves nothing, and counts nothing.
    with pytest.raises(importing.ImportRejected):
        importing.import_text("\n".join([header, rows[0], rows[1].replace("UWV", "ONBEKEND")]) + "\n")
    assert_consistent()


def test_it_rebuilds_for_a_big_import(network, settings, monkeypatch):
    monkeypatch.setattr(rollup, "REBUILD_ABOVE", 2)  # the fold then recounts the journaled months
    generate(registrations=200, years=1, seed=8)
    rollup.rebuild()
    header = "organisatie,locatie,bezoek,datum,tijd,kanaal,vraagsoort,instantie,onderwerp,digid_detail,behoefteprofielen,complexiteit,achterliggend,uitkomst,duur_minuten,leeftijdsgroep,taal,notitie"
    day = (dt.date.today() - dt.timedelta(days=20)).isoformat()
    rows = [f"BIB-RDAM,RDAM-CENTRAAL,{i},{day},10:1{i},,,DIGID,INLOGGEN,,,,,OPGELOST,{i + 1},,," for i in range(5)]
    importing.import_text("\n".join([header, *rows]) + "\n")
    assert_consistent()


def test_the_import_journals_its_facts_and_insight_folds_them_once_it_commits(network, django_capture_on_commit_callbacks):
    header = "organisatie,locatie,bezoek,datum,tijd,kanaal,vraagsoort,instantie,onderwerp,digid_detail,behoefteprofielen,complexiteit,achterliggend,uitkomst,duur_minuten,leeftijdsgroep,taal,notitie"
    rows = [f"BIB-RDAM,RDAM-CENTRAAL,{i},2024-03-12,10:15,,,DIGID,INLOGGEN,,WEGWIJS,,,OPGELOST,15,,," for i in range(3)]
    rollup.rebuild()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        importing.import_text("\n".join([header, *rows]) + "\n")
    # Three identical questions are one journal row of weight 3; no cell is touched inside the import.
    assert list(JournalEntry.objects.values_list("n", flat=True)) == [3] and not Cell.objects.exists()
    for callback in callbacks:
        callback()  # desk.signals.registrations_imported: insight folds in the worker that ran the import
    assert not JournalEntry.objects.exists() and Cell.objects.get(cube="I", a="", b="DIGID").n == 3
    assert_consistent()


def test_load_demo_builds_the_rollups(network):
    call_command("load_demo", registrations=400, years=1, quiet=True, stdout=open("/dev/null", "w"))
    assert_consistent()


@pytest.mark.parametrize("filters", [
    (),
    (("I", frozenset({"DIGID"})),),
    (("I", frozenset({"BELASTINGDIENST", "TOESLAGEN", "UWV"})),),  # a bestuurslaag is a set of instanties
    (("B", frozenset({"FYSIEKE_HULP"})),),
    (("K", frozenset({"INLOOP"})),),
    (("U", frozenset({"DOORVERWEZEN"})),),
    (("L", frozenset({"65_74"})),),
])
def test_dashboard_figures_from_rollups_equal_the_raw_counts(network, filters):
    from balie.insight.figures import Query, add_months, from_raw, from_rollups

    call_command("load_demo", registrations=3000, years=3, quiet=True, stdout=open("/dev/null", "w"))
    this_month = dt.date.today().replace(day=1)
    rdam = tuple(Location.objects.filter(organisation__code="BIB-RDAM").values_list("pk", flat=True))
    for locations, months in ((None, 12), (rdam, 12), (rdam, 3)):
        query = Query(first=add_months(this_month, -months + 1), last=this_month, locations=locations, filters=filters)
        rolled, raw = from_rollups(query), from_raw(query)
        assert rolled.total > 0
        assert rolled.comparable() == raw.comparable()


def _desk_question(users, **extra):
    location = Location.objects.get(code="RDAM-CENTRAAL")
    data = {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", "duur_minuten": "15", **extra}
    visit, _ = services.visit_register(user=users["medewerker"], location=location, questions=[data])
    return visit.questions.get()


def test_a_desk_save_journals_one_row_and_fold_counts_it_once(network, users):
    rollup.rebuild()
    question = _desk_question(users, behoefteprofielen=["WEGWIJS", "STEUN"])
    # The save itself touches no cell: one journal row instead of ~75 upserts.
    assert JournalEntry.objects.count() == 1 and not Cell.objects.exists() and not HourCell.objects.exists()
    assert rollup.fold() == 1
    assert rollup.fold() == 0  # folding again counts nothing twice
    assert Cell.objects.get(cube="I", a="", b="DIGID").n == 1
    assert Cell.objects.get(cube="B", a="", b="STEUN").n == 1
    assert_consistent()
    # A correction journals the old fact out and the new one in; a correction the rollups cannot see, nothing.
    services.question_update(user=users["coordinator"], question=question, data={
        "instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "OPGELOST", "duur_minuten": "15"})
    assert sorted(JournalEntry.objects.values_list("n", flat=True)) == [-1, 1]
    rollup.fold()
    question.refresh_from_db()
    services.question_update(user=users["coordinator"], question=question, data={
        "instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "OPGELOST", "duur_minuten": "15", "notitie": "Brief bekeken"})
    assert not JournalEntry.objects.exists()
    services.question_delete(user=users["coordinator"], question=question)
    assert list(JournalEntry.objects.values_list("n", flat=True)) == [-1]
    assert_consistent()
    assert not Cell.objects.filter(n__gt=0).exists()


def test_the_dashboard_figures_include_a_save_at_once(network, users):
    from balie.insight.figures import Query, from_raw, from_rollups

    rollup.rebuild()
    _desk_question(users)
    month = dt.date.today().replace(day=1)
    query = Query(first=month, last=month, locations=None, filters=())
    assert from_rollups(query).total == 1 == from_raw(query).total
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("filters", [(), (("I", frozenset({"DIGID"})), ("O", frozenset({"INLOGGEN"})))])
def test_compute_folds_the_journal_once_and_both_of_its_reads_see_the_save(network, users, monkeypatch, filters):
    # The figures (rollups, or the raw table with two filters) and the first registered month both read after one fold.
    from balie.insight import figures

    rollup.rebuild()
    question = _desk_question(users)
    folds = []
    real_fold = rollup.fold
    monkeypatch.setattr(rollup, "fold", lambda *a, **k: folds.append(real_fold(*a, **k)) or folds[-1])
    month = dt.date.today().replace(day=1)
    fig = figures.compute(figures.Query(first=month, last=month, locations=(question.location_id,), filters=filters))
    assert folds == [1]  # one fold, which counted the save in
    assert fig.total == 1 and fig.prev_partial_from == month  # Balie was used here from this month on


def test_a_rebuild_does_not_count_the_journal_twice(network, users):
    generate(registrations=200, years=1, seed=9)
    _desk_question(users)
    assert JournalEntry.objects.count() == 1
    rollup.rebuild(dt.date.today(), dt.date.today())  # this month's journal is in the recount
    assert not JournalEntry.objects.exists()
    rollup.rebuild()
    assert_consistent()


def test_the_command_folds_the_journal(network, users):
    import io

    rollup.rebuild()
    _desk_question(users)
    _desk_question(users, instantie="UWV", onderwerp="BERICHT")
    out = io.StringIO()
    call_command("rebuild_rollups", "--pending", stdout=out)
    assert out.getvalue().strip() == "2 wachtende wijzigingen verwerkt."
    assert_consistent()


@pytest.mark.django_db(transaction=True)
def test_desks_and_folds_at_the_same_moment_count_every_question_once(settings):
    """Real threads and transactions: folds claim disjoint journal rows (SKIP LOCKED), saves never wait on cells."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from balie.accounts.models import User
    from balie.demo.network import build_network
    from balie.network.reference import ensure_reference_data

    if connection.vendor == "sqlite":
        pytest.skip("gelijktijdige transacties alleen te testen op PostgreSQL (CI draait de suite ook daarop)")
    settings.BALIE_PII_NAMES = False
    ensure_reference_data()
    build_network()
    user = User.objects.get(username="medewerker")
    location = Location.objects.get(code="RDAM-CENTRAAL")
    workers = 6
    start = threading.Barrier(workers)

    def work(index: int) -> None:
        try:
            start.wait()
            for i in range(8):
                if index % 2:
                    services.visit_register(user=user, location=location, questions=[
                        {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", "duur_minuten": str(5 + i)},
                        {"instantie": "UWV", "onderwerp": "BERICHT", "uitkomst": "DEELS", "behoefteprofielen": ["STEUN"]},
                    ])
                else:
                    rollup.fold(batch=3)
        finally:
            connection.close()

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, range(workers)))
    assert Question.objects.count() == 3 * 8 * 2
    assert_consistent()
