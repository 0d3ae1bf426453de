"""HSDS 3.0 packages written blind (session 17): a helper who had not seen the importer built 42 valid and 26 invalid
packages (the specification's examples, Dutch packages in every shape, two third-party profiles) and checked them with
frictionless and jsonschema. What it found, each as a rule with a test here: an unknown property that happens to have
the name of an HSDS list ("languages": "nl, en" inside a service_area) is passed over, not read as a list; 24:00:00 is
a time (the end of the day); an empty attending_type comes back empty; every JSON error is listed at once; the command
line takes a ZIP, prints the warnings the page shows and does not fall over on a link that points nowhere.
"""

from __future__ import annotations

import csv
import io
import json
import pathlib
import zipfile

import pytest
from django.core.management import CommandError, call_command
from test_hsds_json import exported, upload  # tests/ is on sys.path

from balie.network.models import Organisation
from balie.partners.models import HsdsRecord, Partner, Service, ServiceHours

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
OFFICIAL_JSON = FIXTURES / "hsds-official-json"
OFFICIAL_CSV = FIXTURES / "hsds-official"


@pytest.fixture
def logged_in(network, client_for):
    """The coordinator of Bibliotheek Rotterdam on the upload page's client, and that organisation."""
    return client_for("coordinator"), Organisation.objects.get(code="BIB-RDAM")


def service_full() -> dict:
    return json.loads((OFFICIAL_JSON / "service_full.json").read_text(encoding="utf-8"))


def csv_package(**changes: list[dict[str, str]]) -> list[tuple[str, bytes]]:
    """The specification's CSV example, with whole files replaced by rows (a dict per row) where asked."""
    files = []
    for path in sorted(OFFICIAL_CSV.glob("*.csv")):
        if path.stem in changes:
            rows = changes[path.stem]
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
            files.append((path.name, out.getvalue().encode()))
        else:
            files.append((path.name, path.read_bytes()))
    return files


def official_rows(name: str) -> list[dict[str, str]]:
    with (OFFICIAL_CSV / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("where", "value"), [
    (("service_areas", 0, "languages"), "nl, en"),  # a property of another object's name, as text
    (("service_areas", 0, "phones"), {"note": "call us"}),  # or as an object
    (("service_at_locations", 0, "location", "accessibility", 0, "accessibility"), "rolstoeltoegankelijk"),
])
def test_an_unknown_property_named_like_an_hsds_list_is_passed_over(logged_in, where, value):
    coordinator, rdam = logged_in
    data = service_full()
    target = data
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    response = upload(coordinator, ("service_full.json", json.dumps(data).encode()))
    body = response.content.decode()
    assert response.status_code == 200 and "Er is niets geïmporteerd" not in body, body[:2000]
    assert Service.objects.filter(partner__organisation=rdam).count() == 1
    assert "service_full.json: " + ".".join(f"{k}" if isinstance(k, str) else f"[{k}]" for k in where).replace(".[", "[") in body  # a warning names it


@pytest.mark.parametrize("closes", ["24:00:00", "24:00"])
def test_the_end_of_the_day_is_a_time_and_comes_back_as_written(logged_in, closes):
    coordinator, rdam = logged_in
    rows = official_rows("schedules")
    rows[0]["closes_at"] = closes
    response = upload(coordinator, *csv_package(schedules=rows))
    assert response.status_code == 200 and "Er is niets geïmporteerd" not in response.content.decode()
    assert ServiceHours.objects.filter(service__partner__organisation=rdam, closes__hour=23, closes__minute=59).exists()
    assert exported(coordinator)["schedules.csv"][0]["closes_at"] == closes


def _set_everywhere(data, key: str, value: str) -> None:
    """The example nests one schedule in two places; an id must have one value, so both change."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                data[k] = value
            else:
                _set_everywhere(v, key, value)
    elif isinstance(data, list):
        for item in data:
            _set_everywhere(item, key, value)


def test_the_end_of_the_day_in_json(logged_in):
    coordinator, rdam = logged_in
    data = service_full()
    _set_everywhere(data, "closes_at", "24:00:00")
    response = upload(coordinator, ("service_full.json", json.dumps(data).encode()))
    assert response.status_code == 200 and "Er is niets geïmporteerd" not in response.content.decode()


@pytest.mark.parametrize("closes", ["24:30:00", "25:00", "24:00:01"])
def test_past_the_end_of_the_day_is_no_time(logged_in, closes):
    coordinator, rdam = logged_in
    rows = official_rows("schedules")
    rows[0]["closes_at"] = closes
    response = upload(coordinator, *csv_package(schedules=rows))
    assert "is geen tijd" in response.content.decode() and not HsdsRecord.objects.filter(organisation=rdam).exists()


def test_an_empty_attending_type_comes_back_empty(logged_in):
    coordinator, rdam = logged_in
    rows = official_rows("schedules")
    rows[0]["attending_type"] = ""
    assert upload(coordinator, *csv_package(schedules=rows)).status_code == 200
    out = exported(coordinator)["schedules.csv"]
    assert [r["attending_type"] for r in out if r["id"] == rows[0]["id"]] == [""]


def test_every_json_error_is_listed_at_once(logged_in):
    coordinator, rdam = logged_in
    data = service_full()
    data["phones"][0]["extension"] = "honderd"  # a type error, found while reading the JSON
    data["status"] = "open"  # not in the code list
    del data["name"]  # required
    response = upload(coordinator, ("service_full.json", json.dumps(data).encode()))
    body = response.content.decode()
    assert "phones[0].extension" in body and "status" in body and "service_full.json: name" in body, body[:3000]
    assert not Partner.objects.filter(organisation=rdam).exists()


def test_the_command_line_takes_a_zip_and_prints_the_warnings(network, tmp_path):
    archive = tmp_path / "kaart.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in csv_package():
            z.writestr(f"kaart/{name}", data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hsds", str(archive), "--organisation", "BIB-RDAM", stdout=out, stderr=err)
    assert "Geïmporteerd: 1 organisaties" in out.getvalue()
    assert "Let op: service_areas.csv regel 2, kolom extent" in err.getvalue()  # the page lists the same warning


def test_a_link_that_points_nowhere_is_passed_over(logged_in, tmp_path):
    rdam = logged_in[1]
    for name, data in csv_package():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "datapackage.json").symlink_to(tmp_path / "missing" / "datapackage.json")
    call_command("import_hsds", str(tmp_path), "--organisation", "BIB-RDAM", stdout=io.StringIO(), stderr=io.StringIO())
    assert Service.objects.filter(partner__organisation=rdam).count() == 1


def test_a_zip_that_is_no_zip_is_refused_on_the_command_line(network, tmp_path):
    bad = tmp_path / "kaart.zip"
    bad.write_bytes(b"dit is geen zip")
    with pytest.raises(CommandError):
        call_command("import_hsds", str(bad), "--organisation", "BIB-RDAM", stdout=io.StringIO(), stderr=io.StringIO())
