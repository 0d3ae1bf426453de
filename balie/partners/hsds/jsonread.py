"""HSDS 3.0 as JSON, the form the specification leads with, flattened into the rows of the tabular package, so that a JSON
upload goes through the same check and the same save as CSV files (ADR 0009).

A file holds one object (a service, organization, service_at_location or location; any other HSDS object when the file
is named after it, like taxonomy_term.json), an array of them, a page of the API ({"total_items": ..., "contents": [...]})
or the tabular form ({"services.csv": [rows], ...}, the specification's examples/tabular.json). Every nested object
becomes a row of its own file: service.phones[] rows of phones.csv with the service's id in service_id,
service.organization a row of organizations.csv whose id fills services.csv's organization_id, attributes and metadata
get link_id/link_entity and resource_id/resource_type. A foreign key the child states itself must agree with where it
is nested. The same object nested several times (the official examples repeat one phone ten times) is one row, with the
links of every place it is nested; the same id with another value in a field is an error.

Types follow the JSON schema (a string where the schema says string, a number where it says number); a number keeps the
text it was written with. null is no value. Errors and warnings name the file and a JSON path
(service_full.json: contents[3].phones[0].number) instead of a line and column. Limits besides the upload size:
jsonparse's MAX_DEPTH levels of nesting, MAX_OBJECTS objects and MAX_STRINGS strings per file, MAX_EXTRA_COLUMNS
unknown fields per table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext

from balie.core.csvcheck import RowError

from .jsonparse import BAD_CHARS, MAX_DEPTH, Number, parse
from .schema import EXTENSIONS, RESOURCES, Column, Resource, Row

MAX_EXTRA_COLUMNS = 50  # unknown fields per table; each becomes a column of every row
MAX_FINDINGS = 500  # errors listed (validate.MAX_ERRORS), the rest only counted
BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES.values()}
# The nested properties of HSDS 3.0 (schema/*.json) and the object each holds; a plural name holds an array.
NESTED = {
    "phones": "phone", "schedules": "schedule", "service_areas": "service_area", "service_at_locations": "service_at_location",
    "languages": "language", "funding": "funding", "cost_options": "cost_option", "programs": "program", "contacts": "contact",
    "required_documents": "required_document", "attributes": "attribute", "metadata": "metadata", "locations": "location",
    "services": "service", "organization_identifiers": "organization_identifier", "addresses": "address",
    "accessibility": "accessibility", "organization": "organization", "program": "program", "location": "location",
    "service": "service", "taxonomy_term": "taxonomy_term", "taxonomy_detail": "taxonomy",
}
SINGLE = {"organization", "program", "location", "service", "taxonomy_term", "taxonomy_detail"}
# Which nested properties each object has in HSDS 3.0's schema/*.json (plus an organization's "services" and a
# service_at_location's "service", which API responses nest as well). A property of another object's name is an
# unknown property here ("languages": "nl, en" inside a service_area): the schema allows those, so it is passed over
# with a warning, never read as a nested list.
_OWN = {"attributes", "metadata"}
NESTED_IN: dict[str, set[str]] = {
    "service": _OWN | {"phones", "schedules", "service_areas", "service_at_locations", "languages", "organization", "funding",
                       "cost_options", "program", "required_documents", "contacts"},
    "organization": _OWN | {"funding", "contacts", "phones", "locations", "programs", "organization_identifiers", "services"},
    "location": _OWN | {"languages", "addresses", "contacts", "accessibility", "phones", "schedules"},
    "service_at_location": _OWN | {"contacts", "phones", "schedules", "location", "service"},
    "contact": _OWN | {"phones"},
    "phone": _OWN | {"languages"},
    "attribute": {"taxonomy_term", "metadata"},
    "taxonomy_term": {"taxonomy_detail", "metadata"},
    "taxonomy": {"metadata"},
    "metadata": set(),
}
BASE_KEYS = {"version", "profile", "openapi_url"}  # examples/base.json: which profile, no data


def _join(path: str, key: str) -> str:
    key = BAD_CHARS.sub("\ufffd", key)  # a lone UTF-16 half in a key cannot be written into the page that names it
    return f"{path}.{key}" if path else key


class Table:
    """The rows of one file of the package, flattened from JSON, with where each row and value came from."""

    def __init__(self, resource: Resource):
        self.resource = resource
        self.rows: list[Row] = []
        self.where: list[dict[str, str]] = []  # per row: column -> "file: path" of its value
        self.base: list[str] = []  # per row: "file: path" of the object
        self.index: dict[str, int] = {}
        self.extra: list[str] = []
        self.files: list[str] = []

    @property
    def header(self) -> list[str]:
        return self.resource.column_names + [c for c in EXTENSIONS.get(self.resource.path, []) if c in self.extra] + [
            c for c in self.extra if c not in EXTENSIONS.get(self.resource.path, [])]

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Lines as validate reads them: the header is line 1, row n is line n + 1."""
        header = self.header
        yield 1, header
        for number, row in enumerate(self.rows, 2):
            yield number, [row.get(c, "") for c in header]

    def locate(self, error: RowError) -> RowError:
        """The error with the JSON file and path in place of a line and column."""
        if error.line >= 2:
            n = error.line - 2
            where = self.where[n].get(error.column) or (self.base[n] + ("." if ": " in self.base[n] else ": ") + error.column
                                                        if error.column else self.base[n])
        elif error.column:
            n = next((i for i, w in enumerate(self.where) if error.column in w), 0)
            where = self.where[n].get(error.column, self.base[n]) if self.rows else self.resource.path
        else:
            where = f"{', '.join(self.files)} ({self.resource.path})"
        return RowError(0, "", error.message, file=where)


