"""The numbers behind every dashboard, report and export, from the rollups or (to check them) from the raw table.

`from_rollups` and `from_raw` return the same `Figures` for the same `Query`; the tests and
bench/insight.py compare them. With two or more code filters there is no cube (ADR 0010), so
`compute` counts the raw registrations instead: correct, only slower.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth

from balie.core import privacy
from balie.core.privacy import Count as Keyed
from balie.desk.models import Question

from . import dims, rollup
from .dims import FIELDS, MULTI


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Query:
    first: dt.date  # first month (day 1)
    last: dt.date  # last month (day 1), inclusive
    locations: tuple[int, ...] | None  # None: every location (landelijk without a place filter)
    filters: tuple[tuple[str, frozenset[str]], ...] = ()  # (letter, allowed codes), at most one per letter

    @property
    def prev_first(self) -> dt.date:
        return add_months(self.first, -12)

    @property
    def prev_last(self) -> dt.date:
        return add_months(self.last, -12)

    def months(self) -> list[dt.date]:
        result, m = [], self.first
        while m <= self.last:
            result.append(m)
            m = add_months(m, 1)
        return result


@dataclass
class Figures:
    """Counts with the sum of their questions' record keys (``privacy.Count``, ADR 0015); minutes and timed are plain."""

    total: int = 0
    minutes: int = 0
    timed: int = 0
    tallied: int = 0
    by_month: dict[dt.date, int] = field(default_factory=dict)  # current and previous-year months
    by_location: dict[int, int] = field(default_factory=dict)
    by_location_prev: dict[int, int] = field(default_factory=dict)
    by_location_kanaal: dict[tuple[int, str], int] = field(default_factory=dict)
    dims: dict[str, dict[str, int]] = field(default_factory=dict)  # letter -> code -> questions (current period)
    dims_prev: dict[str, dict[str, int]] = field(default_factory=dict)
    hours: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (location, weekday, hour) -> questions
    source: str = ""
    # The first month registered in Balie at these locations, when that is after the first month of the comparison
    # (a year earlier): that period was not registered whole, so no change is computed against it.
    prev_partial_from: dt.date | None = None

    @property
    def prev_total(self) -> int:
        return sum(self.by_location_prev.values())

    def comparable(self) -> dict:
        """Everything but the source, with zero counts dropped, to compare two computations (the keys too)."""
        def clean(d: dict) -> dict:
            return {k: (int(v), getattr(v, "key", None)) for k, v in d.items() if v}
        return {
            "total": (int(self.total), getattr(self.total, "key", None)), "minutes": self.minutes, "timed": self.timed, "tallied": self.tallied,
            "by_month": clean(self.by_month), "by_location": clean(self.by_location), "by_location_prev": clean(self.by_location_prev),
            "by_location_kanaal": clean(self.by_location_kanaal), "hours": clean(self.hours),
            "dims": {k: clean(v) for k, v in self.dims.items()}, "dims_prev": {k: clean(v) for k, v in self.dims_prev.items()},
        }


def compute(query: Query) -> Figures:
    rollup.fold()  # once: the desks' latest saves wait in the journal; both reads below count them in
    fig = _read_rollups(query) if len(query.filters) <= 1 else from_raw(query)
    start = registered_from(query.locations)
    fig.prev_partial_from = start if start is not None and start > query.prev_first else None
    return fig


def change(fig: Figures, now: int | None, before: int | None) -> float | None:
    """The change in percent against a year earlier; none when that period was not registered whole (prev_partial_from)."""
    return None if fig.prev_partial_from else privacy.change(now, before)


def registered_from(locations: tuple[int, ...] | None) -> dt.date | None:
    """The first month with any registration at these locations (any code: registering started then), or None.

    Read from the cells as they are: the caller folds the journal first (compute does, once for all its reads).
    """
    params: list = []
    where = (" AND " + _in("location_id", locations, params)) if locations is not None else ""
    with connection.cursor() as cur:
        cur.execute(f"SELECT MIN(month) FROM insight_cell WHERE cube = 'K' AND a = ''{where}", params)
        first = cur.fetchone()[0]
    return None if first is None else _as_date(first)


