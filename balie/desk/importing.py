"""Import registrations from the exchange CSV (see csvformat): every row is checked, then all or nothing is saved.

Codes are checked by the same validation as the desk and the API (validation.py), so an import
can never store what staff could not register. Errors are collected for the whole file, each
naming line and column, so a file can be fixed in one go.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from balie.core import audit, codelists
from balie.core.models import CodeListVersion
from balie.network.models import Location, Organisation

from . import csvformat
from .models import Question, Visit
from .services import default_kanaal, scrub_note
from .validation import CodeContext, FieldError, clean_kanaal, clean_moment, clean_question

BATCH_SIZE = 5000
PROGRESS_EVERY = 1000
# Imported visits are by definition registered afterwards; same threshold as the desk uses.
AFTERWARDS = dt.timedelta(minutes=30)
VISIT_COLUMNS = ("locatie", "datum", "tijd", "kanaal")
QUESTION_FIELDS = (
    "vraagsoort", "instantie", "instantie_local", "onderwerp", "onderwerp_local", "digid_detail", "behoefteprofielen",
    "complexiteit", "achterliggend", "uitkomst", "duration_minutes", "leeftijdsgroep", "taal",
)

# phase ("controleren" or "opslaan"), rows processed, rows in total
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"regel {self.line}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"regel": self.line, "kolom": self.column, "reden": self.message}


class ImportRejected(Exception):
    """The file has errors; nothing was saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} fout{'en' if len(errors) != 1 else ''} in het bestand; er is niets geïmporteerd.")


@dataclass
class ImportResult:
    rows: int
    visits: int
    created: int = 0
    redactions: int = 0
    organisations: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    try:
        return csvformat.decode(data)
    except csvformat.NotUtf8 as exc:
        raise ImportRejected([RowError(exc.line, exc.column, (
            f"het bestand is niet opgeslagen als UTF-8 (onleesbaar teken, byte 0x{exc.byte:02X}). "
            "Sla het bestand in Excel op via 'Opslaan als' en kies 'CSV UTF-8 (door komma's gescheiden)'."
        ))]) from exc


def count_rows(text: str) -> int:
    """Data rows in the file, for a progress bar. Blank lines do not count."""
    return max(0, sum(1 for fields in csv.reader(io.StringIO(text, newline="")) if any(f.strip() for f in fields)) - 1)