class Flattener:
    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self.errors: list[RowError] = []
        self.omitted = 0  # errors past MAX_FINDINGS, only counted
        self.warnings: list[RowError] = []
        self.file = ""
        self.conflicts: set[tuple[str, str, str]] = set()
        self.cells = False  # the tabular form: its values are the cells of CSV files, so a number may stand for a text

    def at(self, path: str) -> str:
        return f"{self.file}: {path}" if path else self.file

    def error(self, path: str, message: str, where: str | None = None) -> None:
        if len(self.errors) < MAX_FINDINGS:
            self.errors.append(RowError(0, "", message, file=self.at(path) if where is None else where))
        else:
            self.omitted += 1

    def warn(self, path: str, message: str) -> None:
        if len(self.warnings) < MAX_FINDINGS:  # validate adds its own after these, up to its MAX_WARNINGS
            self.warnings.append(RowError(0, "", message, file=self.at(path)))

    def read(self, name: str, text: str) -> None:
        self.file, self.cells = name, False
        data = parse(text, name)
        if isinstance(data, dict) and data and all(isinstance(k, str) and k.endswith(".csv") for k in data):
            self.cells = True
            for file, rows in data.items():  # the tabular form: file name -> its rows
                resource = RESOURCES.get(file)
                if resource is None:
                    self.warn(f'["{file}"]', gettext("Dit bestand hoort niet bij HSDS 3.0. Balie heeft het niet gebruikt."))
                elif not isinstance(rows, list):
                    self.error(f'["{file}"]', gettext("Hier hoort een lijst ([...]) van objecten."))
                else:
                    for i, row in enumerate(rows):
                        self.walk(row, resource, f'["{file}"][{i}]', None, 2)
            return
        prefix: str | None = None
        if isinstance(data, dict) and "contents" in data and not ({"id"} & set(data)):
            items, prefix = data["contents"], "contents"
            if not isinstance(items, list):
                self.error("contents", gettext("Hier hoort een lijst ([...]) van objecten."))
                return
        elif isinstance(data, dict) and data and set(data) <= BASE_KEYS:
            self.warn("", gettext("Dit bestand beschrijft alleen de versie en het profiel, zonder HSDS-gegevens. Balie heeft het niet gebruikt."))
            return
        else:
            items, prefix = (data, "") if isinstance(data, list) else ([data], None)
        hint, not_object = _kind_from_name(name), gettext("Hier hoort een HSDS-object ({...}).")  # once: a file may hold millions
        for i, item in enumerate(items):
            path = "" if prefix is None else f"{prefix}[{i}]"
            if not isinstance(item, dict):
                self.error(path, not_object)
                continue
            kind = hint or _kind_of(item)
            if kind is None:
                self.error(path, gettext("Balie herkent niet welk HSDS-object dit is. Geef het bestand de naam van het object, zoals "
                                         "services.json, organizations.json, locations.json of service_at_locations.json."))
            else:
                self.walk(item, BY_NAME[kind], path, None, 1 + (prefix is not None))

    def walk(self, obj: Any, resource: Resource, path: str, parent: tuple[Resource, str] | None, depth: int) -> str:
        """One object as a row of its file, after its nested objects; returns its id."""
        if not isinstance(obj, dict):
            self.error(path, gettext("Hier hoort een HSDS-object ({...})."))
            return ""
        if depth > MAX_DEPTH:
            self.error(path, gettext("Hier is het JSON-bestand dieper genest dan %(max)s niveaus.") % {"max": MAX_DEPTH})
            return ""
        for key in getattr(obj, "duplicates", []):
            self.error(_join(path, key), gettext("Dit veld staat twee keer in hetzelfde object; welke waarde geldt is niet duidelijk."))
        row, where, nested = self.fields(obj, resource, path, depth)
        if parent is not None:
            self.link(row, where, resource, parent, path)
        own_id, walked = row.get("id", ""), []
        for key, value in nested:
            child, here = BY_NAME[NESTED[key]], _join(path, key)
            if (key in SINGLE) != isinstance(value, dict) or (key not in SINGLE and not isinstance(value, list)):
                self.error(here, gettext("Hier hoort één object ({...}).") if key in SINGLE else
                           gettext("Hier hoort een lijst ([...]) van objecten."))
                continue
            down, up = _references(child, resource), _references(resource, child)
            if not (down or up or child.name in ("attribute", "metadata")):
                self.warn(here, gettext("HSDS 3.0 koppelt %(child)s niet aan %(parent)s. De objecten zijn overgenomen zonder die "
                                        "koppeling.") % {"child": child.name, "parent": resource.name})
            for i, item in enumerate([value] if key in SINGLE else value):
                child_path = here if key in SINGLE else f"{here}[{i}]"
                child_id = self.walk(item, child, child_path, (resource, own_id), depth + 1 + (key not in SINGLE))
                walked.append((child, child_id, child_path))
                if up and not down and child_id:
                    self.fill(row, where, up, child_id, child_path, path)
        for child, child_id, child_path in walked:
            self.inherit(child, child_id, resource, row, child_path)
        self.add(resource, row, where, path)
        return own_id

    def fields(self, obj: dict[str, Any], resource: Resource, path: str, depth: int) -> tuple[Row, dict[str, str], list[tuple[str, Any]]]:
        """The object's own values (row, and where each came from) and its nested objects, still to walk."""
        columns = {c.name: c for c in resource.columns}
        row: Row = {}
        where: dict[str, str] = {}
        nested = []
        for key, value in obj.items():
            here = _join(path, key)
            if key in NESTED_IN.get(resource.name, _OWN) and key not in columns:
                if value is not None:
                    nested.append((key, value))
            elif isinstance(value, (dict, list)):
                if key in columns:
                    self.error(here, gettext("Hier hoort één waarde (tekst of een getal), geen lijst of object."))
                elif _depth(value) + depth > MAX_DEPTH:
                    self.error(here, gettext("Hier is het JSON-bestand dieper genest dan %(max)s niveaus.") % {"max": MAX_DEPTH})
                else:
                    self.warn(here, gettext("Dit veld hoort niet bij HSDS 3.0. Balie heeft het niet gebruikt."))
            elif text := self.scalar(columns.get(key), value, here):
                row[key], where[key] = text, self.at(here)
        return row, where, nested

    def inherit(self, child: Resource, child_id: str, resource: Resource, row: Row, path: str) -> None:
        """A foreign key the tabular form requires and JSON does not, taken from the object the child is nested in: a
        program nested in a service belongs to the service's organization."""
        table = self.tables.get(child.path)
        n = table.index.get(child_id) if table and child_id else None
        if table is None or n is None:
            return
        for column in [c.name for c in child.columns if c.required and c.name in child.references and not table.rows[n].get(c.name)]:
            value = row.get(next((c for c, p in resource.references.items() if p == child.references[column]), ""), "")
            if value:
                table.rows[n][column], table.where[n][column] = value, self.at(path)

    def scalar(self, column: Column | None, value: Any, path: str) -> str:
        if value is None:
            return ""
        wants_number = column is not None and column.type in ("number", "integer")
        if isinstance(value, bool) or (isinstance(value, Number) and column is not None and not wants_number and not self.cells):
            self.error(path, gettext("HSDS 3.0 vraagt hier tekst (tussen aanhalingstekens), geen getal of true/false."))
            return ""
        if wants_number and not isinstance(value, Number):
            self.error(path, gettext("HSDS 3.0 vraagt hier een getal (zonder aanhalingstekens)."))
            return ""
        if BAD_CHARS.search(value):
            self.error(path, gettext("Hier staat een teken dat geen tekst is (NUL of een losse UTF-16-helft). Sla het bestand "
                                     "opnieuw op als JSON in UTF-8."))
            return ""
        return str(value)

    def fill(self, row: Row, where: dict[str, str], column: str, value: str, source: str, path: str) -> None:
        if row.get(column) and row[column] != value:
            self.error(_join(path, column), gettext("Hier staat %(value)s, maar het object dat hier genest is, heeft id %(id)s.") % {
                "value": row[column][:60], "id": value[:60]})
        else:
            row[column] = value
            where.setdefault(column, self.at(source))

    def link(self, row: Row, where: dict[str, str], resource: Resource, parent: tuple[Resource, str], path: str) -> None:
        """The child's foreign key to the object it is nested in, when the child does not state it."""
        above, parent_id = parent
        if not parent_id:
            return
        if resource.name in ("attribute", "metadata"):
            id_column, kind_column = ("link_id", "link_entity") if resource.name == "attribute" else ("resource_id", "resource_type")
            self.fill(row, where, id_column, parent_id, path, path)
            if not row.get(kind_column):
                row[kind_column], where[kind_column] = above.name, self.at(path)
            return
        column = _references(resource, above)
        if column:
            self.fill(row, where, column, parent_id, path, path)

    def add(self, resource: Resource, row: Row, where: dict[str, str], path: str) -> None:
        table = self.tables.setdefault(resource.path, Table(resource))
        if self.file not in table.files:
            table.files.append(self.file)
        known = set(resource.column_names)
        for column in [c for c in row if c not in known and c not in table.extra]:
            if BAD_CHARS.search(column):
                self.error(_join(path, column), gettext("Hier staat een teken dat geen tekst is (NUL of een losse UTF-16-helft). Sla "
                                                        "het bestand opnieuw op als JSON in UTF-8."))
                row.pop(column)
            elif len(table.extra) >= MAX_EXTRA_COLUMNS or len(column) > 100:
                self.error(_join(path, column), gettext("Er staan meer dan %(max)s velden in %(name)s-objecten die niet bij HSDS 3.0 "
                                                        "horen.") % {"max": MAX_EXTRA_COLUMNS, "name": resource.name})
                row.pop(column)
            else:
                table.extra.append(column)
        row_id = row.get("id", "")
        n = table.index.get(row_id) if row_id else None
        if n is None:
            if row_id:
                table.index[row_id] = len(table.rows)
            table.rows.append(row)
            table.where.append(where)
            table.base.append(self.at(path))
            return
        seen, seen_where = table.rows[n], table.where[n]
        for column, value in row.items():
            if column not in seen:
                seen[column], seen_where[column] = value, where[column]
            elif seen[column] != value and (resource.path, row_id, column) not in self.conflicts:
                self.conflicts.add((resource.path, row_id, column))  # once, not at every place the object is nested
                self.error("", gettext("Het id %(id)s staat ook op %(other)s, met een andere waarde voor %(column)s (%(a)s tegen %(b)s). "
                                       "Eén id hoort bij één object.") % {"id": row_id[:60], "other": seen_where.get(column, table.base[n]),
                                                                          "column": column, "a": seen[column][:60], "b": value[:60]},
                           where=where[column])