# --------------------------------------------------------------------------- rollups
def _in(column: str, values: tuple | frozenset, params: list) -> str:
    values = sorted(values)
    params += values
    return f"{column} IN ({', '.join(['%s'] * len(values))})" if values else "1 = 0"


def from_rollups(query: Query) -> Figures:
    """The figures from the cells, after folding the journal (the desks' latest saves) into them."""
    rollup.fold()
    return _read_rollups(query)


def _read_rollups(query: Query) -> Figures:
    """The figures from the cells as they are (the caller has folded the journal)."""
    if len(query.filters) > 1:
        raise ValueError("De rollups hebben één filter per kubus; gebruik from_raw.")
    adapt = connection.ops.adapt_datefield_value
    fig = Figures(source="rollups")
    flt = query.filters[0] if query.filters else None
    first, prev_first, last = query.first, query.prev_first, query.last
    # Two windows: this period and the same months a year earlier (a quarter must not drag in the months between).
    base: list = [adapt(prev_first), adapt(last), adapt(first), adapt(query.prev_last)]
    window = " AND month >= %s AND month <= %s AND (month >= %s OR month <= %s)"
    where_place = ""
    place_params: list = []
    if query.locations is not None:
        where_place = " AND " + _in("location_id", query.locations, place_params)

    def cube_for(shown: str) -> tuple:
        """(cube, code column, extra where, its params) for one shown dimension under the filter."""
        if flt is None:
            return shown, "b", " AND a = ''", []
        letter, codes = flt
        extra: list = []
        if shown == letter and shown not in MULTI:
            return shown, "b", " AND a = '' AND " + _in("b", codes, extra), extra
        return f"{letter}:{shown}", "b", " AND " + _in("a", codes, extra), extra

    with connection.cursor() as cur:
        # 1. Volume: per month, location and kanaal; gives totals, the time series, places and outreach.
        cube, col, cond, extra = cube_for("K")
        cur.execute(
            f"SELECT month, location_id, {col}, SUM(n), SUM(minutes), SUM(timed), SUM(tallied), SUM(k) FROM insight_cell "
            f"WHERE cube = %s{cond}{window}{where_place} GROUP BY month, location_id, {col}",
            [cube, *extra, *base, *place_params],
        )
        _fold_volume(fig, cur.fetchall(), first)
        # 2. Every other shown dimension: per code, this period and the same period a year earlier.
        for shown in dims.SHOWN:
            if shown == "K":
                continue
            cube, col, cond, extra = cube_for(shown)
            cur.execute(
                f"SELECT {col}, month >= %s, SUM(n), SUM(k) FROM insight_cell WHERE cube = %s{cond}{window}"
                f"{where_place} GROUP BY {col}, month >= %s",
                [adapt(first), cube, *extra, *base, *place_params, adapt(first)],
            )
            cur_counts, prev_counts = Counter(), Counter()
            for code, current, n, k in cur.fetchall():
                (cur_counts if current else prev_counts)[code] += Keyed(n, int(k))
            fig.dims[shown], fig.dims_prev[shown] = dict(cur_counts), dict(prev_counts)
        # 3. The heat map: period and place only (ADR 0010: an hour per code combination would be as big as the raw table).
        place_params2: list = []
        where2 = (" AND " + _in("location_id", query.locations, place_params2)) if query.locations is not None else ""
        cur.execute(
            f"SELECT location_id, weekday, hour, SUM(n), SUM(k) FROM insight_hourcell WHERE month >= %s AND month <= %s{where2} "
            "GROUP BY location_id, weekday, hour",
            [adapt(first), adapt(last), *place_params2],
        )
        fig.hours = {(loc, wd, h): Keyed(n, int(k)) for loc, wd, h, n, k in cur.fetchall()}
    return fig


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


