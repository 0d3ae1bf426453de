"""The differencing attack of review finding M1, generalised: what an outside viewer can work out from the dashboard.

An attacker with a gemeente (or landelijk) account asks the dashboard for one period with no code filter and then
with every single filter value (kanaal, vraagsoort, instantie, onderwerp, complexiteit, uitkomst, leeftijdsgroep,
bestuurslaag, locatie, and every month of a quarter). Every table with a "Totaal" row is an equation
"total = sum of its rows", and the same cell appears in several tables (the instantie row of the uitkomst=X page
is the uitkomst row of the instantie=Y page). The attacker knows the publication rule (the threshold and the noise
range are in the ADR), so each published number stands for an interval of possible true values; bounds propagation
over all equations narrows the intervals. A hidden cell is *recovered* when its interval shrinks to one value: the
attacker then knows it for certain. Bounds propagation is what the review did by hand (total minus slices), applied
until nothing changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from balie.core import codelists, privacy
from balie.core.dates import WEEKDAYS
from balie.desk.models import Question
from balie.insight import tables
from balie.insight.periods import MONTHS, Period
from balie.network.models import Location

BIG = 10**9
SMALL, OTHER = "<5", "×"
# Tables whose rows are a partition of the table's total (single-valued dimensions); the heat map is handled apart.
ROW_TABLES = {"instanties": "I", "onderwerpen": "O", "uitkomst": "U", "kanaal": "K", "vraagsoort": "V",
              "complexiteit": "C", "leeftijd": "L", "bestuurslaag": "LAAG", "locaties": "LOC", "maanden": "M", "buiten": "OUT"}
FILTER_PARAMS = {"K": "kanaal", "V": "vraagsoort", "I": "instantie", "O": "onderwerp", "C": "complexiteit", "U": "uitkomst",
                 "L": "leeftijdsgroep", "LAAG": "bestuurslaag", "LOC": "locatie"}
FIELDS = {"K": "kanaal", "V": "vraagsoort", "I": "instantie", "O": "onderwerp", "C": "complexiteit", "U": "uitkomst", "L": "leeftijdsgroep"}
OPTIONAL = {"C", "L"}  # may be empty: the filter value LEEG
PLACE_ONLY = {"LOC", "M"}  # the heat map follows period and place only


# ------------------------------------------------------------------ reading the page
class _Tables(HTMLParser):
    """Every <table> of the dashboard (caption id t-KEY) as header, body rows and total row, plus the key figures."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, tuple[str, str]] = {}
        self._table: dict[str, Any] | None = None
        self._part = ""
        self._row: list[str] | None = None
        self._text: list[str] | None = None
        self._dt: str | None = None
        self._in_keys = False
        self._key_parts: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "dl" and a.get("id") == "kerncijfers":
            self._in_keys = True
        if self._in_keys and tag in ("dt", "dd", "small"):
            if tag == "small" and self._text is not None:  # the value (dd's own text) ends where its detail starts
                self._key_parts.append("".join(self._text).strip())
            self._tag, self._text = tag, []
        if tag == "table":
            self._table = {"head": [], "rows": [], "total": None}
        elif self._table is not None:
            if tag == "caption":
                self._table["key"] = (a.get("id") or "")[2:]
            elif tag in ("thead", "tbody", "tfoot"):
                self._part = tag
            elif tag == "tr":
                self._row = []
            elif tag in ("th", "td"):
                self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._in_keys:
            if tag in ("dt", "dd", "small") and self._text is not None and not (tag == "dd" and self._tag == "small"):
                text = "".join(self._text).strip()
                if tag == "dt":
                    self._dt, self._key_parts = text, []
                else:
                    self._key_parts.append(text)
                self._text = None
            if tag == "div" and self._dt:
                self.keys[self._dt] = (self._key_parts[0] if self._key_parts else "", self._key_parts[1] if len(self._key_parts) > 1 else "")
                self._dt = None
            if tag == "dl":
                self._in_keys = False
            return
        if self._table is None:
            return
        if tag in ("th", "td") and self._row is not None and self._text is not None:
            self._row.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr" and self._row is not None:
            {"thead": self._table["head"].append, "tbody": self._table["rows"].append,
             "tfoot": lambda r: self._table.__setitem__("total", r)}.get(self._part, lambda r: None)(self._row)
            self._row = None
        elif tag == "table":
            self.tables[self._table.get("key", "")] = self._table
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def parse(html: str) -> _Tables:
    p = _Tables()
    p.feed(html)
    return p


