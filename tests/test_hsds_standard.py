"""HSDS as the standard defines it (issue 13, item 3).

The official example package of the Open Referral specification (tests/fixtures/hsds-official, see SOURCE.txt) imports,
exports and imports again unchanged; packages generated from the HSDS 3.0 schema itself (random subsets of files and
optional columns, shuffled column orders, unknown columns, dangling optional references) import with the right warnings;
and one schema violation at a time refuses the whole package with that file, line and column, saving nothing.
"""

from __future__ import annotations

import csv
import io
import json
import pathlib
import random
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balie.network.models import Organisation
from balie.partners import hsds
from balie.partners.hsds.schema import RESOURCES, SCHEMA_PATH
from balie.partners.models import HoursKind, HsdsRecord, Partner, PartnerLocation, Service

OFFICIAL = pathlib.Path(__file__).parent / "fixtures" / "hsds-official"
SHARED_SCHEMA = pathlib.Path("/work/shared/data/hsds-3.0/datapackage.json")
PERSON_COLUMNS = {("addresses.csv", "attention"), ("metadata.csv", "updated_by")}


def official() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in OFFICIAL.glob("*.csv")}


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def orgs(network):
    return Organisation.objects.get(code="BIB-RDAM"), Organisation.objects.get(code="BIB-GOUDA")


def test_the_schema_is_the_standard_unchanged():
    package = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert package["version"] == "3.0.0" and len(package["resources"]) == 21
    if SHARED_SCHEMA.exists():
        assert json.loads(SHARED_SCHEMA.read_text(encoding="utf-8")) == package


def test_it_imports_the_official_example_and_exports_what_it_imported(orgs):
    rdam, gouda = orgs
    files = official()
    result = hsds.import_package(files, organisation=rdam)
    assert (result.partners, result.services, result.locations) == (1, 1, 1)
    assert result.records == sum(len(rows_of(t)) for n, t in files.items() if n != "contacts.csv") == 20
    warned = {(w.file, w.line, w.column) for w in result.warnings}
    assert warned == {
        ("contacts.csv", 0, ""),  # contact persons are not kept
        ("addresses.csv", 0, "attention"), ("metadata.csv", 0, "updated_by"),  # names of people
        ("locations.csv", 2, "organization_id"),  # 985e4a42-... is no organization in the package
        ("taxonomy_terms.csv", 2, "taxonomy_id"),
        ("locations.csv", 2, "latitude"),  # 100, 101
        ("service_areas.csv", 2, "extent"),  # a text, no Dutch municipality
    }
    service = Service.objects.get(partner__organisation=rdam)
    # Free text stays free text: the schedule's attending_type is a sentence, it becomes opening hours.
    assert service.open_hours_text == "do-vr 10:00-18:00" and not service.hours.filter(kind=HoursKind.WARME_LIJN).exists()
    assert service.warm_phone == "+44 1234 234567" and service.language_list == ["OVERIG"]
    location = PartnerLocation.objects.get(partner__organisation=rdam)
    assert (location.address, location.postcode, location.plaats) == ("1-30 Main Street MyVillage", "ABC 123", "MyCity")
    assert location.partner == service.partner and location.lat is None
    exported = hsds.export_package(rdam)
    assert set(exported) == set(hsds.FILES)
    # Every imported row comes back with every value, except the names of people.
    for name, text in files.items():
        out = {r["id"]: r for r in rows_of(exported[name])}
        for row in rows_of(text):
            if name == "contacts.csv":
                assert row["id"] not in out
                continue
            for column, value in row.items():
                if value.strip() and (name, column) not in PERSON_COLUMNS:
                    assert out[row["id"]][column] == value.strip(), (name, column)
    # And it imports again, into another library, to the same export.
    again = hsds.import_package(exported, organisation=gouda)
    assert (again.partners, again.services, again.locations) == (1, 1, 1)
    assert hsds.export_package(gouda) == exported


def test_the_official_example_imports_over_http_as_a_zip_with_its_warnings(client_for, network):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in official().items():
            archive.writestr(f"examples/csv/{name}", text)
        archive.writestr("examples/csv/datapackage.json", "{}")
    client = client_for("coordinator")
    response = client.post("/sociale-kaart/importeren/", {"bestanden": SimpleUploadedFile("hsds.zip", buffer.getvalue())})
    html = response.content.decode()
    assert response.status_code == 200 and "Geïmporteerd: 1 organisaties, 1 diensten en 1 locaties." in html
    assert 'id="opmerkingen"' in html and "985e4a42-bd9f-4edc-911d-0243a4640aca" in html
    export = zipfile.ZipFile(io.BytesIO(client.get("/sociale-kaart/exporteren/").content))
    assert sorted(export.namelist()) == sorted(hsds.FILES)
    assert "Community Counselling" in export.read("services.csv").decode()


