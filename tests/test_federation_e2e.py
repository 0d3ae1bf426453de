"""A hub and a node on two databases (docs/federatie.md): the hub is a real server process on its own SQLite file,
the node is this test's database. Nothing is shared but HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from balie.core import privacy
from balie.core.models import Code, CodeListVersion
from balie.desk.services import visit_register
from balie.network.models import Location

ROOT = Path(__file__).resolve().parent.parent
AMS = ZoneInfo("Europe/Amsterdam")
PUBLISH_V2 = """
from balie.accounts.models import User
from balie.core import services
u = User.objects.create_user("hub-landelijk", password="x", role="landelijk")
draft = services.draft_create(user=u, description="Versie 2: een nieuwe instantie")
services.code_save(user=u, version=draft, list_name="instantie", code="OMGEVINGSLOKET", label="Omgevingsloket", bestuurslaag="RIJK")
services.draft_publish(user=u, version=draft)
"""


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    db = tmp_path_factory.mktemp("hub") / "hub.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "balie.settings_test", "DATABASE_URL": f"sqlite:///{db}",
           "PYTHONPATH": str(ROOT)}
    env.pop("BALIE_HUB_URL", None)
    manage(env, "migrate", "--noinput", "-v", "0")
    token = manage(env, "federatie_knooppunt_toevoegen", "BIB-NOORD", "--naam", "Bibliotheek Noord").strip().splitlines()[-1]
    token2 = manage(env, "federatie_knooppunt_toevoegen", "BIB-ZUID", "--naam", "Bibliotheek Zuid").strip().splitlines()[-1]
    manage(env, "shell", stdin=PUBLISH_V2)
    port = free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/federatie/v1/codelijsten", timeout=2)
        except urllib.error.HTTPError:
            break  # 401: the server answers
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("de hub startte niet")
            time.sleep(0.3)
    yield {"url": url, "token": token, "token2": token2, "db": db, "env": env}
    server.terminate()
    server.wait(timeout=20)


def hub_rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def sync(*args: str) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("federatie_sync", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_a_node_pulls_code_lists_delivers_its_figures_once_and_can_withdraw_them(hub, users, settings, clock_from):
    settings.BALIE_PII_NAMES = False
    settings.BALIE_HUB_URL, settings.BALIE_HUB_TOKEN = hub["url"], hub["token"]
    # The node's sync reads its own clock: from noon, so no month can end between here and there.
    today = clock_from(timezone.localdate()).date()
    # The last month that has ended: a node sends ended months only (a running quarter or year up to that month).
    day = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    quarter = f"{day.year}-K{(day.month - 1) // 3 + 1}"
    location = Location.objects.get(code="RDAM-CENTRAAL")
    for i in range(31):
        visit_register(user=users["medewerker"], location=location, started_at=dt.datetime.combine(day, dt.time(9, i), AMS),
                       questions=[{"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST",
                                   "notitie": "Meneer Pietersen, 0687654321, woont aan de Kerkstraat 12"}])
    for i in range(2):
        visit_register(user=users["medewerker"], location=location, started_at=dt.datetime.combine(day, dt.time(11, i), AMS),
                       questions=[{"instantie": "SVB", "onderwerp": "AANVRAGEN", "uitkomst": "OPGELOST"}])

    first = sync("--maanden", "1")
    assert first["codelijsten_opgehaald"] == [2] and first["codelijstversie"] == 2
    assert Code.objects.filter(version__number=2, code="OMGEVINGSLOKET").exists(), "the new national code arrived"
    assert not CodeListVersion.objects.get(number=2).is_draft
    assert {s["periode"] for s in first["verzonden"]} >= {quarter, str(day.year), f"{day:%Y-%m}"}
    assert all(s["gewijzigd"] for s in first["verzonden"])

    # The hub's figures for the quarter hold the node's questions: the published (noisy) total, and "<5" for SVB.
    figures = dict(((d, c), n) for d, c, n in hub_rows(
        hub["db"], "SELECT f.dimension, f.code, f.n FROM insight_deliveredfigure f JOIN insight_deliveredperiod p "
        "ON f.delivery_id = p.id WHERE p.source = 'BIB-NOORD' AND p.period = ? AND f.gemeente = 'GM0599'", (quarter,)))
    assert abs(figures[("T", "")] - 33) <= privacy.MAX_NOISE and figures[("I", "SVB")] is None
    dump = json.dumps(hub_rows(hub["db"], "SELECT * FROM insight_deliveredfigure"))
    for planted in ("Pietersen", "0687654321", "Kerkstraat", "RDAM"):
        assert planted not in dump
    calls = hub_rows(hub["db"], "SELECT transaction_id FROM federation_call WHERE direction = 'in' AND status = 200")
    from balie.federation.models import Call

    assert {t for (t,) in calls} == set(Call.objects.filter(direction="uit").values_list("transaction_id", flat=True)), (
        "each call is logged on both sides under the same transaction id")

    second = sync("--maanden", "1")
    assert second["codelijsten_opgehaald"] == [] and second["gewijzigd"] == 0, "a second sync changes nothing"

    assert sync("--intrekken")["ingetrokken"] == len(first["verzonden"])
    assert hub_rows(hub["db"], "SELECT COUNT(*) FROM insight_deliveredfigure") == [(0,)]

    settings.BALIE_HUB_TOKEN = hub["token"][:-3] + "abc"
    with pytest.raises(CommandError, match="401"):
        sync()
    settings.BALIE_HUB_TOKEN = hub["token"]
    manage(hub["env"], "federatie_knooppunt_beheren", "BIB-NOORD", "--schorsen")
    with pytest.raises(CommandError, match="geschorst"):
        sync()
    manage(hub["env"], "federatie_knooppunt_beheren", "BIB-NOORD", "--toelaten")
    assert sync("--maanden", "0")["verzonden"]


@pytest.mark.django_db
def test_a_node_refuses_a_hub_over_plain_http_outside_this_machine(settings):
    settings.BALIE_HUB_URL, settings.BALIE_HUB_TOKEN = "http://hub.example.nl", "X.y"
    with pytest.raises(CommandError, match="https"):
        sync()
    settings.BALIE_HUB_URL = ""
    with pytest.raises(CommandError, match="geen knooppunt"):
        sync()


# What the hub's landelijk role sees, read on the hub itself (its database, its views) and printed as JSON.
HUB_LOOK = """
import csv, io, json
from django.test import Client
from balie.accounts.models import User
from balie.insight import national
from balie.insight.periods import Period
from balie.signals.models import Signal
from django.conf import settings
settings.BALIE_REQUIRE_2FA = False  # this look is not about signing in (tests/test_twofactor.py is)
c = Client()
c.force_login(User.objects.get(username="hub-landelijk"))
board = c.get("/inzicht/?periode=QUARTER").content.decode()
merged = national.merged(Period.parse("QUARTER"))
signals = []
for s in Signal.objects.filter(scope_kind="landelijk"):
    page = c.get(f"/signalen/{s.uuid}/").content.decode()
    signals.append({"instantie": s.instantie, "nodes": sorted(r.source for r in s.node_reports.all()),
                    "shown": [n for n in ("Bibliotheek Noord", "Bibliotheek Zuid") if n in page], "leaked": "Pietersen" in page})
