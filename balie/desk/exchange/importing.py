"""Import registrations from the exchange CSV (see csvformat): checking.py checks every row, then all or nothing is
saved here, in one transaction, with the rollup facts journaled alongside (desk/journal.py, ADR 0012).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from balie.core import audit, privacy
from balie.core.audit import Event
from balie.network.models import Organisation

from .. import journal
from ..models import JournalEntry, Question, Visit
from ..signals import registrations_imported
from .checking import QUESTION_FIELDS, ImportRejected, Plan, Progress, check

BATCH_SIZE = 5000
# Below SQLite's smallest limit of 999 parameters per statement.
IN_CHUNK = 900
# Imported visits are by definition registered afterwards; same threshold as the desk uses.
AFTERWARDS = dt.timedelta(minutes=30)


@dataclass
class ImportResult:
    rows: int
    visits: int
    created: int = 0
    redactions: int = 0
    organisations: list[str] = field(default_factory=list)
    skipped: int = 0  # rows that were already there ("overslaan", or kept by "vervangen" because of a referral)
    replaced: int = 0  # registrations of the period that the file replaced ("vervangen")


class Mode:
    """What to do with rows that are already there (the same location, minute and codes): the coordinator chooses."""

    ASK = ""  # stop and ask (DuplicatesFound)
    SKIP = "overslaan"  # import only the new rows
    REPLACE = "vervangen"  # delete the period's registrations at the file's locations, then import the whole file


@dataclass
class Duplicates:
    """Rows of a file that are already in Balie, and the period the file covers."""

    count: int
    first: dt.date
    last: dt.date
    location_ids: list[int]
    existing: int  # registrations at those locations in that period: what "vervangen" replaces
    linked: int  # of which with a referral, course referral or enrolment: those stay

    def as_dict(self) -> dict[str, Any]:
        from django.utils.dateformat import format as date_format

        return {"count": self.count, "first": self.first.isoformat(), "last": self.last.isoformat(), "existing": self.existing,
                "linked": self.linked, "from": date_format(self.first, "j F Y"), "to": date_format(self.last, "j F Y")}


class DuplicatesFound(Exception):
    def __init__(self, duplicates: Duplicates):
        self.duplicates = duplicates
        super().__init__(f"{duplicates.count} regels staan al in Balie ({duplicates.first} tot en met {duplicates.last}).")


def import_text(
    text: str,
    *,
    only_organisation: Organisation | None = None,
    user: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    before_save: Callable[[], None] | None = None,
    after_save: Callable[[ImportResult], None] | None = None,
    duplicates: str = Mode.ASK,
) -> ImportResult:
    """Check the whole file, then save all rows in one transaction. Raises ImportRejected on any error.

    Rows already in Balie raise DuplicatesFound unless `duplicates` says what to do with them (Mode).
    `before_save` and `after_save` run inside that transaction, first and last: the worker locks its job there and marks
    it done in the same commit as the rows, so "rows stored" and "job done" are one fact (a retried job cannot import twice).
    """
    plan = check(text, only_organisation=only_organisation, progress=progress, scrub_notes=not dry_run)
    if plan.errors:
        raise ImportRejected(plan.errors)
    result = ImportResult(rows=plan.rows, visits=len(plan.visits), redactions=plan.redactions, organisations=sorted(plan.organisations))
    if dry_run:
        return result
    # Rows that are already there are found before anything is written (review B4: re-importing an export doubled it).
    found = duplicates_of(plan)
    if found is not None and duplicates == Mode.ASK:
        raise DuplicatesFound(found)
    if found is not None:
        kept = _linked(found) if duplicates == Mode.REPLACE else None
        plan, result.skipped = _without(plan, _duplicate_indices(plan, found, only=kept))
        result.visits = len(plan.visits)
    if progress:
        progress("opslaan", plan.rows, plan.rows)
    prepared = prepare(plan)
    with transaction.atomic():
        if before_save:
            before_save()
        if found is not None and duplicates == Mode.REPLACE:
            result.replaced = _replace_period(found)
        result.created = _save(prepared, user=user, mode=duplicates if found is not None else "", skipped=result.skipped,
                               replaced=result.replaced, period=found)
        if after_save:
            after_save(result)
    return result


def _key(location_id: int, moment: dt.datetime, values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Same location, same minute, same codes (the note aside: it may have been redacted on the way)."""
    local = timezone.localtime(moment).replace(second=0, microsecond=0, tzinfo=None)
    return (location_id, local, *("" if v is None else str(v) for v in values))


