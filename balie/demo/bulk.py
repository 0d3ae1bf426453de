"""How the demo registrations reach the database fast: rows built as text or tuples, loaded in chunks.

It bypasses the ORM: COPY on PostgreSQL and one ``executemany`` per chunk elsewhere (SQLite), in chunks so memory
stays flat, while a writer thread loads one chunk as the next is being generated. Ids are handed out here, in order,
so the same seed gives the same rows on every database.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, models, transaction

from balie.desk.models import Question, Visit

VISIT_FIELDS = ("id", "uuid", "organisation_id", "location_id", "started_at", "kanaal", "codelist_version_id",
                "created_by_id", "created_at", "afterwards", "submission_key", "source")
QUESTION_FIELDS = ("id", "uuid", "visit_id", "organisation_id", "location_id", "started_at", "date", "kanaal",
                   "codelist_version_id", "position", "vraagsoort", "instantie", "instantie_local", "onderwerp",
                   "onderwerp_local", "digid_detail", "behoefteprofielen", "complexiteit", "achterliggend", "uitkomst",
                   "duration_minutes", "leeftijdsgroep", "taal", "note", "tally", "created_by_id", "created_at", "updated_at")


def columns(model: type[models.Model], fields: Sequence[str]) -> tuple[list[str], list[Any]]:
    """Column names for our fields plus any column added to the model since: those get their default."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    missing = [name for name in fields if name not in by_attname]
    if missing:
        raise RuntimeError(f"{model.__name__} heeft geen kolom(men) {missing}; pas balie/demo/bulk.py aan.")
    columns = [by_attname[name].column for name in fields]
    extras = []
    for name, f in by_attname.items():
        if name in fields:
            continue
        if not f.has_default() and not f.null and getattr(f, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED:
            raise RuntimeError(f"{model.__name__}.{name} is verplicht en heeft geen standaardwaarde; pas balie/demo/bulk.py aan.")
        if f.has_default() or f.null:
            value = f.get_default() if f.has_default() else None
            columns.append(f.column)
            extras.append(f.get_db_prep_save(value, connection))
    return columns, extras


class Sink:
    null: Any
    suffix: str  # appended to "YYYY-MM-DD HH:MM:SS" (UTC)

    def __init__(self, visit_columns: list[str], visit_extras: list[Any], question_columns: list[str], question_extras: list[Any]):
        self.visit_columns, self.question_columns = visit_columns, question_columns
        self.visit_extras, self.question_extras = visit_extras, question_extras

    def write(self, visits: list[tuple], questions: list[tuple]) -> None:
        raise NotImplementedError

    def finish(self, max_visit_id: int, max_question_id: int) -> None:
        pass


class PostgresSink(Sink):
    null = "\\N"
    suffix = "+00"

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.raw = connection.connection  # the psycopg 3 connection, inside Django's transaction
        self.visit_tail = "".join("\t" + self._text(v) for v in self.visit_extras) + "\n"
        self.question_tail = "".join("\t" + self._text(v) for v in self.question_extras) + "\n"

    @staticmethod
    def _text(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    def _copy(self, table: str, columns: list[str], rows: list[tuple], tail: str) -> None:
        sql = f'COPY {table} ({", ".join(connection.ops.quote_name(c) for c in columns)}) FROM STDIN'
        with self.raw.cursor() as cur, cur.copy(sql) as copy:
            # Rows hold text only (demo notes never contain tabs, newlines or backslashes).
            batch = 5000
            for i in range(0, len(rows), batch):
                copy.write("".join(["\t".join(r) + tail for r in rows[i:i + batch]]))

    def write(self, visits: list[tuple], questions: list[tuple]) -> None:
        self._copy(Visit._meta.db_table, self.visit_columns, visits, self.visit_tail)
        self._copy(Question._meta.db_table, self.question_columns, questions, self.question_tail)

    def finish(self, max_visit_id: int, max_question_id: int) -> None:
        with connection.cursor() as cur:
            for model in (Visit, Question):
                table = model._meta.db_table
                cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))", [table])
            # Fresh statistics, so the first page views after a bulk load get good plans.
            cur.execute(f"ANALYZE {Visit._meta.db_table}")
            cur.execute(f"ANALYZE {Question._meta.db_table}")


class ExecuteManySink(Sink):
    """SQLite (and any other backend): one executemany per chunk on the raw DB-API connection."""

    null = None
    suffix = ""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.raw = connection.connection
        self.visit_tail = tuple(self.visit_extras)
        self.question_tail = tuple(self.question_extras)
        style = "?" if connection.vendor == "sqlite" else "%s"

        def sql(model: type[models.Model], columns: list[str]) -> str:
            return (f'INSERT INTO {connection.ops.quote_name(model._meta.db_table)} '
                    f'({", ".join(connection.ops.quote_name(c) for c in columns)}) VALUES ({", ".join([style] * len(columns))})')

        self.visit_sql = sql(Visit, self.visit_columns)
        self.question_sql = sql(Question, self.question_columns)

    def write(self, visits: list[tuple], questions: list[tuple]) -> None:
        cur = self.raw.cursor()
        try:
            vt, qt = self.visit_tail, self.question_tail
            cur.executemany(self.visit_sql, [r + vt for r in visits] if vt else visits)
            cur.executemany(self.question_sql, [r + qt for r in questions] if qt else questions)
        finally:
            cur.close()


