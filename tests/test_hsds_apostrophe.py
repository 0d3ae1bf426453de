"""A leading apostrophe is text in HSDS JSON; only our own CSV export's formula apostrophe is taken off on import.

Our CSV export puts an apostrophe before text that a spreadsheet would run as a formula (core.spreadsheet.safe_cell),
and the CSV import takes it off again (restore_cell). A JSON file is not a spreadsheet: nobody put that apostrophe
there for us, so "'=SUM(A1)" in JSON is imported as "'=SUM(A1)", and the CSV round trip of that text still holds.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balie.partners.models import Service

URL = "/sociale-kaart/importeren/"
NAMES = ["'=SUM(A1)", "'+31 10 123", "'-korting", "'@gemeente"]
ORG = {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Stichting", "description": "Helpt"}


def services() -> list[dict]:
    return [{"id": f"{i:08d}-0000-4000-8000-000000000000", "name": name, "description": f"{name} en meer", "status": "active",
             "organization": ORG} for i, name in enumerate(NAMES)]


def tabular() -> dict[str, list[dict]]:
    # The tabular form: file name -> rows, the cells of CSV files (still JSON, so still no spreadsheet).
    return {"organizations.csv": [ORG], "services.csv": [{**{k: v for k, v in s.items() if k != "organization"},
                                                          "organization_id": ORG["id"]} for s in services()]}


def upload(client, name: str, data: bytes):
    return client.post(URL, {"bestanden": [SimpleUploadedFile(name, data)]})


def stored(code: str) -> dict[str, str]:
    return dict(Service.objects.filter(partner__organisation__code=code).values_list("name", "description"))


@pytest.mark.parametrize("form", ["nested", "tabular"])
def test_a_json_value_keeps_its_leading_apostrophe(network, client_for, form):
    data = json.dumps(services() if form == "nested" else tabular()).encode()
    response = upload(client_for("coordinator"), "services.json", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored("BIB-RDAM") == {name: f"{name} en meer" for name in NAMES}


def test_the_csv_round_trip_of_such_a_text_still_holds(network, client_for):
    coordinator = client_for("coordinator")
    assert upload(coordinator, "services.json", json.dumps(services()).encode()).status_code == 302
    export = coordinator.get("/sociale-kaart/exporteren/")
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        name = next(n for n in archive.namelist() if n.endswith("services.csv"))
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"), newline="")))
    # The export neutralises it once more (a text that looks neutralised gets one apostrophe more) ...
    assert sorted(r["name"] for r in rows) == sorted("'" + n for n in NAMES)
    # ... and our CSV import takes exactly that one off again, in another library.
    response = upload(client_for("coordinator-gouda"), "kaart.zip", export.content)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored("BIB-GOUDA") == stored("BIB-RDAM") == {name: f"{name} en meer" for name in NAMES}