def check_header(fields: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Column positions by name; the order is free, the names are not."""
    names = [f.strip().lower() for f in fields]
    if len(names) == 1 and ";" in names[0]:
        return {}, [RowError(1, "", "de kolommen zijn gescheiden door puntkomma's. Sla het bestand op als 'CSV UTF-8 (door komma's gescheiden)'.")]
    errors: list[RowError] = []
    missing = [n for n in csvformat.HEADER if n not in names]
    extra = [n for n in names if n not in csvformat.HEADER]
    for name in extra:
        guess = difflib.get_close_matches(name, missing, n=1)
        hint = f" Bedoelt u '{guess[0]}'?" if guess else ""
        errors.append(RowError(1, name or "(leeg)", f"onbekende kolom '{name}'.{hint} Verwijder de kolom of verbeter de naam."))
    if missing:
        errors.append(RowError(1, "", "deze kolommen ontbreken: " + ", ".join(missing) + "."))
    for name in sorted({n for n in names if names.count(n) > 1 and n in csvformat.HEADER}):
        errors.append(RowError(1, name, f"de kolom '{name}' staat er meer dan één keer in."))
    return {name: names.index(name) for name in csvformat.HEADER if name in names}, errors


@dataclass
class _Visit:
    line: int
    key: tuple[str, str, str, str]  # locatie, datum, tijd, kanaal as written, to compare rows of one visit
    location: Location | None
    moment: dt.datetime | None
    kanaal: str
    questions: int = 0


@dataclass
class _Plan:
    """What will be written: visits in order of first appearance, questions in file order."""

    visits: list[_Visit] = field(default_factory=list)
    questions: list[tuple[int, int, tuple[Any, ...], str]] = field(default_factory=list)  # visit index, position, values, note
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    redactions: int = 0
    organisations: set[str] = field(default_factory=set)


class _Checker:
    """Checks rows one by one. Looked-up organisations, locations and code lists are cached for speed."""

    def __init__(self, only_organisation: Organisation | None, version: CodeListVersion, now: dt.datetime):
        self.only = only_organisation
        self.version = version
        self.now = now
        self.organisations = {o.code: o for o in Organisation.objects.all()}
        # Inactive locations stay importable: historic data of a closed branch must survive a round trip.
        self.locations = {loc.code: loc for loc in Location.objects.prefetch_related("weekly_hours")}
        self.contexts: dict[int, CodeContext] = {}
        self.visit_index: dict[str, int] = {}
        self.moments: dict[tuple[str, str], tuple[dt.datetime | None, list[RowError]]] = {}
        self.notes: dict[str, tuple[str, int]] = {}
        self.interned: dict[Any, Any] = {}
        self.plan = _Plan()

    def error(self, line: int, column: str, message: str) -> None:
        self.plan.errors.append(RowError(line, column, message))

    def context(self, organisation: Organisation) -> CodeContext:
        if organisation.pk not in self.contexts:
            self.contexts[organisation.pk] = CodeContext.build(organisation, self.version)
        return self.contexts[organisation.pk]

    def organisation(self, line: int, raw: str) -> Organisation | None:
        code = raw.strip().upper()
        if not code:
            self.error(line, "organisatie", "vul de code van de organisatie in, bijvoorbeeld BIB-RDAM.")
            return None
        organisation = self.organisations.get(code)
        if organisation is None:
            self.error(line, "organisatie", f"onbekende organisatie '{raw}'.")
        elif self.only is not None and organisation.pk != self.only.pk:
            self.error(line, "organisatie", f"u kunt alleen voor {self.only.code} importeren.")
            return None
        return organisation

    def location(self, line: int, raw: str, organisation: Organisation) -> Location | None:
        code = raw.strip().upper()
        location = self.locations.get(code)
        if not code:
            self.error(line, "locatie", "vul de code van de locatie in, bijvoorbeeld RDAM-CENTRAAL.")
        elif location is None:
            self.error(line, "locatie", f"onbekende locatie '{raw}'.")
        elif location.organisation_id != organisation.pk:
            self.error(line, "locatie", f"de locatie '{location.code}' hoort niet bij de organisatie {organisation.code}.")
            return None
        return location

    def moment(self, line: int, datum: str, tijd: str) -> dt.datetime | None:
        # Rows of one visit repeat the same date and time: check each combination once, report it per row.
        key = (datum, tijd)
        if key not in self.moments:
            errors: list[RowError] = []
            date, time = csvformat.parse_date(datum), csvformat.parse_time(tijd)
            if date is None:
                errors.append(RowError(0, "datum", f"'{datum}' is geen geldige datum. Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2024-03-15."))
            if time is None:
                errors.append(RowError(0, "tijd", f"'{tijd}' is geen geldige tijd. Schrijf de tijd als UU:MM, bijvoorbeeld 09:30."))
            moment = None
            if date and time:
                field_errors: list[FieldError] = []
                moment = clean_moment(timezone.make_aware(dt.datetime.combine(date, time)), field_errors, now=self.now)
                errors += [RowError(0, e.field, f"{e.message} (in het bestand: {datum} {tijd})") for e in field_errors]
            self.moments[key] = (None if errors else moment, errors)
        moment, errors = self.moments[key]
        self.plan.errors += [RowError(line, e.column, e.message) for e in errors]
        return moment

    def scrub(self, note: str) -> str:
        # Notes repeat a lot ("uitleg gegeven"); scrubbing each distinct text once keeps imports fast.
        if note not in self.notes:
            scrubbed, findings = scrub_note(note)
            self.notes[note] = (scrubbed, len(findings))
        scrubbed, found = self.notes[note]
        self.plan.redactions += found
        return scrubbed

    def row(self, line: int, row: dict[str, str]) -> None:
        self.plan.rows += 1
        organisation = self.organisation(line, row["organisatie"])
        if organisation is None:
            return
        self.plan.organisations.add(organisation.code)
        location = self.location(line, row["locatie"], organisation)
        moment = self.moment(line, row["datum"], row["tijd"])
        ctx = self.context(organisation)
        field_errors: list[FieldError] = []
        kanaal = clean_kanaal(ctx, row["kanaal"], field_errors)
        values, question_errors = clean_question(ctx, row)
        self.plan.errors += [RowError(line, e.field, e.message) for e in field_errors + question_errors]
        index = self.visit(line, row, location, moment, kanaal)
        if self.plan.errors:
            return  # nothing will be written: skip building the row (and scrubbing its note)
        visit = self.plan.visits[index]
        visit.questions += 1
        note = self.scrub(values["note"]) if values.get("note") else ""
        # Interning shares the few distinct code strings between rows: a large file then fits in memory easily.
        interned = tuple(self.interned.setdefault(values[name], values[name]) for name in QUESTION_FIELDS)
        self.plan.questions.append((index, visit.questions, interned, note))

    def visit(self, line: int, row: dict[str, str], location: Location | None, moment: dt.datetime | None, kanaal: str) -> int:
        """Index of the row's visit; a new visit on first sight, else a check that the visit fields agree."""
        key = row["bezoek"].strip() or f"\x00{line}"  # an empty "bezoek" makes the row a visit of its own
        written = (row["locatie"].strip().upper(), row["datum"].strip(), row["tijd"].strip(), row["kanaal"].strip().upper())
        index = self.visit_index.get(key)
        if index is None:
            if location is not None and moment is not None and not kanaal:
                kanaal = default_kanaal(location, moment)
            self.visit_index[key] = len(self.plan.visits)
            self.plan.visits.append(_Visit(line, written, location, moment, kanaal))
            return len(self.plan.visits) - 1
        visit = self.plan.visits[index]
        for column, first, this in zip(VISIT_COLUMNS, visit.key, written):
            if first != this:
                self.error(line, column, (
                    f"bezoek '{row['bezoek'].strip()}' heeft op regel {visit.line} {column} '{first}', hier '{this}'. "
                    "Alle vragen van één bezoek hebben dezelfde locatie, datum, tijd en kanaal."
                ))
        return index


def check(text: str, *, only_organisation: Organisation | None = None, progress: Progress | None = None) -> _Plan:
    """Check every row; the plan holds all errors, or everything needed to save."""
    version = codelists.current_version()
    checker = _Checker(only_organisation, version, timezone.now())
    plan = checker.plan
    total = count_rows(text) if progress else 0
    columns: dict[str, int] = {}
    line = 1
    try:
        for line, fields in csvformat.records(text):
            if line == 1:
                columns, header_errors = check_header(fields)
                if header_errors:
                    plan.errors += header_errors
                    return plan  # without the right columns no row can be read
                continue
            if not any(f.strip() for f in fields):
                continue  # blank lines and the empty rows spreadsheets leave behind
            if len(fields) != len(columns):
                plan.rows += 1
                checker.error(line, "", (
                    f"deze regel heeft {len(fields)} kolommen in plaats van {len(columns)}. "
                    "Staat er een komma in een tekst zonder aanhalingstekens eromheen?"
                ))
                continue
            checker.row(line, {name: fields[index] for name, index in columns.items()})
            if progress and plan.rows % PROGRESS_EVERY == 0:
                progress("controleren", plan.rows, total)
    except csv.Error as exc:
        checker.error(line + 1, "", f"het bestand is vanaf hier niet te lezen als CSV ({exc}).")
    if not columns and not plan.errors:
        plan.errors.append(RowError(1, "", "het bestand is leeg. De eerste regel moet de kolomnamen bevatten."))
    elif not plan.rows and not plan.errors:
        plan.errors.append(RowError(2, "", "het bestand bevat geen registraties, alleen de kolomnamen."))
    if progress:
        progress("controleren", plan.rows, total)
    return plan


def import_text(
    text: str,
    *,
    only_organisation: Organisation | None = None,
    user: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the whole file, then save all rows in one transaction. Raises ImportRejected on any error."""
    plan = check(text, only_organisation=only_organisation, progress=progress)
    if plan.errors:
        raise ImportRejected(plan.errors)
    result = ImportResult(rows=plan.rows, visits=len(plan.visits), redactions=plan.redactions, organisations=sorted(plan.organisations))
    if dry_run:
        return result
    if progress:
        progress("opslaan", plan.rows, plan.rows)
    result.created = _save(plan, user=user)
    return result


@transaction.atomic
def _save(plan: _Plan, *, user: Any) -> int:
    version = codelists.current_version()
    now = timezone.now()
    visit_ids: list[int] = []
    for start in range(0, len(plan.visits), BATCH_SIZE):
        batch = [
            Visit(
                organisation_id=v.location.organisation_id, location_id=v.location.pk, started_at=v.moment, kanaal=v.kanaal,
                codelist_version=version, created_by=None, afterwards=now - v.moment > AFTERWARDS, source="import",
            )
            for v in plan.visits[start:start + BATCH_SIZE]
        ]
        Visit.objects.bulk_create(batch)
        visit_ids += [v.pk for v in batch]
    if visit_ids and visit_ids[0] is None:
        raise RuntimeError("De database gaf geen id's terug bij bulk_create; deze database wordt niet ondersteund voor import.")
    dates = [timezone.localtime(v.moment).date() for v in plan.visits]
    created = 0
    for start in range(0, len(plan.questions), BATCH_SIZE):
        batch = []
        for index, position, values, note in plan.questions[start:start + BATCH_SIZE]:
            visit = plan.visits[index]
            batch.append(Question(
                visit_id=visit_ids[index], organisation_id=visit.location.organisation_id, location_id=visit.location.pk,
                started_at=visit.moment, date=dates[index], kanaal=visit.kanaal,
                codelist_version=version, position=position, note=note, tally=False, created_by=None,
                **dict(zip(QUESTION_FIELDS, values)),
            ))
        Question.objects.bulk_create(batch)
        created += len(batch)
    audit.log(
        "registrations_imported", user=user, count=created, visits=len(visit_ids),
        organisations=sorted(plan.organisations), redactions=plan.redactions, source="import",
    )
    return created
