"""Keeping the rollups current (folding the desk's journal) and rebuilding them (command, nightly task, load_demo).

The desk journals the facts of every write in that write's own transaction (desk/journal.py, ADR 0012), so a
registration and its counts commit or roll back together and the figures never drift. `fold` applies the
journal to the cells before every dashboard read and from cron; after a big import, when the journal holds more
rows than recounting costs, it recounts the journaled months instead. Cells are upserted in key order, so two
writers lock rows in the same order and cannot deadlock. The upsert (INSERT ... ON CONFLICT DO UPDATE SET
n = n + excluded.n) is the same SQL on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from balie.core import privacy
from balie.desk.journal import Fact, entry_fact, month_of
from balie.desk.models import JournalEntry, Question

from . import dims
from .dims import FIELDS

CHUNK = 500  # rows per INSERT statement (SQLite allows 32766 parameters; 10 per row)
Measures = tuple[int, int, int, int, int]  # n, minutes, timed, tallied, k (the sum of the record keys, ADR 0015)
JOURNAL = JournalEntry._meta.db_table
# Above this many journal rows (a big import), recounting their months is cheaper than folding row by row.
REBUILD_ABOVE = 20_000

Weighted = Iterable[tuple[Fact, int, int]]  # a fact, its weight and the sum of its record keys (weight x key)


def _deltas(weighted: Weighted) -> tuple[dict[tuple, list[int]], dict[tuple, list[int]]]:
    cells: dict[tuple, list[int]] = {}
    hours: dict[tuple, list[int]] = {}
    for f, sign, keys in weighted:
        measures = (sign, sign * (f.minutes or 0), sign * (f.minutes is not None), sign * f.tally, keys)
        for cube, a, b in dims.cell_keys(f):
            key = (cube, a, f.month, f.location_id, b)
            row = cells.get(key)
            if row is None:
                cells[key] = list(measures)
            else:
                for i in range(5):
                    row[i] += measures[i]
        hour = hours.setdefault((f.month, f.location_id, f.weekday, f.hour), [0, 0])
        hour[0] += sign
        hour[1] += keys
    return {k: v for k, v in cells.items() if any(v)}, {k: v for k, v in hours.items() if any(v)}


def fold(batch: int = 20_000) -> int:
    """Move the journal into the cells; returns how many journal rows were folded.

    Each batch is claimed and applied in one transaction (DELETE ... RETURNING), so a row is counted
    exactly once even when two folds run at the same time: on PostgreSQL the second skips the rows the
    first has locked; SQLite has one writer at a time anyway.
    """
    folded = _recount_big_journal()
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"DELETE FROM {JOURNAL} WHERE id IN "
                f"(SELECT id FROM {JOURNAL} ORDER BY id LIMIT %s{lock}) "
                "RETURNING month, location_id, codes, minutes, tally, weekday, hour, n, k",
                [batch],
            )
            rows = cur.fetchall()
            if rows:
                _apply(*_deltas((entry_fact(*row[:7]), row[7], row[8]) for row in rows))
        folded += len(rows)
        if len(rows) < batch:
            return folded


def fold_after_import(**_: object) -> None:
    """Receiver of desk.signals.registrations_imported: count a committed import in now, in the worker that ran it,
    so the next dashboard view does not wait for it."""
    fold()


def _recount_big_journal() -> int:
    """After a big import the journal holds about a row per imported question: recount those months instead.

    A rebuild counts the months from the registrations in one SQL pass and deletes their journal rows in the
    same transaction, so nothing is counted twice; rows of other months are folded as usual.
    """
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*), MIN(month), MAX(month) FROM {JOURNAL}")
        count, first, last = cur.fetchone()
    if count <= REBUILD_ABOVE:
        return 0
    rebuild(_as_date(first), _as_date(last))
    return count


def _apply(cells: dict[tuple, list[int]], hours: dict[tuple, list[int]]) -> None:
    """Upsert the deltas into the cells, in key order so two writers lock rows in the same order (no deadlock)."""
    if not cells and not hours:
        return
    adapt = connection.ops.adapt_datefield_value
    with transaction.atomic(), connection.cursor() as cur:
        rows = [(cube, a, adapt(m), loc, b, *v) for (cube, a, m, loc, b), v in sorted(cells.items())]
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            cur.execute(
                "INSERT INTO insight_cell (cube, a, month, location_id, b, n, minutes, timed, tallied, k) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (cube, a, month, location_id, b) DO UPDATE SET n = insight_cell.n + excluded.n, "
                "minutes = insight_cell.minutes + excluded.minutes, timed = insight_cell.timed + excluded.timed, "
                "tallied = insight_cell.tallied + excluded.tallied, k = insight_cell.k + excluded.k",
                [value for row in chunk for value in row],
            )
        hour_rows = [(adapt(m), loc, wd, h, n, k) for (m, loc, wd, h), (n, k) in sorted(hours.items())]
        for start in range(0, len(hour_rows), CHUNK):
            chunk = hour_rows[start:start + CHUNK]
            cur.execute(
                "INSERT INTO insight_hourcell (month, location_id, weekday, hour, n, k) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (month, location_id, weekday, hour) DO UPDATE SET n = insight_hourcell.n + excluded.n, "
                "k = insight_hourcell.k + excluded.k",
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
        "INSERT INTO insight_cell (cube, a, month, location_id, b, n, minutes, timed, tallied, k) "
        f"SELECT '{dims.cube_name(first, second)}', {a}, w.month, w.location_id, {b}, SUM(w.n), SUM(w.minutes), SUM(w.timed), "
        f"SUM(w.tallied), SUM(w.k) FROM {source} w{joins} GROUP BY w.month, w.location_id, {b}" + ("" if second is None else f", {a}")
        # In key order: the unique index then grows at its right edge instead of at random pages (3-5x faster on PostgreSQL).
        + ((f" ORDER BY {a}, w.month, w.location_id, {b}" if second else f" ORDER BY w.month, w.location_id, {b}") if ordered else "")
    )


def rebuild(date_from: dt.date | None = None, date_to: dt.date | None = None, *, log: Any = None) -> dict[str, int]:
    """Recompute the rollups of whole months from the registrations. Both ends are widened to whole months."""
    import time

    pg = connection.vendor == "postgresql"
    month_from = month_of(date_from) if date_from else None
    month_to = month_of(date_to) if date_to else None
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
        cur.execute(f"DELETE FROM {JOURNAL}" + cell_where, params)
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
            f"CAST(SUM(CASE WHEN tally THEN 1 ELSE 0 END) AS INTEGER) AS tallied, "
            # The sum of the record keys (ADR 0015) reduced per group, so it stays a machine integer.
            f"CAST(SUM({privacy.question_key_sql()}) %% {privacy.KEY_SPACE} AS BIGINT) AS k FROM desk_question{clause} "
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
                        "INCLUDE (n, minutes, timed, tallied, k)")
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
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth

    qs = Question.objects.all()
    if month_from:
        qs = qs.filter(date__gte=month_from)
    if month_to:
        qs = qs.filter(date__lt=(month_to + dt.timedelta(days=32)).replace(day=1))
    rows = (qs.annotate(m=TruncMonth("date"), wd=ExtractIsoWeekDay("started_at"), h=ExtractHour("started_at"))
            .values_list("m", "location_id", "wd", "h").annotate(n=Count("id"), k=Sum(key_expression())).order_by())
    adapt = connection.ops.adapt_datefield_value
    batch = [(adapt(m), loc, wd - 1, h, n, int(k) % privacy.KEY_SPACE) for m, loc, wd, h, n, k in rows]
    for start in range(0, len(batch), CHUNK):
        chunk = batch[start:start + CHUNK]
        cur.execute(
            "INSERT INTO insight_hourcell (month, location_id, weekday, hour, n, k) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk)),
            [value for row in chunk for value in row],
        )


def key_expression() -> Any:
    """The record key of a question as an ORM expression (raw counts and the heat map rebuild)."""
    from django.db.models import BigIntegerField
    from django.db.models.expressions import RawSQL

    table = Question._meta.db_table
    return RawSQL(privacy.question_key_sql(f'"{table}"."visit_id"', f'"{table}"."position"'), [], output_field=BigIntegerField())


def _as_date(value: object) -> dt.date:
    """A month from the journal: a date on PostgreSQL, text on SQLite."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
