"""HSDS 3.0 packages written differently from ours (issue 13, item 3), found by probing with packages we did not make.

Valid under the standard, so they must import and export what was imported: CSV files with old-Mac line ends (a lone
CR), numbers the Frictionless Table Schema allows (NaN, INF, an exponent), byday in lower case. The official example
and packages generated from the schema (held-out seeds, not the ones test_hsds_standard.py uses) are rewritten in each
shape. A folder with a file that is not UTF-8 is refused with the file's name, not a traceback; a ZIP made on a Mac
(with __MACOSX/._* metadata files) imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from balie.network.models import Organisation
from balie.partners import hsds
from balie.partners.models import HsdsRecord, Partner, PartnerLocation, Service, ServiceHours
from tests.test_hsds_standard import generate, official, rows_of


def rewrite(text: str, end: str = "\n", change=None) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if change:
        rows = [rows[0]] + [[change(h, c) for h, c in zip(rows[0], r)] for r in rows[1:]]
    buffer = io.StringIO()
    # Python 3.11's writer quotes a value for the characters of its own line end only; a text with "\n" in a CR file
    # needs its quotes too, as every spreadsheet writes them.
    csv.writer(buffer, lineterminator=end, quoting=csv.QUOTE_ALL if end == "\r" else csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def orgs(network):
    return Organisation.objects.get(code="BIB-RDAM"), Organisation.objects.get(code="BIB-GOUDA")


def round_trip(files: dict[str, str], rdam, gouda) -> dict[str, str]:
    hsds.import_package(files, organisation=rdam)
    exported = hsds.export_package(rdam)
    hsds.import_package(exported, organisation=gouda)
    assert hsds.export_package(gouda) == exported
    return exported


@pytest.mark.parametrize("seed", [None, 301, 302, 303, 304, 305])
def test_a_package_with_lone_cr_line_ends_imports_like_the_same_package_with_lf(orgs, seed):
    rdam, gouda = orgs
    files = official() if seed is None else generate(seed)[0]
    # A description over two lines, with a CRLF inside the quotes, must stay one value.
    if "services.csv" in files:
        files["services.csv"] = rewrite(files["services.csv"], change=lambda h, c: c + "\r\nTweede regel" if h == "description" and c.strip() else c)
    cr = {name: rewrite(text, "\r") for name, text in files.items()}
    exported = round_trip(cr, rdam, gouda)
    want = {(r.resource, r.hsds_id): r.data for r in HsdsRecord.objects.filter(organisation=rdam)}
    HsdsRecord.objects.all().delete()
    hsds.import_package(files, organisation=rdam)  # the same package with LF
    assert {(r.resource, r.hsds_id): r.data for r in HsdsRecord.objects.filter(organisation=rdam)} == want
    if "services.csv" in files:
        assert all(r["description"].endswith("\r\nTweede regel") for r in rows_of(exported["services.csv"]) if r["description"]), [r["description"] for r in rows_of(exported["services.csv"])]


def test_table_schema_numbers_import_and_come_back_as_written(orgs):
    rdam, gouda = orgs
    files = official()
    spelled = {"latitude": "5.192E1", "longitude": "4.470"}
    files["locations.csv"] = rewrite(files["locations.csv"], change=lambda h, c: spelled.get(h, c))
    files["organizations.csv"] = rewrite(files["organizations.csv"], change=lambda h, c: "NaN" if h == "year_incorporated" else c)
    files["services.csv"] = rewrite(files["services.csv"], change=lambda h, c: {"minimum_age": "-INF", "maximum_age": "INF"}.get(h, c))
    files["schedules.csv"] = rewrite(files["schedules.csv"], change=lambda h, c: "mo,tu" if h == "byday" else c)
    exported = round_trip(files, rdam, gouda)
    location = PartnerLocation.objects.get(partner__organisation=rdam)
    assert (location.lat, location.lon) == (51.92, 4.47)
    row = rows_of(exported["locations.csv"])[0]
    assert (row["latitude"], row["longitude"]) == ("5.192E1", "4.470")
    assert rows_of(exported["organizations.csv"])[0]["year_incorporated"] == "NaN"
    assert [(r["minimum_age"], r["maximum_age"]) for r in rows_of(exported["services.csv"])] == [("-INF", "INF")]
    assert set(ServiceHours.objects.filter(service__partner__organisation=rdam).values_list("weekday", flat=True)) == {0, 1}
    assert [r["byday"] for r in rows_of(exported["schedules.csv"])] == ["mo,tu"]
    # NaN is a number, but no place on earth: imported, with a warning, without a position.
    files["locations.csv"] = rewrite(files["locations.csv"], change=lambda h, c: "NaN" if h == "latitude" else c)
    result = hsds.import_package(files, organisation=rdam)
    assert ("locations.csv", "latitude") in {(w.file, w.column) for w in result.warnings}
    assert PartnerLocation.objects.get(partner__organisation=rdam).lat is None


def test_a_folder_with_a_file_that_is_not_utf8_is_refused_naming_the_file(orgs, tmp_path):
    for name, text in official().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "services.csv").write_bytes(official()["services.csv"].replace("Community", "Communïty").encode("cp1252"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsds", str(tmp_path), "--organisation", "BIB-RDAM", stderr=err, stdout=io.StringIO())
    assert "services.csv" in err.getvalue() and "UTF-8" in err.getvalue()
    assert not Partner.objects.exists() and not HsdsRecord.objects.exists()


def test_a_zip_made_on_a_mac_imports(orgs, client_for):
    """A Mac's "Comprimeer" puts Finder metadata next to every file (__MACOSX/._services.csv, binary AppleDouble)."""
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\t\x00\x00\x002\x00\x00\x0e\xb0\xe9\x9a\xff\xfe"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in official().items():
            archive.writestr(f"hsds/{name}", text)
            archive.writestr(f"__MACOSX/hsds/._{name}", apple_double)
    response = client_for("coordinator").post("/sociale-kaart/importeren/", {"bestanden": SimpleUploadedFile("hsds.zip", buffer.getvalue())})
    assert response.status_code == 200 and "Geïmporteerd: 1 organisaties, 1 diensten en 1 locaties." in response.content.decode()