# --------------------------------------------------------------------------- raw
def _raw_filter(query: Query, first: dt.date, last: dt.date):
    qs = Question.objects.filter(date__gte=first, date__lt=add_months(last, 1))
    # Only this period and the same months a year earlier, as in from_rollups.
    qs = qs.filter(Q(date__gte=query.first) | Q(date__lt=add_months(query.prev_last, 1)))
    if query.locations is not None:
        qs = qs.filter(location_id__in=query.locations)
    for letter, codes in query.filters:
        name = FIELDS[letter]
        if letter in MULTI:
            cond = Q()
            for code in codes:
                cond |= Q(**{name: ""}) if code == "" else Q(**{f"{name}__contains": f"|{code}|"})
            qs = qs.filter(cond) if codes else qs.none()
        else:
            qs = qs.filter(**{f"{name}__in": codes})
    return qs


def _fold_volume(fig: Figures, rows: Iterable[tuple], first: dt.date) -> None:
    """Totals, time series, places and kanaal from (month, location, kanaal, n, minutes, timed, tallied, keys) rows.

    One function for the rollups and the raw table, so the check compares the queries, not two copies of this loop.
    """
    kanaal, kanaal_prev = Counter(), Counter()
    by_month, by_loc, by_loc_prev, by_lk = Counter(), Counter(), Counter(), Counter()
    for month, loc, code, raw_n, minutes, timed, tallied, keys in rows:
        month = _as_date(month)
        n = Keyed(raw_n, int(keys or 0))
        by_month[month] += n
        if month >= first:
            fig.total += n
            fig.minutes += minutes or 0
            fig.timed += timed
            fig.tallied += tallied
            by_loc[loc] += n
            by_lk[(loc, code)] += n
            kanaal[code] += n
        else:
            by_loc_prev[loc] += n
            kanaal_prev[code] += n
    fig.by_month, fig.by_location, fig.by_location_prev, fig.by_location_kanaal = dict(by_month), dict(by_loc), dict(by_loc_prev), dict(by_lk)
    fig.dims["K"], fig.dims_prev["K"] = dict(kanaal), dict(kanaal_prev)


def from_raw(query: Query) -> Figures:
    """The same figures straight from desk_question (the check, and the fallback for several filters)."""
    fig = Figures(source="raw")
    first = query.first
    qs = _raw_filter(query, query.prev_first, query.last)
    rows = (qs.annotate(m=TruncMonth("date")).values_list("m", "location_id", "kanaal")
            .annotate(n=Count("id"), minutes=Sum("duration_minutes"), timed=Count("duration_minutes"), tallied=Count("id", filter=Q(tally=True)),
                      k=Sum(rollup.key_expression()))
            .order_by())
    _fold_volume(fig, rows, first)
    for shown in dims.SHOWN:
        if shown == "K":
            continue
        name = FIELDS[shown]
        cur_counts, prev_counts = Counter(), Counter()
        for value, current, n, k in (qs.annotate(current=Q(date__gte=first)).values_list(name, "current")
                                     .annotate(n=Count("id"), k=Sum(rollup.key_expression())).order_by()):
            codes = ([c for c in value.split("|") if c] or [""]) if shown in MULTI else [value]
            for code in codes:
                (cur_counts if current else prev_counts)[code] += Keyed(n, int(k))
        fig.dims[shown], fig.dims_prev[shown] = dict(cur_counts), dict(prev_counts)
    hours_qs = Question.objects.filter(date__gte=first, date__lt=add_months(query.last, 1))
    if query.locations is not None:
        hours_qs = hours_qs.filter(location_id__in=query.locations)
    hours: dict = defaultdict(int)
    for loc, wd, h, n, k in (hours_qs.annotate(wd=ExtractIsoWeekDay("started_at"), h=ExtractHour("started_at"))
                             .values_list("location_id", "wd", "h").annotate(n=Count("id"), k=Sum(rollup.key_expression())).order_by()):
        hours[(loc, wd - 1, h)] += Keyed(n, int(k))
    fig.hours = dict(hours)
    return fig