def _period_questions(found: Duplicates) -> Any:
    return Question.objects.filter(location_id__in=found.location_ids, date__gte=found.first, date__lte=found.last)


def _linked(found: Duplicates) -> Any:
    """Registrations a referral, course referral or enrolment hangs on: "vervangen" keeps them (deleting one would delete
    the referral and the visitor's consented contact details with it)."""
    return _period_questions(found).filter(
        models.Q(referrals__isnull=False) | models.Q(course_referrals__isnull=False) | models.Q(course_enrolments__isnull=False)).distinct()


def _duplicate_indices(plan: Plan, found: Duplicates, *, only: Any = None) -> set[int]:
    """Indices into plan.questions of rows that match a registration in the database, each existing one matched once."""
    existing: dict[tuple[Any, ...], int] = {}
    questions = only if only is not None else _period_questions(found)
    for location_id, started_at, *values in questions.values_list("location_id", "started_at", *QUESTION_FIELDS).iterator():
        key = _key(location_id, started_at, tuple(values))
        existing[key] = existing.get(key, 0) + 1
    indices = set()
    for i, (index, _position, values, _note) in enumerate(plan.questions):
        visit = plan.visits[index]
        key = _key(visit.location.id, visit.moment, values)  # type: ignore[union-attr, arg-type]
        if existing.get(key):
            existing[key] -= 1
            indices.add(i)
    return indices


def duplicates_of(plan: Plan) -> Duplicates | None:
    """The rows of a checked plan that are already in Balie, or None."""
    if not plan.questions:
        return None
    days = [v.moment.date() for v in plan.visits if v.moment is not None]
    found = Duplicates(count=0, first=min(days), last=max(days), location_ids=sorted({v.location.id for v in plan.visits if v.location}),
                       existing=0, linked=0)
    found.count = len(_duplicate_indices(plan, found))
    if not found.count:
        return None
    found.existing = _period_questions(found).count()
    found.linked = _linked(found).count()
    return found


def _without(plan: Plan, skip: set[int]) -> tuple[Plan, int]:
    """The plan without the skipped questions; a visit left without questions goes too, the rest are numbered again."""
    if not skip:
        return plan, 0
    kept = [q for i, q in enumerate(plan.questions) if i not in skip]
    new_index: dict[int, int] = {}
    visits, questions, positions = [], [], {}
    for index, _position, values, note in kept:
        if index not in new_index:
            new_index[index] = len(visits)
            visits.append(plan.visits[index])
        target = new_index[index]
        positions[target] = positions.get(target, 0) + 1
        questions.append((target, positions[target], values, note))
    return replace(plan, visits=visits, questions=questions), len(skip)


def _replace_period(found: Duplicates) -> int:
    """Delete the period's registrations at the file's locations (not those a referral hangs on), journaled; inside the
    import's transaction, so the period is replaced as a whole or not at all."""
    linked = set(_linked(found).values_list("pk", flat=True))
    doomed = _period_questions(found).exclude(pk__in=linked)
    names = ("started_at", "date", "location_id", "duration_minutes", "tally", "visit_id", "position", *journal.CODE_FIELDS)
    rows = list(doomed.values(*names))
    journal.append(removed=journal.facts_of(rows))
    visit_ids = {row["visit_id"] for row in rows}
    doomed.delete()
    for start in range(0, len(visit_ids), IN_CHUNK):
        chunk = list(visit_ids)[start:start + IN_CHUNK]
        Visit.objects.filter(pk__in=chunk, questions__isnull=True).delete()
    return len(rows)


