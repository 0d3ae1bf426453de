"""Checking an exchange CSV (see csvformat) before anything is saved: every row, every error with line and column.

Codes are checked by the same validation as the desk and the API (desk/validation.py), so an import
can never store what staff could not register. Errors are collected for the whole file, each
naming line and column, so a file can be fixed in one go. The result is a Plan: all errors, or
everything importing.py needs to write the rows.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from balie.core import codelists
from balie.core.csvcheck import Rejected, RowError
from balie.core.models import CodeListVersion
from balie.core.spreadsheet import restore_row
from balie.network.models import Location, Organisation

from ..services import default_kanaal, scrub_note
from ..validation import CodeContext, FieldError, clean_kanaal, clean_moment, clean_question
from . import csvformat

# Entries kept by the per-cell caches before they start over; bounds memory on huge files.
CACHE_SIZE = 20_000
PROGRESS_EVERY = 1000
VISIT_COLUMNS = ("locatie", "datum", "tijd", "kanaal")
# The columns clean_question reads (everything but the visit columns).
CLEANED_COLUMNS = tuple(n for n in csvformat.HEADER if n not in ("organisatie", "locatie", "bezoek", "datum", "tijd", "kanaal"))
QUESTION_FIELDS = (
    "vraagsoort", "instantie", "instantie_local", "onderwerp", "onderwerp_local", "digid_detail", "behoefteprofielen",
    "complexiteit", "achterliggend", "uitkomst", "duration_minutes", "leeftijdsgroep", "taal",
)

# A Dutch Excel writes a number as 15,0 (decimal comma); a whole number of minutes with ,0 or .0 is that number.
_WHOLE_NUMBER = re.compile(r"(\d+)[,.]0+")
# phase ("controleren" or "opslaan"), rows processed, rows in total
Progress = Callable[[str, int, int], None]


class ImportRejected(Rejected):
    """The file has errors; nothing was saved."""


def decode(data: bytes) -> str:
    try:
        return csvformat.decode(data)
    except csvformat.NotUtf8 as exc:
        raise ImportRejected([RowError(exc.line, exc.column, gettext(
            "het bestand is niet opgeslagen als UTF-8 (onleesbaar teken, byte %(byte)s). "
            "Sla het bestand in Excel op via 'Opslaan als' en kies 'CSV UTF-8 (door komma's gescheiden)'."
        ) % {"byte": f"0x{exc.byte:02X}"})]) from exc
    except csvformat.Workbook as exc:
        raise ImportRejected([RowError(0, "", gettext(
            "dit is een werkmap van Excel of LibreOffice (.xlsx, .xls of .ods), geen CSV-bestand. Open het en kies 'Opslaan als' "
            "en dan 'CSV UTF-8 (door komma's gescheiden)'; upload dat bestand."))]) from exc
    except csvformat.HasNul as exc:
        raise ImportRejected([RowError(exc.line, exc.column, gettext(
            "hier staat een onzichtbaar NUL-teken (0x00). Dat hoort niet in een CSV-bestand. Sla het bestand opnieuw op "
            "als 'CSV UTF-8 (door komma's gescheiden)', of haal het teken weg in een teksteditor."
        ))]) from exc


def count_rows(text: str) -> int:
    """Data rows in the file, for a progress bar. Blank lines do not count."""
    count = 0
    try:
        for _line, fields in csvformat.records(text):
            count += any(f.strip() for f in fields)
    except csvformat.BrokenQuotes:
        pass  # check() reports it, with its line; the progress bar only needs an estimate
    return max(0, count - 1)


def check_header(fields: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Column positions by name; the order is free, the names are not."""
    names = [f.strip().lower() for f in fields]
    if len(names) == 1 and "\t" in names[0]:
        return {}, [RowError(1, "", gettext(
            "de kolommen zijn gescheiden door tabs. Sla het bestand in Excel op als 'CSV UTF-8 (door komma's gescheiden)' "
            "of als 'CSV (gescheiden door lijstscheidingsteken)'."
        ))]
    errors: list[RowError] = []
    missing = [n for n in csvformat.HEADER if n not in names]
    extra = [n for n in names if n and n not in csvformat.HEADER]  # a column without a name is read past (unnamed_columns)
    for name in extra:
        guess = difflib.get_close_matches(name, missing, n=1)
        if guess:
            text = gettext("onbekende kolom '%(name)s'. Bedoelt u '%(guess)s'? Verwijder de kolom of verbeter de naam.") % {
                "name": name, "guess": guess[0]}
        else:
            text = gettext("onbekende kolom '%(name)s'. Verwijder de kolom of verbeter de naam.") % {"name": name}
        errors.append(RowError(1, name or gettext("(leeg)"), text))
    if missing:
        errors.append(RowError(1, "", ngettext("deze kolom ontbreekt: %(names)s.", "deze kolommen ontbreken: %(names)s.",
                                               len(missing)) % {"names": ", ".join(missing)}))
    for name in sorted({n for n in names if names.count(n) > 1 and n in csvformat.HEADER}):
        errors.append(RowError(1, name, gettext("de kolom '%(name)s' staat er meer dan één keer in.") % {"name": name}))
    return {name: names.index(name) for name in csvformat.HEADER if name in names}, errors