class Pipeline:
    """Loads chunk k in a writer thread while the caller generates chunk k+1 (two cores: Python and the database)."""

    def __init__(self, sink: Sink):
        self.sink = sink
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    self.sink.write(*item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread and re-raised there
                    self.error = exc

    def put(self, visits: list[tuple], questions: list[tuple]) -> None:
        if self.error is not None:
            self.close()
        self.queue.put((visits, questions))

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


def sink_class() -> type[Sink]:
    return PostgresSink if connection.vendor == "postgresql" else ExecuteManySink


def open_sink(sink_cls: type[Sink]) -> Sink:
    return sink_cls(*columns(Visit, VISIT_FIELDS), *columns(Question, QUESTION_FIELDS))


def last_ids(sink_cls: type[Sink]) -> tuple[int, int]:
    """The highest visit and question id; call inside the transaction that loads the rows."""
    with connection.cursor() as cur:
        if sink_cls is PostgresSink:
            # Ids are handed out here, so nobody else may insert meanwhile.
            cur.execute(f"LOCK TABLE {Visit._meta.db_table}, {Question._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
            # Every foreign key we write was just read in this transaction or allocated by us, so the
            # per-row checks (deferred to COMMIT, ~40 s per million) add nothing. Skipping them needs a
            # superuser (or GRANT SET ON PARAMETER); without that the load is just slower.
            try:
                with transaction.atomic():
                    cur.execute("SET LOCAL session_replication_role = replica")
            except DatabaseError:
                pass
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Visit._meta.db_table}")
        visit_id = cur.fetchone()[0]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Question._meta.db_table}")
        question_id = cur.fetchone()[0]
    return visit_id, question_id


# A random (version 4) UUID from the seeded generator, as 32 hex digits.
_UUID_MASK = ~(0xF000 << 64) & ~(0xC000 << 48) & ((1 << 128) - 1)
_UUID_VERSION = (0x4000 << 64) | (0x8000 << 48)


def uuid4_hex(bits: Callable[[int], int]) -> str:
    return f"{(bits(128) & _UUID_MASK) | _UUID_VERSION:032x}"


class RowFormat:
    """Values as the sink wants them: text for COPY on PostgreSQL, Python values for ``executemany`` elsewhere."""

    def __init__(self, sink_cls: type[Sink], *, version_id: int, tz: ZoneInfo):
        self.pg = sink_cls is PostgresSink
        self.null, self.suffix, self.tz = sink_cls.null, sink_cls.suffix, tz
        self.false = "f" if self.pg else 0
        self.version_id = self.number(version_id)
        self.hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]

    def number(self, value: int | None) -> Any:
        if value is None:
            return self.null
        return str(value) if self.pg else value

    def timestamp(self, day: dt.date, day_iso: str, secs: int, offset: int) -> str:
        """UTC timestamp of ``secs`` after local midnight; ``offset`` is the day's UTC offset in seconds."""
        utc_secs = secs - offset
        if 0 <= utc_secs < 86400:
            return f"{day_iso} {self.hms[utc_secs]}{self.suffix}"
        # Only with unusual opening hours around midnight.
        moment = dt.datetime.combine(day, dt.time(), self.tz) + dt.timedelta(seconds=secs)
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") + self.suffix

    def visit(self, visit_id: int, uuid: str, *, organisation_id: int, location_id: int, ts: str, kanaal: str, user: int | None) -> tuple:
        n = self.number
        return (n(visit_id), uuid, n(organisation_id), n(location_id), ts, kanaal, self.version_id, n(user), ts, self.false, self.null,
                "demo")

    def question(self, visit: tuple, question_id: int, uuid: str, *, day_iso: str, position: int, answer: Any) -> tuple:
        """A question row of ``visit`` (a row from :meth:`visit`); ``answer`` holds the question's codes and note."""
        vid, _, org_id, loc_id, ts, kanaal, version_id, user = visit[:8]
        a = answer
        return (
            self.number(question_id), uuid, vid, org_id, loc_id, ts, day_iso, kanaal, version_id, self.number(position),
            a.vraagsoort, a.instantie, a.instantie_local, a.onderwerp, "", a.digid_detail, a.behoefteprofielen, a.complexiteit,
            a.achterliggend, a.uitkomst, self.number(a.duration_minutes), a.leeftijdsgroep, a.taal, a.note, self.false, user, ts, ts,
        )