def value(text: str) -> int | str | None:
    """A published cell: an int, "<5", "×", or None (no number: a dash or a percentage)."""
    text = text.strip()
    if text in (SMALL, OTHER):
        return text
    if re.fullmatch(r"\d{1,3}(\.\d{3})*", text):
        return int(text.replace(".", ""))
    return None


def possible(published: int | str) -> tuple[int, int]:
    """What a published value tells the attacker about the true count (the publication rule is public)."""
    if hasattr(privacy, "possible"):
        return privacy.possible(published)
    # ADR 0010's rule (before the fix): numbers are exact, "<5" is 1-4, "×" is some count above 0.
    if published == SMALL:
        return 1, privacy.THRESHOLD - 1
    if published == OTHER:
        return 1, BIG
    return int(published), int(published)


# ------------------------------------------------------------------ the world
Cell = tuple[str, frozenset]  # (period key, {(dimension, code), ...})


@dataclass
class Observed:
    published: dict[Cell, list[int | str]] = field(default_factory=lambda: defaultdict(list))
    equations: list[tuple[Cell, list[Cell]]] = field(default_factory=list)
    # What the page shows by being there: a table row appears only if the row has questions now or a year earlier,
    # so "now + a year earlier >= 1" (a synthetic cell); the same for an hour column outside the fixed 8-20 grid.
    at_least_one: set = field(default_factory=set)
    requests: int = 0
    shares: list[tuple[str, str, str, str]] = field(default_factory=list)  # (request, key figure, value, detail)


class World:
    """Names, codes and the truth of one municipality (or everything, for landelijk)."""

    def __init__(self, locations: Iterable[Location]):
        self.locations = list(locations)
        version = codelists.current_version()
        self.laag = codelists.bestuurslagen(version)
        self.names: dict[str, dict[str, str]] = {d: tables.labels(d) for d in FIELDS}
        self.names["LAAG"] = dict(tables.BESTUURSLAAG_LABELS)
        self.names["LOC"] = {loc.code: loc.naam for loc in self.locations}
        self.codes = {d: {name: code for code, name in names.items()} for d, names in self.names.items()}
        self.kind = {loc.pk: loc.kind for loc in self.locations}
        self.loc_code = {loc.pk: loc.code for loc in self.locations}

    def filter_values(self, dim: str) -> list[str]:
        """The values an attacker can put in the filter (the form's choices; LEEG for 'niet ingevuld')."""
        if dim == "LOC":
            return sorted(self.names["LOC"])
        if dim == "LAAG":
            return [k for k in tables.BESTUURSLAAG_LABELS if k != "OVERIG"]
        values = [c for c in self.names[dim] if c]
        return values + (["LEEG"] if dim in OPTIONAL else [])

    def row_code(self, table: str, label: str) -> str:
        dim = ROW_TABLES[table]
        if dim == "M":
            name, year = label.rsplit(" ", 1)
            return f"{year}-{MONTHS.index(name) + 1:02d}"
        if dim == "OUT":
            return label
        return self.codes[dim].get(label, label)

    def facts(self, q: dict[str, Any]) -> dict[str, Any]:
        local = timezone.localtime(q["started_at"])
        kanaal = q["kanaal"]
        if kanaal in ("TELEFOON", "ONLINE"):
            out = "Op afstand (telefoon, online)"
        elif kanaal == "LOCATIE" or self.kind.get(q["location_id"]) == "outreach":
            out = "Buiten de bibliotheek (op locatie)"
        else:
            out = "In de bibliotheek (balie en spreekuur)"
        f = {d: q[name] or "" for d, name in FIELDS.items()}
        f.update(LAAG=self.laag.get(q["instantie"], "OVERIG"), LOC=self.loc_code[q["location_id"]], M=q["date"].strftime("%Y-%m"),
                 OUT=out, WD=local.weekday(), H=local.hour)
        return f

    def truth(self, cells: Iterable[Cell]) -> dict[Cell, int]:
        """The true count of every cell, from the registrations (one pass per kind of cell)."""
        rows = list(Question.objects.filter(location__in=self.locations).values(
            "date", "started_at", "location_id", *FIELDS.values()))
        facts = [self.facts(q) for q in rows]
        by_sig: dict[tuple, list[Cell]] = defaultdict(list)
        for cell in cells:
            if cell[0] != "present":  # synthetic cells (tests/attack.py's own) have no truth of their own
                by_sig[(cell[0], tuple(sorted(d for d, _ in cell[1])))].append(cell)
        result: dict[Cell, int] = {}
        for (period, dims), group in by_sig.items():
            first, last = span(period)
            counts: Counter = Counter()
            for f in facts:
                if first <= f["M"] <= last:
                    counts[tuple(f[d] for d in dims)] += 1
            for cell in group:
                wanted = dict(cell[1])
                result[cell] = counts[tuple(wanted[d] for d in dims)]
        return result