def check_header_only(text: str) -> list[RowError]:
    """The quick part of check(): encoding is already fine, are the columns right?"""
    try:
        for _line, fields in csvformat.records(text):
            return check_header(fields)[1]
    except csvformat.BrokenQuotes as exc:
        return [RowError(exc.line, "", exc.message)]
    return [RowError(1, "", gettext("het bestand is leeg. De eerste regel moet de kolomnamen bevatten."))]


@dataclass(slots=True)
class PlannedVisit:
    line: int
    key: tuple[str, str, str, str]  # locatie, datum, tijd, kanaal as written, to compare rows of one visit
    location: Location | None
    moment: dt.datetime | None
    kanaal: str
    questions: int = 0


@dataclass
class Plan:
    """What will be written: visits in order of first appearance, questions in file order."""

    visits: list[PlannedVisit] = field(default_factory=list)
    questions: list[tuple[int, int, tuple[Any, ...], str]] = field(default_factory=list)  # visit index, position, values, note
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    redactions: int = 0
    organisations: set[str] = field(default_factory=set)
    version_id: int = 0  # the code list version the rows were checked against is the one they are saved with


Found = list[tuple[str, str]]  # (column, message) of a cached check, given a line number per row


class _Checker:
    """Checks rows one by one.

    Every check is a pure function of a few cells, so results are cached by those cells: rows of
    one visit repeat date and time, files repeat locations and code combinations. That is what
    makes tens of thousands of rows per second possible while still calling the shared validation.
    """

    def __init__(self, only_organisation: Organisation | None, version: CodeListVersion, now: dt.datetime, scrub_notes: bool):
        self.only = only_organisation
        self.scrub_notes = scrub_notes
        self.version = version
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.organisations = {o.code: o for o in Organisation.objects.all()}
        # Inactive locations stay importable: historic data of a closed branch must survive a round trip.
        self.locations = {loc.code: loc for loc in Location.objects.prefetch_related("weekly_hours")}
        self.contexts: dict[int, CodeContext] = {}
        self.places: dict[tuple[str, str], tuple[Organisation | None, Location | None, Found]] = {}
        self.moments: dict[tuple[str, str], tuple[dt.datetime | None, Found]] = {}
        self.safe_days: dict[dt.date, bool] = {}
        self.kanalen: dict[tuple[int, str], tuple[str, Found]] = {}
        self.cleaned: dict[tuple[Any, ...], tuple[tuple[Any, ...], str, Found]] = {}
        self.notes: dict[str, tuple[str, int]] = {}
        self.interned: dict[Any, Any] = {}
        self.visit_index: dict[str, int] = {}
        self.plan = Plan(version_id=version.pk)

    def report(self, line: int, found: Found) -> None:
        self.plan.errors += [RowError(line, column, message) for column, message in found]

    def context(self, organisation: Organisation) -> CodeContext:
        if organisation.id not in self.contexts:
            self.contexts[organisation.id] = CodeContext.build(organisation, self.version)
        return self.contexts[organisation.id]

    def place(self, organisatie: str, locatie: str) -> tuple[Organisation | None, Location | None, Found]:
        key = (organisatie, locatie)
        if key not in self.places:
            self.places[key] = self._place(organisatie.strip().upper(), locatie.strip().upper())
        return self.places[key]

    def _place(self, org_code: str, loc_code: str) -> tuple[Organisation | None, Location | None, Found]:
        organisation, location = self.organisations.get(org_code), self.locations.get(loc_code)
        if not org_code:
            return None, None, [("organisatie", gettext("vul de code van de organisatie in, bijvoorbeeld BIB-RDAM."))]
        if organisation is None:
            return None, None, [("organisatie", gettext("onbekende organisatie '%(code)s'.") % {"code": org_code})]
        if self.only is not None and organisation.pk != self.only.pk:
            return None, None, [("organisatie", gettext("u kunt alleen voor %(code)s importeren.") % {"code": self.only.code})]
        if not loc_code:
            return organisation, None, [("locatie", gettext("vul de code van de locatie in, bijvoorbeeld RDAM-CENTRAAL."))]
        if location is None:
            return organisation, None, [("locatie", gettext("onbekende locatie '%(code)s'.") % {"code": loc_code})]
        if location.organisation_id != organisation.pk:
            return organisation, None, [("locatie", gettext(
                "de locatie '%(location)s' hoort niet bij de organisatie %(organisation)s.") % {"location": loc_code, "organisation": org_code})]
        return organisation, location, []

    def moment(self, datum: str, tijd: str) -> tuple[dt.datetime | None, Found]:
        key = (datum, tijd)
        if key not in self.moments:
            if len(self.moments) >= CACHE_SIZE:
                self.moments.clear()
            found: Found = []
            date, time = csvformat.parse_date(datum), csvformat.parse_time(tijd)
            if date is None and "/" in datum:
                # 04/03/2024 is 4 March in a Dutch spreadsheet and 3 April in an American one: never guessed.
                found.append(("datum", gettext(
                    "'%(value)s' kan dag/maand of maand/dag zijn. Schrijf de datum als JJJJ-MM-DD (2024-03-15) of als D-M-JJJJ "
                    "(15-3-2024).") % {"value": datum}))
            elif date is None:
                found.append(("datum", gettext(
                    "'%(value)s' is geen geldige datum. Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2024-03-15.") % {"value": datum}))
            if time is None:
                found.append(("tijd", gettext("'%(value)s' is geen geldige tijd. Schrijf de tijd als UU:MM, bijvoorbeeld 09:30.") % {
                    "value": tijd}))
            moment = None
            if date and time:
                # Same as timezone.make_aware for a zoneinfo zone, without looking up the zone per row.
                moment = dt.datetime.combine(date, time, tzinfo=self.tz)
                if not self.safe_day(date):
                    errors: list[FieldError] = []
                    clean_moment(moment, errors, now=self.now)
                    in_file = gettext("(in het bestand: %(date)s %(time)s)") % {"date": datum, "time": tijd}
                    found += [(e.field, f"{e.message} {in_file}") for e in errors]
            self.moments[key] = (None if found else moment, found)
        return self.moments[key]

    def safe_day(self, date: dt.date) -> bool:
        """True if clean_moment accepts both the first and the last minute of the day, hence every moment in it.

        The rules (not in the future, not too old) are monotone in time, so two calls per day
        replace one call per visit.
        """
        if date not in self.safe_days:
            errors: list[FieldError] = []
            for time in (dt.time(0, 0), dt.time(23, 59)):
                clean_moment(dt.datetime.combine(date, time, tzinfo=self.tz), errors, now=self.now)
            self.safe_days[date] = not errors
        return self.safe_days[date]

    def kanaal(self, organisation: Organisation, raw: str) -> tuple[str, Found]:
        key = (organisation.id, raw)
        if key not in self.kanalen:
            errors: list[FieldError] = []
            code = clean_kanaal(self.context(organisation), raw, errors)
            self.kanalen[key] = (code, [(e.field, e.message) for e in errors])
        return self.kanalen[key]

    def question(self, organisation: Organisation, fields: list[str]) -> tuple[tuple[Any, ...], str, Found]:
        """clean_question as (model values in QUESTION_FIELDS order, note, errors), remembered per distinct row."""
        key = (organisation.id, *self.question_cells(fields))
        cached = self.cleaned.get(key)
        if cached is None:
            if len(self.cleaned) >= CACHE_SIZE:
                self.cleaned.clear()
            values, errors = clean_question(self.context(organisation), dict(zip(CLEANED_COLUMNS, key[1:])))
            # Interning shares the few distinct code strings between rows, so a big file stays small in memory.
            intern = self.interned.setdefault
            cleaned = tuple([intern(v, v) for v in [values.get(name) for name in QUESTION_FIELDS]])
            cached = self.cleaned[key] = (cleaned, values.get("note", ""), [(e.field, e.message) for e in errors])
        return cached

    def scrub(self, note: str) -> str:
        # Notes repeat ("uitleg gegeven"); scrubbing each distinct text once keeps imports fast.
        if note not in self.notes:
            scrubbed, findings = scrub_note(note)
            self.notes[note] = (scrubbed, len(findings))
        scrubbed, found = self.notes[note]
        self.plan.redactions += found
        return scrubbed

    def use_columns(self, columns: dict[str, int]) -> None:
        """Cells are read by position (itemgetter) instead of building a dict per row: this loop runs per row."""
        self.visit_cells = itemgetter(*(columns[n] for n in ("organisatie", "locatie", "bezoek", "datum", "tijd", "kanaal")))
        self.question_cells = itemgetter(*(columns[n] for n in CLEANED_COLUMNS))

    def row(self, line: int, fields: list[str]) -> None:
        self.plan.rows += 1
        organisatie, locatie, bezoek, datum, tijd, kanaal_raw = self.visit_cells(fields)
        organisation, location, found = self.place(organisatie, locatie)
        if found:
            self.report(line, found)
        if organisation is None:
            return  # codes cannot be checked without knowing whose local codes apply
        self.plan.organisations.add(organisation.code)
        moment, found = self.moment(datum, tijd)
        if found:
            self.report(line, found)
        kanaal, found = self.kanaal(organisation, kanaal_raw)
        if found:
            self.report(line, found)
        values, note, found = self.question(organisation, fields)
        if found:
            self.report(line, found)
        intern = self.interned.setdefault
        cells = (locatie.strip().upper(), datum.strip(), tijd.strip(), kanaal_raw.strip().upper())
        written: tuple[str, str, str, str] = tuple(intern(c, c) for c in cells)  # type: ignore[assignment]
        index = self.visit(line, bezoek.strip(), written, location, moment, kanaal)
        if self.plan.errors:
            return  # nothing will be written: skip building the row (and scrubbing its note)
        visit = self.plan.visits[index]
        visit.questions += 1
        self.plan.questions.append((index, visit.questions, values, self.scrub(note) if note and self.scrub_notes else note))

    def visit(self, line: int, bezoek: str, written: tuple[str, str, str, str], location: Location | None,
              moment: dt.datetime | None, kanaal: str) -> int:
        """Index of the row's visit: a new visit on first sight, else a check that the visit columns agree."""
        key = bezoek or f"\x00{line}"  # an empty "bezoek" makes the row a visit of its own
        index = self.visit_index.get(key)
        if index is None:
            if location is not None and moment is not None and not kanaal:
                kanaal = default_kanaal(location, moment)
            self.visit_index[key] = len(self.plan.visits)
            self.plan.visits.append(PlannedVisit(line, written, location, moment, self.interned.setdefault(kanaal, kanaal)))
            return len(self.plan.visits) - 1
        visit = self.plan.visits[index]
        if written != visit.key:
            for column, first, this in zip(VISIT_COLUMNS, visit.key, written):
                if first != this:
                    self.plan.errors.append(RowError(line, column, gettext(
                        "bezoek '%(visit)s' heeft op regel %(line)s %(column)s '%(first)s', hier '%(this)s'. "
                        "Alle vragen van één bezoek hebben dezelfde locatie, datum, tijd en kanaal."
                    ) % {"visit": bezoek, "line": visit.line, "column": column, "first": first, "this": this}))
        return index