def locate(files: dict[str, Any], findings: list[RowError]) -> list[RowError]:
    """Errors or warnings of validate, those about a table from JSON with a JSON path in place of a line and column."""
    return [files[e.file].locate(e) if isinstance(files.get(e.file), Table) else e for e in findings]


def _references(resource: Resource, target: Resource) -> str:
    """The column of resource that refers to target (service -> organization: organization_id), or ""."""
    return next((column for column, path in resource.references.items() if path == target.path), "")


def _kind_from_name(name: str) -> str | None:
    stem = name.rsplit("/", 1)[-1].lower().replace("organisation", "organization")
    return next((kind for kind in sorted(BY_NAME, key=len, reverse=True) if stem.startswith(kind)), None)


def _kind_of(obj: dict[str, Any]) -> str | None:
    if "location_type" in obj:
        return "location"
    if {"status", "service_at_locations", "organization", "program", "service_areas", "cost_options"} & set(obj):
        return "service"
    if {"service", "location", "service_id"} & set(obj):
        return "service_at_location"
    if {"services", "locations", "organization_identifiers", "programs", "website", "year_incorporated"} & set(obj):
        return "organization"
    return None


def _depth(value: Any) -> int:
    """How deep a value is nested, counted without recursion (a value Balie does not use, but keeps no limit from)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item) if isinstance(v, (dict, list)))
    return deepest


def flatten(files: list[tuple[str, str]]) -> tuple[dict[str, Table], list[RowError], list[RowError], int]:
    """JSON files (name, text) as tables of the package, the warnings about them, the errors and how many more errors
    there were (only counted). An error does not stop
    the reading: the check of the tables (required fields, code lists, references) runs as well, so the coordinator
    gets every error of the package at once, as for CSV (a value of the wrong type is left out of its table)."""
    flattener = Flattener()
    for name, text in files:
        flattener.read(name, text)
    return flattener.tables, flattener.warnings, flattener.errors, flattener.omitted