class _BulkInsert:
    """INSERT rows with cursor.executemany; values are converted the way the model's fields do it.

    Why not bulk_create: in the ORM each object costs ~60 µs (model instances, per-field
    compilation, SQLite's 999-parameter batches), which kept the import at ~3,500 rows/s.
    One prepared statement with executemany is several times faster and stays portable:
    the caller converts what needs converting with db_value (Field.get_db_prep_save).
    Columns the caller does not fill get the model's default (or now() for auto_now fields),
    so a field added later with a default keeps the import working.
    """

    # Values of these types go to the database as they are (str, int, bool, None).
    PLAIN: ClassVar[set[str]] = {
        "CharField", "TextField", "ForeignKey", "BooleanField", "IntegerField", "PositiveSmallIntegerField",
        "PositiveIntegerField", "SmallIntegerField", "BigIntegerField",
    }

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], now: dt.datetime):
        # Resolved once: the `connection` proxy looks itself up on every attribute access.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.native_uuid = self.connection.features.has_native_uuid_field
        self.fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key or f.attname in columns}
        rest = [name for name in self.fields if name not in columns]
        # The same value for every row; never a callable default (uuid): those columns must be in `columns`.
        self.tail = tuple(self.db_value(name, self._default(name, now)) for name in rest)
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(self.fields[name].column) for name in (*columns, *rest))
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"

    def _default(self, name: str, now: dt.datetime) -> Any:
        field = self.fields[name]
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default() and callable(field.default):
            raise TypeError(f"Importeren moet het veld {name} per regel vullen; pas balie/desk/exchange/importing.py aan.")
        return field.get_default()

    def db_value(self, name: str, value: Any) -> Any:
        field = self.fields[name]
        if field.get_internal_type() in self.PLAIN:
            return value
        if isinstance(value, uuid.UUID):
            return value if self.native_uuid else value.hex  # what UUIDField does, without its overhead per row
        return field.get_db_prep_save(value, self.connection)

    def uuid(self) -> Any:
        value = uuid.uuid4()
        return value if self.native_uuid else value.hex

    def execute(self, rows: list[tuple[Any, ...]]) -> None:
        """rows: db-ready values in `columns` order; the defaults are appended here."""
        tail = self.tail
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, [row + tail for row in rows])


def _visit_ids(keys: list[uuid.UUID]) -> list[int]:
    """Ids of just-inserted visits, in the order given (executemany returns no ids)."""
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(keys), IN_CHUNK):
        found.update(Visit.objects.filter(uuid__in=keys[start:start + IN_CHUNK]).values_list("uuid", "id"))
    return [found[key] for key in keys]


@contextmanager
def _sqlite_cache(connection: Any) -> Iterator[None]:
    """A larger SQLite page cache during the insert: the uuid and date indexes then stay in memory (~25% faster)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        previous = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


VISIT_COLUMNS_DB = ("uuid", "organisation_id", "location_id", "started_at", "kanaal", "codelist_version_id", "afterwards", "source")
QUESTION_COLUMNS_DB = (
    "uuid", "visit_id", "organisation_id", "location_id", "started_at", "date", "kanaal", "codelist_version_id",
    "position", *QUESTION_FIELDS, "note",
)


@dataclass
class Prepared:
    """Everything the save writes, converted to database values before the transaction starts.

    On SQLite a write transaction locks out every other writer (the desk, the API) until it commits, and they give up
    after 20 s: so the conversion work (dates, uuids) happens here, outside the lock, and the transaction only inserts
    (and journals: the journal's record keys need the visits' ids). The questions carry the index of their visit until the visits have ids.
    """

    plan: Plan
    now: dt.datetime
    visits: list[tuple[Any, ...]]
    visit_keys: list[uuid.UUID]
    questions: list[tuple[Any, ...]]


def prepare(plan: Plan) -> Prepared:
    version_id = plan.version_id
    now = timezone.now()
    visits = _BulkInsert(Visit, VISIT_COLUMNS_DB, now)
    questions = _BulkInsert(Question, QUESTION_COLUMNS_DB, now)
    keys = [uuid.uuid4() for _ in plan.visits]
    # Visit-level values, converted once per visit instead of once per question.
    started = [visits.db_value("started_at", v.moment) for v in plan.visits]
    visit_rows = [
        (visits.db_value("uuid", key), v.location.organisation_id, v.location.id, started[i], v.kanaal, version_id,
         now - v.moment > AFTERWARDS, "import")
        for i, (key, v) in enumerate(zip(keys, plan.visits))
    ]
    shared = [
        (v.location.organisation_id, v.location.id, started[i], questions.db_value("date", v.moment.date()), v.kanaal, version_id)
        for i, v in enumerate(plan.visits)
    ]
    question_rows = [(questions.uuid(), index, *shared[index], position, *values, note) for index, position, values, note in plan.questions]
    return Prepared(plan=plan, now=now, visits=visit_rows, visit_keys=keys, questions=question_rows)


def _sqlite_next_id(connection: Any, model: type[models.Model]) -> int:
    """The id SQLite's AUTOINCREMENT would give next: above every id it ever handed out (sqlite_sequence), not only the
    ids that still exist, so the id of a deleted visit is never given to another one."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name from the model)
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
    return max(highest, row[0] if row else 0) + 1