def previous(period: str) -> str:
    """The comparison column's period: a running quarter or year is compared with the same months a year earlier
    (insight/periods.py), which is not a period key of its own: "2025-10..2025-11"."""
    p = Period.parse(period)
    if p.running:
        return f"{p.first.year - 1}-{p.first.month:02d}..{p.last.year - 1}-{p.last.month:02d}"
    return p.key.replace(str(p.first.year), str(p.first.year - 1), 1)


def span(period: str) -> tuple[str, str]:
    """First and last month ("2025-10") of a period key or of a "first..last" span."""
    if ".." in period:
        first, last = period.split("..")
        return first, last
    p = Period.parse(period)
    return p.first.strftime("%Y-%m"), p.last.strftime("%Y-%m")


# ------------------------------------------------------------------ asking the dashboard
def observe(get: Callable[[dict[str, str]], str], world: World, period: str, *, into: Observed | None = None) -> Observed:
    """Ask the dashboard for `period` without a filter and with every single filter value; months of a quarter too."""
    seen = into or Observed()
    requests: list[tuple[str, tuple[str, str] | None]] = [(period, None)]
    for dim, param in FILTER_PARAMS.items():
        requests += [(period, (dim, v)) for v in world.filter_values(dim)]
    p = Period.parse(period)
    if p.first != p.last:
        m = p.first
        while m <= min(p.last, dt.date.today().replace(day=1)):
            requests.append((m.strftime("%Y-%m"), None))
            m = (m + dt.timedelta(days=32)).replace(day=1)
    for per, flt in requests:
        params = {"periode": per}
        if flt:
            params[FILTER_PARAMS[flt[0]]] = flt[1]
        page = parse(get(params))
        seen.requests += 1
        read(page, world, per, flt, seen)
    return seen


