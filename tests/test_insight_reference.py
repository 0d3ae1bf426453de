"""Reference data behind the national figures: every 2026 municipality has a province and a population (CBS)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from balie.network import reference
from balie.network.models import Gemeente

pytestmark = pytest.mark.django_db


def test_the_shipped_2026_list_is_complete_and_plausible():
    rows = reference.current()
    assert len(rows) == 342 == len({r["cbs_code"] for r in rows}) == len({r["naam"] for r in rows})
    assert {r["provincie_code"]: r["provincie"] for r in rows} == reference.PROVINCES
    total = sum(int(r["inwoners"]) for r in rows)
    assert 17_900_000 < total < 18_400_000  # NL: 18.04 million on 1 January 2025
    per_province = Counter(r["provincie"] for r in rows)
    # Municipalities per province in 2023-2026 (CBS).
    assert per_province == {"Noord-Brabant": 56, "Gelderland": 51, "Zuid-Holland": 50, "Noord-Holland": 44, "Limburg": 31,
                            "Utrecht": 26, "Overijssel": 25, "Fryslân": 18, "Zeeland": 13, "Drenthe": 12, "Groningen": 10,
                            "Flevoland": 6}
    for r in rows:
        assert r["cbs_code"].startswith("GM") and len(r["cbs_code"]) == 6
        assert 900 <= int(r["inwoners"]) <= 1_000_000, r  # Schiermonnikoog to Amsterdam
        assert 50.7 < float(r["lat"]) < 53.6 and 3.3 < float(r["lon"]) < 7.3, r
    by_code = {r["cbs_code"]: r for r in rows}
    assert by_code["GM0599"]["naam"] == "Rotterdam" and by_code["GM0599"]["provincie"] == "Zuid-Holland"
    assert int(by_code["GM0363"]["inwoners"]) > 900_000  # Amsterdam, with Weesp since 2022


def test_every_merger_points_to_a_2026_municipality_and_the_2021_list_is_accounted_for():
    now = {r["cbs_code"] for r in reference.current()}
    merged = reference.mergers()
    assert {m["nieuwe_code"] for m in merged} <= now
    assert {m["nieuwe_naam"] for m in merged} >= {"Voorne aan Zee", "Dijk en Waard", "Land van Cuijk", "Maashorst"}
    with open(reference.DATA_2021, encoding="utf-8") as fh:
        old = {r["cbs_code"] for r in csv.DictReader(fh)}
    # Every 2021 municipality still exists or merged into one that does; nothing vanished.
    assert old - now == {m["oude_code"] for m in merged}
    assert len(old) - len(merged) + len(now - old) == 342


def test_the_database_has_the_2026_municipalities_active_and_the_merged_ones_inactive_with_a_province(network):
    active = Gemeente.objects.filter(active=True)
    assert active.count() == 342
    assert not active.filter(provincie="").exists() and not active.filter(inwoners__isnull=True).exists()
    assert len(set(active.values_list("provincie", flat=True))) == 12
    voorne = Gemeente.objects.get(cbs_code="GM1992")
    assert (voorne.naam, voorne.provincie, voorne.active) == ("Voorne aan Zee", "Zuid-Holland", True)
    brielle = Gemeente.objects.get(cbs_code="GM0501")
    assert (brielle.active, brielle.provincie, brielle.inwoners) == (False, "Zuid-Holland", None)
    assert not Gemeente.objects.filter(provincie="").exists()
    # Loading again changes nothing (the loader runs after every test flush).
    assert reference.load_gemeenten() == 0
    assert Gemeente.objects.count() == 342 + 14