def test_a_value_twice_in_a_column_the_schema_makes_unique_refuses_the_package(orgs):
    """HSDS 3.0 marks programs.organization_id and taxonomy_terms.code unique, not only the ids (found by validating our
    exports with the Frictionless validator)."""
    rdam, _ = orgs
    files = official()
    for name, column in (("programs.csv", "organization_id"), ("taxonomy_terms.csv", "code")):
        rows = list(csv.reader(io.StringIO(files[name], newline="")))
        twin = [str(uuid.UUID(int=41)) if h == "id" else c for h, c in zip(rows[0], rows[1])]
        bad = {**files, name: files[name] + ",".join(f'"{c}"' for c in twin) + "\n"}
        with pytest.raises(hsds.HsdsRejected) as exc:
            hsds.import_package(bad, organisation=rdam)
        assert (name, 3, column) in {(e.file, e.line, e.column) for e in exc.value.errors}
        assert not Partner.objects.exists() and not HsdsRecord.objects.exists()
    # An empty value is no value: two taxonomy terms without a code import.
    rows = list(csv.reader(io.StringIO(files["taxonomy_terms.csv"], newline="")))
    blank = [[(str(uuid.UUID(int=k)) if k and h == "id" else c) if h != "code" else "" for h, c in zip(rows[0], rows[1])] for k in (0, 52)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([rows[0], *blank])
    hsds.import_package({**files, "taxonomy_terms.csv": buffer.getvalue()}, organisation=rdam)


def test_hours_typed_in_balie_are_exported_as_table_schema_times(orgs):
    rdam, _ = orgs
    hsds.import_package(official(), organisation=rdam)
    service = Service.objects.get(partner__organisation=rdam)
    ServiceHours.objects.create(service=service, weekday=2, kind="in_person", opens=dt.time(9), closes=dt.time(12, 30))
    rows = [r for r in rows_of(hsds.export_package(rdam)["schedules.csv"]) if r["byday"] == "WE"]
    assert [(r["opens_at"], r["closes_at"]) for r in rows] == [("09:00:00", "12:30:00")]