# --- packages generated from the schema ---------------------------------------------------------------------------------
TEXTS = ["Hulp bij post", "Inloop, ook zonder afspraak", 'Zeg "hallo"', "Café Ëlst", "Regel 1\nRegel 2", "  spaties  "]


def _value(rng: random.Random, column, n: int) -> str:
    if column.enum:
        return rng.choice(column.enum)
    if column.format == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if column.format == "email":
        return f"info{n}@voorbeeld{rng.randrange(9)}.nl"
    if column.format == "uri":
        return rng.choice([f"https://voorbeeld.nl/{n}", "http://example.com", "urn:isbn:0451450523", "mailto:a@b.nl"])
    return {
        "number": lambda: rng.choice(["1", "2.5", "-3", "51.92", "4.47", "1e3"]),
        "date": lambda: f"20{rng.randrange(10, 30)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "time": lambda: rng.choice(["09:00", "09:30:00", "17:45", "10:00:00Z"]),
        "datetime": lambda: rng.choice(["2025-03-04T10:00:00Z", "2023-03-15T10:30:45.123Z", "2025-01-01T00:00:00+01:00"]),
    }.get(column.type, lambda: rng.choice(TEXTS))()


def _row(rng: random.Random, resource, columns, ids: dict[str, list[str]], line: int, dangling: list) -> dict[str, str]:
    """One row of generated values; a reference that points nowhere is noted in `dangling` (row index, column)."""
    row = {}
    for column in columns:
        target = resource.references.get(column.name)
        if target and target != resource.path:
            if ids.get(target) and (column.required or rng.random() < 0.8):
                row[column.name] = rng.choice(ids[target])  # a required one is always present (the closure in generate)
            elif not column.required and rng.random() < 0.5:
                row[column.name] = str(uuid.UUID(int=rng.getrandbits(128), version=4))  # points nowhere
                dangling.append((line - 2, column.name))
            else:
                row[column.name] = ""
        elif column.required or rng.random() < 0.7:
            row[column.name] = _value(rng, column, line)
        else:
            row[column.name] = ""
    if resource.path == "schedules.csv" and "byday" in row:
        row["byday"] = rng.choice(["MO", "TU,WE", "SA,SU", "MO,TU,WE,TH,FR"])
    return row


def generate(seed: int) -> tuple[dict[str, str], set[tuple[str, int, str]]]:
    """A valid HSDS 3.0 package from the schema alone, and the warnings it must give (unknown columns, dangling
    optional references). Returns the CSV texts."""
    rng = random.Random(seed)
    chosen = {name for name in RESOURCES if rng.random() < 0.6} | {"organizations.csv"}
    # Files a required reference needs come along.
    changed = True
    while changed:
        changed = False
        for name in list(chosen):
            for column, target in RESOURCES[name].references.items():
                if column in hsds.REQUIRED_COLUMNS[name] and target not in chosen:
                    chosen.add(target)
                    changed = True
    # Referenced files first, so their ids exist when a row refers to them.
    order: list[str] = []
    while len(order) < len(chosen):
        order += [n for n in RESOURCES if n in chosen and n not in order and all(
            t in order or t == n or t not in chosen for t in RESOURCES[n].references.values())][:1]
    ids: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    expected: set[tuple[str, int, str]] = set()
    for name in order:
        resource = RESOURCES[name]
        columns = [c for c in resource.columns if c.required or c.name == "id" or rng.random() < 0.5]
        rng.shuffle(columns)
        header = [c.name for c in columns]
        unknown = [f"extra_{k}" for k in range(rng.randrange(3))]
        for column in unknown:
            header.insert(rng.randrange(len(header) + 1), column)
            expected.add((name, 1, column))
        rows, dangling = [], []
        for line in range(2, 2 + rng.randrange(1, 5)):
            rows.append({**_row(rng, resource, columns, ids, line, dangling), **{column: f"iets {line}" for column in unknown}})
        rows, dangling = _unique(rows, dangling, [c.name for c in columns if c.unique and c.name != "id"])
        ids[name] = [r["id"] for r in rows]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator=rng.choice(["\n", "\r\n"]))
        writer.writeheader()
        writer.writerows(rows)
        texts[name] = buffer.getvalue()
        starts = start_lines(texts[name])  # a text with a line break makes a row longer than one line
        if name != "contacts.csv":  # contacts are not imported, so their references are not checked
            expected |= {(name, starts[index], column) for index, column in dangling}
    return texts, expected


def _unique(rows: list[dict], dangling: list, columns: list[str]) -> tuple[list[dict], list]:
    """Rows without those that repeat a value of a column the schema marks unique (programs.organization_id,
    taxonomy_terms.code); the dangling references renumbered to the rows that stay."""
    seen: dict[str, set[str]] = {c: set() for c in columns}
    kept: list[dict] = []
    kept_dangling = []
    for index, row in enumerate(rows):
        if any(row.get(c) and row[c] in seen[c] for c in columns):
            continue
        for c in columns:
            seen[c].add(row.get(c, ""))
        kept_dangling += [(len(kept), column) for i, column in dangling if i == index]
        kept.append(row)
    return kept, kept_dangling


