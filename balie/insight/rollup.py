"""Keeping the rollups current (every write) and rebuilding them (command, nightly task, after load_demo).

Writes call `record(added=..., removed=...)` inside their own transaction, so a registration and its
counts commit or roll back together and the figures never drift. Deltas are netted first (a
correction that changes nothing visible touches no row). A desk save only journals its facts
(`Pending`, one INSERT); `fold` applies the journal to the cells before every dashboard read and from
cron (ADR 0012). Cells are upserted in key order, so two writers lock rows in the same order and
cannot deadlock. The upsert (INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n) is the same SQL
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from . import dims
from .dims import FIELDS, Fact

CHUNK = 500  # rows per INSERT statement (SQLite allows 32766 parameters; 9 per row)
Measures = tuple[int, int, int, int]  # n, minutes, timed, tallied


def fact(question: Any) -> Fact:
    """The rollup facts of a Question (instance or dict with the same names)."""
    get = question.get if isinstance(question, dict) else (lambda name: getattr(question, name))
    local = timezone.localtime(get("started_at"))
    return Fact(
        month=dims.month_of(get("date")),
        location_id=get("location_id"),
        codes=tuple(get(name) or "" for name in FIELDS.values()),
        minutes=get("duration_minutes"),
        tally=bool(get("tally")),
        weekday=local.weekday(),
        hour=local.hour,
    )


def facts_of(questions: Iterable[Any]) -> list[Fact]:
    return [fact(q) for q in questions]


Weighted = Iterable[tuple[Fact, int]]


def _deltas(weighted: Weighted) -> tuple[dict[tuple, list[int]], Counter]:
    cells: dict[tuple, list[int]] = {}
    hours: Counter = Counter()
    for f, sign in weighted:
        measures = (sign, sign * (f.minutes or 0), sign * (f.minutes is not None), sign * f.tally)
        for cube, a, b in dims.cell_keys(f):
            key = (cube, a, f.month, f.location_id, b)
            row = cells.get(key)
            if row is None:
                cells[key] = list(measures)
            else:
                for i in range(4):
                    row[i] += measures[i]
        hours[(f.month, f.location_id, f.weekday, f.hour)] += sign
    return {k: v for k, v in cells.items() if any(v)}, Counter({k: v for k, v in hours.items() if v})


def _net(added: Iterable[Fact], removed: Iterable[Fact]) -> Counter:
    """Facts with their net weight: a correction that changes nothing the rollups see weighs nothing."""
    net: Counter = Counter(added)
    net.subtract(removed)
    return Counter({f: v for f, v in net.items() if v})


# A desk save journals its few facts (one cheap INSERT); a bigger batch (an import) is applied at once.
JOURNAL_UP_TO = 50


def record(*, added: Iterable[Fact] = (), removed: Iterable[Fact] = ()) -> None:
    """Account for added and removed facts in the rollups (call inside the write's transaction).

    Small writes go to the journal (`Pending`), which `fold` adds to the cells before any dashboard
    reads them; large ones are applied to the cells directly.
    """
    net = _net(added, removed)
    if not net:
        return
    if sum(abs(v) for v in net.values()) > JOURNAL_UP_TO:
        _apply(*_deltas(net.items()))
        return
    from .models import Pending

    Pending.objects.bulk_create([
        Pending(month=f.month, location_id=f.location_id, codes="\t".join(f.codes), minutes=f.minutes, tally=f.tally,
                weekday=f.weekday, hour=f.hour, n=weight)
        for f, weight in net.items()
    ])


def fold(batch: int = 20_000) -> int:
    """Move the journal into the cells; returns how many journal rows were folded.

    Each batch is claimed and applied in one transaction (DELETE ... RETURNING), so a row is counted
    exactly once even when two folds run at the same time: on PostgreSQL the second skips the rows the
    first has locked; SQLite has one writer at a time anyway.
    """
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    folded = 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "DELETE FROM insight_pending WHERE id IN "
                f"(SELECT id FROM insight_pending ORDER BY id LIMIT %s{lock}) "
                "RETURNING month, location_id, codes, minutes, tally, weekday, hour, n",
                [batch],
            )
            rows = cur.fetchall()
            if rows:
                weighted = [
                    (Fact(month=m if isinstance(m, dt.date) else dt.date.fromisoformat(m), location_id=loc,
                          codes=tuple(codes.split("\t")), minutes=minutes, tally=bool(tally), weekday=wd, hour=h), n)
                    for m, loc, codes, minutes, tally, wd, h, n in rows
                ]
                _apply(*_deltas(weighted))
        folded += len(rows)
        if len(rows) < batch:
            return folded


def _apply(cells: dict[tuple, list[int]], hours: Counter) -> None:
    """Upsert the deltas into the cells, in key order so two writers lock rows in the same order (no deadlock)."""
    if not cells and not hours:
        return
    adapt = connection.ops.adapt_datefield_value
    with transaction.atomic(), connection.cursor() as cur:
        rows = [(cube, a, adapt(m), loc, b, *v) for (cube, a, m, loc, b), v in sorted(cells.items())]
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            cur.execute(
                "INSERT INTO insight_cell (cube, a, month, location_id, b, n, minutes, timed, tallied) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (cube, a, month, location_id, b) DO UPDATE SET n = insight_cell.n + excluded.n, "
                "minutes = insight_cell.minutes + excluded.minutes, timed = insight_cell.timed + excluded.timed, "
                "tallied = insight_cell.tallied + excluded.tallied",
                [value for row in chunk for value in row],
            )
        hour_rows = [(adapt(m), loc, wd, h, n) for (m, loc, wd, h), n in sorted(hours.items())]
        for start in range(0, len(hour_rows), CHUNK):
            chunk = hour_rows[start:start + CHUNK]
            cur.execute(
                "INSERT INTO insight_hourcell (month, location_id, weekday, hour, n) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (month, location_id, weekday, hour) DO UPDATE SET n = insight_hourcell.n + excluded.n",
                [value for row in chunk for value in row],
            )


# --------------------------------------------------------------------------- rebuild
def _explode(column: str, alias: str, pg: bool) -> str:
    """A join yielding each code of a "|X|Y|" column as <alias>.code, or one '' when the column is empty."""
    if pg:
        return (f" CROSS JOIN LATERAL unnest(CASE WHEN w.{column} = '' THEN ARRAY[''] "
                f"ELSE string_to_array(btrim(w.{column}, '|'), '|') END) AS {alias}(code)")
    # SQLite: the codes as a JSON array ('' gives [""]); a table-valued function may read w in a comma join.
    return f", json_each('[\"' || replace(trim(w.{column}, '|'), '|', '\",\"') || '\"]') AS {alias}"


def _exploded(letter: str) -> str:
    return f"insight_wide_{letter.lower()}"


def _explode_sql(letter: str, pg: bool) -> str:
    """The wide table with one row per code of a multi-valued field (column xcode).

    Built once per field: splitting the "|X|Y|" strings cost as much as the grouping itself when
    every cube with that field did it again (about 25 of the ~80 cubes).
    """
    code = "xa.code" if pg else "xa.value"
    return (f"CREATE TEMPORARY TABLE {_exploded(letter)} AS SELECT w.*, {code} AS xcode FROM insight_wide w"
            + _explode(FIELDS[letter], "xa", pg))


def _cube_sql(first: str, second: str | None, pg: bool, ordered: bool = True) -> str:
    source, joins = "insight_wide", ""
    if first in dims.MULTI:
        source, a_code = _exploded(first), "w.xcode"
    else:
        a_code = f"w.{FIELDS[first]}"
    if second is None:
        a, b = "''", a_code
    elif second in dims.MULTI and source == "insight_wide":
        source, a, b = _exploded(second), a_code, "w.xcode"
    elif second in dims.MULTI:  # both multi-valued (B:B, B:A): explode the second here
        joins = _explode(FIELDS[second], "xb", pg)
        a, b = a_code, ("xb.code" if pg else "xb.value")
    else:
        a, b = a_code, f"w.{FIELDS[second]}"
    return (
        "INSERT INTO insight_cell (cube, a, month, location_id, b, n, minutes, timed, tallied) "
        f"SELECT '{dims.cube_name(first, second)}', {a}, w.month, w.location_id, {b}, SUM(w.n), SUM(w.minutes), SUM(w.timed), "
        f"SUM(w.tallied) FROM {source} w{joins} GROUP BY w.month, w.location_id, {b}" + ("" if second is None else f", {a}")
        # In key order: the unique index then grows at its right edge instead of at random pages (3-5x faster on PostgreSQL).
        + ((f" ORDER BY {a}, w.month, w.location_id, {b}" if second else f" ORDER BY w.month, w.location_id, {b}") if ordered else "")
    )


def rebuild(date_from: dt.date | None = None, date_to: dt.date | None = None, *, log: Any = None) -> dict[str, int]:
    """Recompute the rollups of whole months from the registrations. Both ends are widened to whole months."""
    import time

    pg = connection.vendor == "postgresql"
    month_from = dims.month_of(date_from) if date_from else None
    month_to = dims.month_of(date_to) if date_to else None
    where, params = [], []
    if month_from:
        where.append("date >= %s")
        params.append(month_from)
    if month_to:
        nxt = (month_to + dt.timedelta(days=32)).replace(day=1)
        where.append("date < %s")
        params.append(nxt)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    cell_where = clause.replace("date", "month")
    month_sql = "date_trunc('month', date)::date" if pg else "date(date, 'start of month')"
    cols = ", ".join(FIELDS.values())
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        if pg:
            # Hash aggregates in memory instead of sorts on disk (the server default of 4 MB is meant for many small queries).
            cur.execute("SET LOCAL work_mem = '256MB'")
            # No desk write may slip between the delete and the insert: it would be lost (or counted twice).
            cur.execute("LOCK TABLE desk_question IN SHARE MODE")
        # The journal's rows for these months are counted again from the registrations below.
        cur.execute("DELETE FROM insight_pending" + cell_where, params)
        full = pg and not where
        if full:
            cur.execute("TRUNCATE insight_cell, insight_hourcell")
            # Building the index once after the load is much cheaper than maintaining it row by row.
            cur.execute("ALTER TABLE insight_cell DROP CONSTRAINT insight_cell_key")
        else:
            cur.execute("DELETE FROM insight_cell" + cell_where, params)
            cur.execute("DELETE FROM insight_hourcell" + cell_where, params)
        cur.execute("DROP TABLE IF EXISTS insight_wide")
        for letter in sorted(dims.MULTI):
            cur.execute(f"DROP TABLE IF EXISTS {_exploded(letter)}")
        # One narrow pass over the registrations; every cube is then grouped from this much smaller table.
        cur.execute(
            # Integer measures: PostgreSQL sums integers in a machine word, bigints (COUNT's type) in numeric.
            f"CREATE TEMPORARY TABLE insight_wide AS SELECT {month_sql} AS month, location_id, {cols}, CAST(COUNT(*) AS INTEGER) AS n, "
            f"CAST(COALESCE(SUM(duration_minutes), 0) AS INTEGER) AS minutes, CAST(COUNT(duration_minutes) AS INTEGER) AS timed, "
            f"CAST(SUM(CASE WHEN tally THEN 1 ELSE 0 END) AS INTEGER) AS tallied FROM desk_question{clause} "
            f"GROUP BY {month_sql}, location_id, {cols}",
            params,
        )
        for letter in sorted(dims.MULTI):
            cur.execute(_explode_sql(letter, pg))
        if pg:
            cur.execute("ANALYZE insight_wide, " + ", ".join(_exploded(m) for m in sorted(dims.MULTI)))
        if log:
            log(f"wide tables in {time.monotonic() - started:.1f} s")
        for first, second in dims.CUBES:
            cur.execute(_cube_sql(first, second, pg, ordered=not full))
        if full:
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cur.execute("ALTER TABLE insight_cell ADD CONSTRAINT insight_cell_key UNIQUE (cube, a, month, location_id, b) "
                        "INCLUDE (n, minutes, timed, tallied)")
        cur.execute("DROP TABLE insight_wide")
        for letter in sorted(dims.MULTI):
            cur.execute(f"DROP TABLE {_exploded(letter)}")
        if log:
            log(f"cells in {time.monotonic() - started:.1f} s")
        _rebuild_hours(cur, month_from, month_to)
        cur.execute("SELECT COUNT(*) FROM insight_cell" + cell_where, params)
        cells = cur.fetchone()[0]
    if pg:
        with connection.cursor() as cur:
            cur.execute("ANALYZE insight_cell")
            cur.execute("ANALYZE insight_hourcell")
    return {"cells": cells, "seconds": round(time.monotonic() - started, 1)}


def _rebuild_hours(cur: Any, month_from: dt.date | None, month_to: dt.date | None) -> None:
    from django.db.models import Count
    from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth

    from balie.desk.models import Question

    qs = Question.objects.all()
    if month_from:
        qs = qs.filter(date__gte=month_from)
    if month_to:
        qs = qs.filter(date__lt=(month_to + dt.timedelta(days=32)).replace(day=1))
    rows = (qs.annotate(m=TruncMonth("date"), wd=ExtractIsoWeekDay("started_at"), h=ExtractHour("started_at"))
            .values_list("m", "location_id", "wd", "h").annotate(n=Count("id")).order_by())
    adapt = connection.ops.adapt_datefield_value
    batch = [(adapt(m), loc, wd - 1, h, n) for m, loc, wd, h, n in rows]
    for start in range(0, len(batch), CHUNK):
        chunk = batch[start:start + CHUNK]
        cur.execute(
            "INSERT INTO insight_hourcell (month, location_id, weekday, hour, n) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk)),
            [value for row in chunk for value in row],
        )