rows = csv.DictReader(io.StringIO(c.get("/inzicht/open-data.csv").content.decode()))
print(json.dumps({"board": "Vragen, met de knooppunten" in board, "delivered": [code for code, _ in merged.delivered],
                  "total": merged.grand_total()[1].known, "svb": merged.by("I", per="code").get("SVB", [None, national.Sum()])[1].text,
                  "signals": signals, "open_data": {f"{r['jaar']}-K{r['kwartaal']}": int(r["aantal_vragen"]) for r in rows
                                                    if r["gemeente_code"] == "GM0599" and r["dimensie"] == "instantie" and r["code"] == "DIGID"}}))
"""


def hub_look(hub: dict, quarter: str) -> dict:
    return json.loads(manage(hub["env"], "shell", stdin=HUB_LOOK.replace("QUARTER", quarter)).strip().splitlines()[-1])


@pytest.mark.django_db
def test_the_hub_counts_the_node_in_its_national_views_and_merges_signals_of_two_nodes(hub, users, settings, clock_from):
    from balie.network.models import Organisation
    from balie.signals import services as signal_services
    from balie.signals.models import Signal
    from balie.signals.workflow import record_creation

    settings.BALIE_PII_NAMES = False
    settings.BALIE_HUB_URL, settings.BALIE_HUB_TOKEN = hub["url"], hub["token"]
    # The node's sync reads its own clock: from noon, so no month or quarter can end between here and there.
    today = clock_from(timezone.localdate()).date()
    # The last month of the last quarter that has ended: the open data holds whole quarters only.
    quarter_end = (today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1) - dt.timedelta(days=1)).replace(day=1)
    quarter = f"{quarter_end.year}-K{(quarter_end.month - 1) // 3 + 1}"
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    months_back = (last.year - quarter_end.year) * 12 + last.month - quarter_end.month
    location = Location.objects.get(code="RDAM-CENTRAAL")
    for i in range(20):
        visit_register(user=users["medewerker"], location=location, started_at=dt.datetime.combine(quarter_end, dt.time(9, i), AMS),
                       questions=[{"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", "notitie": "Meneer Pietersen"}])
    for i in range(3):
        visit_register(user=users["medewerker"], location=location, started_at=dt.datetime.combine(quarter_end, dt.time(11, i), AMS),
                       questions=[{"instantie": "SVB", "onderwerp": "AANVRAGEN", "uitkomst": "OPGELOST"}])
    # A coordinator on the node confirms a rise at UWV with "ook landelijk melden".
    week = today - dt.timedelta(days=today.weekday() + 7)
    signal = Signal.objects.create(
        kind="aantal", scope_kind="organisatie", scope_key="organisatie:BIB-RDAM", organisation=Organisation.objects.get(code="BIB-RDAM"),
        instantie="UWV", start_week=week - dt.timedelta(weeks=1), end_week=week, observed=48, expected=12.0, effect=3.0, q_value=0.01,
        evidence={"weekly": [], "examples": ["Meneer Pietersen kan niet uploaden"]})
    record_creation(signal)
    signal_services.confirm(signal, by=users["coordinator"], description="Uploaden bij UWV mislukt", impact="Aanvraag blijft liggen",
                            national=True)

    result = sync("--maanden", str(max(months_back, 1)))
    assert quarter in {s["periode"] for s in result["verzonden"]}
    assert result["signalen"] == [{"id": str(signal.uuid), "gewijzigd": True, "landelijk_signaal": None}]
    # A second node reports the same instantie (straight over HTTP with its own key).
    body = {"instantie": "UWV", "eerste_week": week.isoformat(), "laatste_week": week.isoformat(), "aantal": 30, "verwacht": 9,
            "omschrijving": "Documenten uploaden bij UWV lukt niet", "open": True}
    request = urllib.request.Request(f"{hub['url']}/api/federatie/v1/signalen/0190a0b0-0000-7000-8000-000000000002",
                                     data=json.dumps(body).encode(), method="PUT", headers={
                                         "Authorization": f"Bearer {hub['token2']}", "Content-Type": "application/json",
                                         "Fsc-Transaction-Id": "0190a0b0-0000-7000-8000-00000000000a"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["landelijk_signaal"]

    seen = hub_look(hub, quarter)
    assert seen["board"] and "BIB-NOORD" in seen["delivered"]
    assert abs(seen["total"] - 23) <= privacy.MAX_NOISE and seen["svb"] == "<5", "the node's figures, suppressed"
    assert abs(seen["open_data"][quarter] - 20) <= privacy.MAX_NOISE
    assert seen["signals"] == [{"instantie": "UWV", "nodes": ["BIB-NOORD", "BIB-ZUID"], "shown": ["Bibliotheek Noord", "Bibliotheek Zuid"],
                                "leaked": False}], "one national signal, both nodes named"
    assert sync("--maanden", str(max(months_back, 1)))["gewijzigd"] == 0, "a second sync changes nothing"

    withdrawn = sync("--intrekken")
    assert withdrawn["ingetrokken"] >= 1 and withdrawn["signalen_ingetrokken"] == 1
    seen = hub_look(hub, quarter)
    assert "BIB-NOORD" not in seen["delivered"] and seen["total"] == 0 and quarter not in seen["open_data"]
    assert seen["signals"][0]["nodes"] == ["BIB-ZUID"] and seen["signals"][0]["shown"] == ["Bibliotheek Zuid"]