def _save(prepared: Prepared, *, user: Any, mode: str = "", skipped: int = 0, replaced: int = 0, period: Duplicates | None = None) -> int:
    """Insert what `prepare` converted; the caller holds the transaction (all or nothing)."""
    plan, now = prepared.plan, prepared.now
    connection = connections[DEFAULT_DB_ALIAS]
    # SQLite: the transaction holds the database's only write lock (BEGIN IMMEDIATE), so the next ids are ours to hand
    # out and no lookup by uuid is needed. PostgreSQL: ids come from the sequence, found back by uuid.
    explicit_ids = connection.vendor == "sqlite"
    visits = _BulkInsert(Visit, ("id", *VISIT_COLUMNS_DB) if explicit_ids else VISIT_COLUMNS_DB, now)
    questions = _BulkInsert(Question, QUESTION_COLUMNS_DB, now)
    with _sqlite_cache(connection):
        if explicit_ids:
            first = _sqlite_next_id(connection, Visit)
            visit_ids = list(range(first, first + len(prepared.visits)))
            for start in range(0, len(prepared.visits), BATCH_SIZE):
                visits.execute([(visit_ids[start + i], *row) for i, row in enumerate(prepared.visits[start:start + BATCH_SIZE])])
        else:
            visit_ids = []
            for start in range(0, len(prepared.visits), BATCH_SIZE):
                visits.execute(prepared.visits[start:start + BATCH_SIZE])
                visit_ids += _visit_ids(prepared.visit_keys[start:start + BATCH_SIZE])
        created = 0
        for start in range(0, len(prepared.questions), BATCH_SIZE):
            batch = prepared.questions[start:start + BATCH_SIZE]
            questions.execute([(row[0], visit_ids[row[1]], *row[2:]) for row in batch])
            created += len(batch)
        entries = _BulkInsert(JournalEntry, journal.COLUMNS, now)
        journal_rows = _journal_rows(plan, now, visit_ids)
        for start in range(0, len(journal_rows), BATCH_SIZE):
            entries.execute(journal_rows[start:start + BATCH_SIZE])
        transaction.on_commit(lambda: registrations_imported.send(sender=JournalEntry, count=created))
    audit.log(
        Event.REGISTRATIONS_IMPORTED, user=user, count=created, visits=len(visit_ids),
        organisations=sorted(plan.organisations), redactions=plan.redactions, source="import",
        **({"duplicates": mode, "skipped": skipped, "replaced": replaced, "period": [period.first.isoformat(), period.last.isoformat()],
            "location_ids": period.location_ids} if period is not None else {}),
    )
    return created


def _journal_rows(plan: Plan, now: dt.datetime, visit_ids: list[int]) -> list[tuple[Any, ...]]:
    """The facts of every imported question for the desk's journal, written by _save inside the import's transaction (all
    or nothing, like the rows). Identical facts become one row with their count and the sum of their record keys (ADR
    0015); the dashboards fold the journal on their next read, or recount its months when it is big, and the
    registrations_imported signal lets them do that in the worker instead."""
    # Position of each journaled field in the plan's value tuples; kanaal belongs to the visit.
    positions = [None if name == "kanaal" else QUESTION_FIELDS.index(name) for name in journal.CODE_FIELDS]
    minutes_at = QUESTION_FIELDS.index("duration_minutes")
    facts = []
    for index, position, values, _note in plan.questions:
        visit = plan.visits[index]
        local = timezone.localtime(visit.moment)
        codes = tuple(visit.kanaal if at is None else (values[at] or "") for at in positions)
        facts.append(journal.Fact(month=journal.month_of(visit.moment.date()), location_id=visit.location.id, codes=codes,
                                  minutes=values[minutes_at], tally=False, weekday=local.weekday(), hour=local.hour,
                                  key=privacy.question_key(visit_ids[index], position)))
    entries = _BulkInsert(JournalEntry, journal.COLUMNS, now)
    return [(entries.db_value("month", v[0]), *v[1:]) for v in (journal.entry_values(f, n, k) for f, (n, k) in journal.net(facts, ()).items())]
