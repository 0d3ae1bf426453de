"""The national open-data file: questions per quarter, municipality and code, suppressed, with a data dictionary.

Public (no login): it holds only aggregates that already passed small-cell suppression, the same as
what the landelijk role sees; publishing it is the point of open data (ADR 0010).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from balie.core import privacy
from balie.core.spreadsheet import safe_row
from balie.network.models import Gemeente, Location

from . import delivered, rollup, tables
from .models import DeliveredFigure, DeliveredPeriod
from .periods import Period

DIMENSIONS = [("V", "vraagsoort"), ("I", "instantie"), ("O", "onderwerp"), ("U", "uitkomst"), ("K", "kanaal"), ("C", "complexiteit")]
COLUMNS = ["jaar", "kwartaal", "provincie", "gemeente_code", "gemeente", "dimensie", "code", "omschrijving", "aantal_vragen"]
DICTIONARY = [
    ("jaar", gettext_noop("Kalenderjaar van de vragen.")),
    ("kwartaal", gettext_noop("Kwartaal 1 tot en met 4.")),
    ("provincie", gettext_noop("Provincie van de gemeente.")),
    ("gemeente_code", gettext_noop("CBS-gemeentecode (GMxxxx) van de locatie waar de vraag gesteld werd.")),
    ("gemeente", gettext_noop("Naam van de gemeente.")),
    ("dimensie", gettext_noop("Welke codelijst: vraagsoort, instantie, onderwerp, uitkomst, kanaal of complexiteit (zie de landelijke codelijsten).")),
    ("code", gettext_noop("De landelijke code; leeg betekent: niet ingevuld.")),
    ("omschrijving", gettext_noop("De omschrijving van de code.")),
    ("aantal_vragen", gettext_noop("Aantal vragen, met een kleine vaste afwijking (hoogstens 3) zodat een klein aantal niet uit andere cijfers te "
                      "herleiden is. Een code met minder dan 5 vragen (of geen) staat er niet in. Elke vraag telt één keer per dimensie; "
                      "door de afwijking en de weggelaten kleine aantallen tellen de rijen niet precies op tot een totaal.")),
]
CACHE_SECONDS = 600


def years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this - 4, this + 1))


def rows() -> list[list[str]]:
    """Whole quarters of the last five years; the current quarter is incomplete and left out."""
    today = timezone.localdate()
    current_q_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    first = dt.date(today.year - 4, 1, 1)
    locations = {loc.pk: loc.gemeente for loc in Location.objects.select_related("gemeente")}
    gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
    from_nodes = _delivered(first, current_q_start)
    rollup.fold()  # the desks' latest saves wait in the journal
    adapt = connection.ops.adapt_datefield_value
    out: list[list[str]] = []
    for letter, name in DIMENSIONS:
        # The published file is one Dutch dataset for everybody (and cached for all): never in a visitor's language.
        with translation.override("nl"):
            names = tables.labels(letter)
        counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        with connection.cursor() as cur:
            cur.execute("SELECT month, location_id, b, SUM(n), SUM(k) FROM insight_cell WHERE cube = %s AND a = '' AND month >= %s "
                        "AND month < %s GROUP BY month, location_id, b", [letter, adapt(first), adapt(current_q_start)])
            for month, loc, code, n, k in cur.fetchall():
                month = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10])
                gemeente = locations.get(loc)
                if gemeente is None:
                    continue
                counts[(month.year, (month.month - 1) // 3 + 1, gemeente.provincie, gemeente.cbs_code, gemeente.naam)][code] += (
                    privacy.Count(n, int(k)))
        shown_of: dict[tuple, dict[str, int]] = defaultdict(dict)
        for key, codes in counts.items():
            for code, count in codes.items():
                # The same cell as on the landelijk dashboard (quarter, gemeente, code): the same number (ADR 0015).
                shown = privacy.published(count, suppressed=True)
                if shown is not None:  # fewer than 5 (or none): no row; a "<5" row would say "at least 1"
                    shown_of[key][code] = shown
        # On a hub: every node's published cell of that quarter is added; a node's "<5" is not counted either.
        for (year, quarter, cbs, dimension, code), n in from_nodes.items():
            g = gemeenten.get(cbs)
            if dimension == letter and g is not None:
                key = (year, quarter, g.provincie, g.cbs_code, g.naam)
                shown_of[key][code] = shown_of[key].get(code, 0) + n
        for key in sorted(shown_of):
            for code in sorted(shown_of[key]):
                out.append([str(key[0]), str(key[1]), key[2], key[3], key[4], name, code, names.get(code, code), str(shown_of[key][code])])
    return out


def _quarters(first: dt.date, until: dt.date) -> list[str]:
    keys, month = [], first
    while month < until:
        keys.append(f"{month.year}-K{(month.month - 1) // 3 + 1}")
        month = dt.date(month.year + (month.month >= 10), (month.month + 2) % 12 + 1, 1)
    return keys


def _delivered(first: dt.date, until: dt.date) -> dict[tuple[int, int, str, str, str], int]:
    """Nodes' published quarter cells, added per cell (a hub with nodes, ADR 0017). Their "<5" stays out."""
    out: dict[tuple[int, int, str, str, str], int] = defaultdict(int)
    rows = DeliveredFigure.objects.filter(delivery__period__in=_quarters(first, until), n__isnull=False).values_list(
        "delivery__period", "gemeente", "dimension", "code", "n")
    for period, gemeente, dimension, code, n in rows.iterator(chunk_size=5000):
        year, _, quarter = period.partition("-K")
        out[(int(year), int(quarter), gemeente, dimension, code)] += n
    return out


def delivered_quarters() -> list[dict]:
    """Per whole quarter in the file: which nodes delivered and which did not (only on a hub with nodes)."""
    if not delivered.in_use():
        return []
    today = timezone.localdate()
    current_q_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    names = delivered.sources()
    came: dict[str, set[str]] = defaultdict(set)
    keys = _quarters(dt.date(today.year - 4, 1, 1), current_q_start)
    for source, period in DeliveredPeriod.objects.filter(period__in=keys).values_list("source", "period"):
        came[period].add(source)
    return [{"period": Period.parse(key, today).name, "delivered": sorted(names.get(c, c) for c in came[key]),
             "missing": sorted(name for code, name in names.items() if code not in came[key])} for key in reversed(keys)]


def content() -> bytes:
    cached = cache.get("insight:open-data")
    if cached is None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows(safe_row(r) for r in rows())  # names come from code lists and coordinators: never a formula (M3)
        cached = buffer.getvalue().encode("utf-8")
        cache.set("insight:open-data", cached, CACHE_SECONDS)
    return cached


def response() -> HttpResponse:
    response = HttpResponse(content(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ido-vragen-open-data.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