def check(
    text: str, *, only_organisation: Organisation | None = None, progress: Progress | None = None, scrub_notes: bool = True,
) -> Plan:
    """Check every row; the plan holds all errors, or everything needed to save.

    scrub_notes=False skips the redaction of notes (up to ms per note with the name model) when
    nothing will be saved anyway: a dry run, or the quick check while the coordinator waits.
    """
    version = codelists.current_version()
    checker = _Checker(only_organisation, version, timezone.now(), scrub_notes)
    plan = checker.plan
    total = 0
    if progress:
        total = count_rows(text)
        progress("controleren", 0, total)
    columns: dict[str, int] = {}
    names: list[str] = []
    line = 1
    try:
        for line, fields in csvformat.records(text):
            if line == 1:
                names = [f.strip() for f in fields]
                columns, header_errors = check_header([n for n in names if n])
                if header_errors:
                    plan.errors += header_errors
                    return plan  # without the right columns no row can be read
                checker.use_columns(columns)
                continue
            if not any(f.strip() for f in fields):
                continue  # blank lines and the empty rows spreadsheets leave behind
            named, filled = csvformat.unnamed_columns(names, fields)
            if named is None:
                plan.rows += 1
                plan.errors.append(RowError(line, "", ngettext(
                    "deze regel heeft %(count)s kolom in plaats van %(expected)s. "
                    "Staat er een komma in een tekst zonder aanhalingstekens eromheen?",
                    "deze regel heeft %(count)s kolommen in plaats van %(expected)s. "
                    "Staat er een komma in een tekst zonder aanhalingstekens eromheen?", len(fields),
                ) % {"count": len(fields), "expected": len(names)}))
                continue
            if filled is not None:
                plan.rows += 1
                plan.errors.append(RowError(line, "", gettext(
                    "in kolom %(n)s staat iets, maar die kolom heeft geen naam in de kopregel. Geef hem een naam of maak hem leeg.")
                    % {"n": filled}))
                continue
            fields = named
            # Our export puts an apostrophe before text that starts like a formula (core.spreadsheet); take it off.
            cells = restore_row(fields)
            duration = cells[columns["duur_minuten"]]
            if duration and _WHOLE_NUMBER.fullmatch(duration.strip()):
                cells[columns["duur_minuten"]] = _WHOLE_NUMBER.fullmatch(duration.strip()).group(1)  # type: ignore[union-attr]
            checker.row(line, cells)
            if progress and plan.rows % PROGRESS_EVERY == 0:
                progress("controleren", plan.rows, total)
    except csvformat.BrokenQuotes as exc:
        plan.errors.append(RowError(exc.line, "", exc.message))
    if not columns and not plan.errors:
        plan.errors.append(RowError(1, "", gettext("het bestand is leeg. De eerste regel moet de kolomnamen bevatten.")))
    elif not plan.rows and not plan.errors:
        plan.errors.append(RowError(2, "", gettext("het bestand bevat geen registraties, alleen de kolomnamen.")))
    if progress:
        progress("controleren", plan.rows, total)
    return plan