def read(page: _Tables, world: World, period: str, flt: tuple[str, str] | None, seen: Observed) -> None:
    base = frozenset([(flt[0], "" if flt[1] == "LEEG" else flt[1])]) if flt else frozenset()
    prev = previous(period)
    label = f"{period} {flt or ''}"
    if "Vragen" in page.keys:
        v = value(page.keys["Vragen"][0])
        if v is not None:
            seen.published[(period, base)].append(v)
    for name, (val, detail) in page.keys.items():
        if "%" in val or "%" in detail:
            seen.shares.append((label, name, val, detail))
    for key, table in page.tables.items():
        if key == "uren":
            _read_heatmap(table, period, frozenset(c for c in base if c[0] in PLACE_ONLY), seen)
            continue
        if key not in ROW_TABLES or table["total"] is None:
            continue
        dim = ROW_TABLES[key]
        head = table["head"][0] if table["head"] else []
        cols = {"now": head.index("Vragen") if "Vragen" in head else 1,
                "prev": head.index("Een jaar eerder") if "Een jaar eerder" in head else None}
        if dim not in ("M", "OUT"):  # months and the three places are always there
            _read_presence(world, key, table, (period, prev), base, with_prev=cols["prev"] is not None, seen=seen)
        for which, col in cols.items():
            if col is not None:
                _read_column(world, key, table, col, period if which == "now" else prev, base, seen)


def _read_column(world: World, key: str, table: dict[str, Any], col: int, period: str, base: frozenset, seen: Observed) -> None:
    """One column of counts: every row a cell, the total row the sum of them."""
    dim = ROW_TABLES[key]
    parts: list[Cell] = []
    for row in table["rows"]:
        code = world.row_code(key, row[0])
        # A month row is its own period (its "year earlier" column the same month a year before).
        cell = _canon(world, ((code if period[:4] == code[:4] else previous(code)), base) if dim == "M" else (period, base | {(dim, code)}))
        if cell is None:
            continue
        v = value(row[col])
        if v is not None:
            seen.published[cell].append(v)
        parts.append(cell)
    v = value(table["total"][col])
    if v is not None:
        seen.published[(period, base)].append(v)
    seen.equations.append(((period, base), parts))


def _read_presence(world: World, key: str, table: dict[str, Any], periods: tuple[str, str], base: frozenset, *,
                   with_prev: bool, seen: Observed) -> None:
    """A row is there because it has questions now or a year earlier: that sum is at least one."""
    dim = ROW_TABLES[key]
    for row in table["rows"]:
        code = world.row_code(key, row[0])
        pair = [_canon(world, (per, base | {(dim, code)})) for per in periods]
        if pair[0] is None:
            continue
        if with_prev and pair[1] is not None:
            seen.at_least_one.add(("present", *pair))
            seen.equations.append((("present", *pair), pair))
        else:
            seen.at_least_one.add(pair[0])


def _read_heatmap(table: dict[str, Any], period: str, base: frozenset, seen: Observed) -> None:
    head = table["head"][0]
    hours = [int(h.split(":")[0]) for h in head[1:-1]]
    columns: dict[int, list[Cell]] = defaultdict(list)
    rows: list[Cell] = []
    for row in table["rows"]:
        day = WEEKDAYS.index(row[0])
        day_cell = (period, base | {("WD", day)})
        parts = []
        for h, text in zip(hours, row[1:-1]):
            cell = (period, base | {("WD", day), ("H", h)})
            v = value(text)
            if v is not None:
                seen.published[cell].append(v)
            parts.append(cell)
            columns[h].append(cell)
        v = value(row[-1])
        if v is not None:
            seen.published[day_cell].append(v)
        seen.equations.append((day_cell, parts))
        rows.append(day_cell)
    for h, text in zip(hours, table["total"][1:-1]):
        cell = (period, base | {("H", h)})
        if not 8 <= h <= 20:
            seen.at_least_one.add(cell)
        v = value(text)
        if v is not None:
            seen.published[cell].append(v)
        seen.equations.append((cell, columns[h]))
    v = value(table["total"][-1])
    if v is not None:
        seen.published[(period, base)].append(v)
    seen.equations.append(((period, base), rows))


def _canon(world: World, cell: Cell) -> Cell | None:
    """The same set of questions under one name: bestuurslaag X with instantie Y is just instantie Y (or nothing)."""
    period, dims = cell
    d = dict(dims)
    if "LAAG" in d and "I" in d:
        if world.laag.get(d["I"], "OVERIG") != d["LAAG"]:
            return None
        dims = frozenset(x for x in dims if x[0] != "LAAG")
    return period, dims