def start_lines(text: str) -> list[int]:
    """The physical line each data row starts on."""
    reader = csv.reader(io.StringIO(text))
    next(reader)
    starts, end = [], reader.line_num
    for _ in reader:
        starts.append(end + 1)
        end = reader.line_num
    return starts


@pytest.mark.parametrize("seed", range(12))
def test_it_imports_generated_valid_packages_and_round_trips_them(orgs, seed):
    rdam, gouda = orgs
    files, expected = generate(seed)
    result = hsds.import_package(files, organisation=rdam)
    warned = {(w.file, w.line, w.column) for w in result.warnings}
    assert expected <= warned, sorted(expected - warned)
    assert result.partners == len(rows_of(files["organizations.csv"]))
    assert result.services == len(rows_of(files.get("services.csv", "id\n")))
    kept = sum(len(rows_of(t)) for n, t in files.items() if n != "contacts.csv")
    assert HsdsRecord.objects.filter(organisation=rdam).count() == kept == result.records
    exported = hsds.export_package(rdam)
    hsds.import_package(exported, organisation=gouda)
    assert hsds.export_package(gouda) == exported, seed


# --- one schema violation at a time --------------------------------------------------------------------------------------
def _set(files: dict[str, str], name: str, line: int, column: str, value: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(files[name])))
    if column not in rows[0]:
        rows[0].append(column)
        rows[1:] = [r + [""] for r in rows[1:]]
    rows[line - 1][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return {**files, name: buffer.getvalue()}


def _drop_column(files: dict[str, str], name: str, column: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(files[name])))
    at = rows[0].index(column)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
    return {**files, name: buffer.getvalue()}


MUTATIONS = [
    ("a required column missing", lambda f: _drop_column(f, "services.csv", "status"), ("services.csv", 1, "status")),
    ("a required value empty", lambda f: _set(f, "organizations.csv", 2, "name", ""), ("organizations.csv", 2, "name")),
    ("a number that is none", lambda f: _set(f, "locations.csv", 2, "latitude", "51,92"), ("locations.csv", 2, "latitude")),
    ("a date that is none", lambda f: _set(f, "services.csv", 2, "assured_date", "05-01-2026"), ("services.csv", 2, "assured_date")),
    ("a time that is none", lambda f: _set(f, "schedules.csv", 2, "opens_at", "10 uur"), ("schedules.csv", 2, "opens_at")),
    ("a datetime that is none", lambda f: _set(f, "services.csv", 2, "last_modified", "gisteren"), ("services.csv", 2, "last_modified")),
    ("an id that is no UUID", lambda f: _set(f, "programs.csv", 2, "id", "programma-1"), ("programs.csv", 2, "id")),
    ("an e-mail address that is none", lambda f: _set(f, "services.csv", 2, "email", "info@"), ("services.csv", 2, "email")),
    ("a URI that is none", lambda f: _set(f, "organizations.csv", 2, "website", "www.voorbeeld.nl"), ("organizations.csv", 2, "website")),
    ("a value outside the enum", lambda f: _set(f, "services.csv", 2, "status", "open"), ("services.csv", 2, "status")),
    ("a freq outside the enum", lambda f: _set(f, "schedules.csv", 2, "freq", "DAILY"), ("schedules.csv", 2, "freq")),
    ("a required reference to nothing", lambda f: _set(f, "cost_options.csv", 2, "service_id", str(uuid.UUID(int=7))),
     ("cost_options.csv", 2, "service_id")),
    ("an id twice", lambda f: {**f, "funding.csv": f["funding.csv"] + f["funding.csv"].splitlines()[1] + "\n"}, ("funding.csv", 3, "id")),
    ("more cells than columns", lambda f: {**f, "taxonomies.csv": f["taxonomies.csv"].rstrip("\n") + ",extra\n"}, ("taxonomies.csv", 2, "")),
    ("a quote never closed", lambda f: {**f, "programs.csv": f["programs.csv"].replace(",Community", ',"Community', 1)}, ("programs.csv", 2, "")),
]


@pytest.mark.parametrize(("shape", "mutate", "where"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_one_schema_violation_refuses_the_package_with_file_line_and_column(orgs, shape, mutate, where):
    rdam, _ = orgs
    files = mutate(official())
    with pytest.raises(hsds.HsdsRejected) as exc:
        hsds.import_package(files, organisation=rdam)
    found = {(e.file, e.line, e.column) for e in exc.value.errors}
    assert where in found, (shape, found)
    assert not Partner.objects.exists() and not HsdsRecord.objects.exists() and not Service.objects.exists()