# ------------------------------------------------------------------ what the attacker can work out
def solve(seen: Observed) -> dict[Cell, tuple[int, int]]:
    """Bounds propagation over all equations until nothing changes: the interval each cell must lie in."""
    bounds: dict[Cell, list[int]] = defaultdict(lambda: [0, BIG])
    for cell in seen.at_least_one:
        bounds[cell][0] = 1
    for cell, values in seen.published.items():
        for v in values:
            lo, hi = possible(v)
            b = bounds[cell]
            b[0], b[1] = max(b[0], lo), min(b[1], hi)
    equations = seen.equations
    for _ in range(60):
        changed = False
        for total, parts in equations:
            t = bounds[total]
            ps = [bounds[p] for p in parts]
            lo_sum, hi_sum = sum(p[0] for p in ps), sum(min(p[1], BIG) for p in ps)
            if lo_sum > t[0]:
                t[0], changed = lo_sum, True
            if hi_sum < t[1]:
                t[1], changed = hi_sum, True
            for p in ps:
                lo = t[0] - (hi_sum - min(p[1], BIG))
                hi = t[1] - (lo_sum - p[0])
                if lo > p[0]:
                    p[0], changed = lo, True
                if hi < p[1]:
                    p[1], changed = hi, True
        if not changed:
            break
    return {c: (b[0], b[1]) for c, b in bounds.items()}


@dataclass
class Outcome:
    hidden_small: int  # published cells with a true value of 1-4
    recovered: list[tuple[Cell, int]]  # of those, known for certain by the attacker
    naive_hits: int  # the review's attack (total minus the shown slices, one hidden slice): right by luck
    naive_tries: int
    averaged: int  # small cells with at least one such difference: the attacker averages all of them and rounds
    averaged_hits: int  # ... and is right
    prior_hits: int  # an attacker who ignores the page and always guesses the most common small value
    inconsistent: list[tuple[Cell, list]]  # the same cell published as different numbers
    errors: list[tuple[int, int]]  # (true, published) for every published number


def judge(seen: Observed, truth: dict[Cell, int]) -> Outcome:
    bounds = solve(seen)
    small = [c for c, n in truth.items() if 0 < n < privacy.THRESHOLD and c in seen.published]
    recovered = [(c, truth[c]) for c in small if bounds[c][0] == bounds[c][1]]
    naive_hits = naive_tries = 0
    estimates: dict[Cell, list[int]] = defaultdict(list)
    for total, parts in seen.equations:
        tv = [v for v in seen.published.get(total, []) if isinstance(v, int)]
        pv = [next((v for v in seen.published.get(p, []) if isinstance(v, int)), None) for p in parts]
        unknown = [p for p, v in zip(parts, pv) if v is None]
        if tv and len(unknown) == 1 and unknown[0] in truth and 0 < truth[unknown[0]] < privacy.THRESHOLD:
            guess = tv[0] - sum(v for v in pv if v is not None)
            naive_tries += 1
            naive_hits += guess == truth[unknown[0]]
            estimates[unknown[0]].append(guess)
    averaged_hits = sum(min(4, max(1, round(sum(es) / len(es)))) == truth[c] for c, es in estimates.items())
    common = Counter(truth[c] for c in small).most_common(1)[0][0] if small else 1
    prior_hits = sum(truth[c] == common for c in estimates)
    inconsistent = [(c, vs) for c, vs in seen.published.items() if len(set(vs)) > 1]
    errors = [(truth[c], v) for c, vs in seen.published.items() if c in truth for v in vs[:1] if isinstance(v, int)]
    return Outcome(len(small), recovered, naive_hits, naive_tries, len(estimates), averaged_hits, prior_hits, inconsistent, errors)
