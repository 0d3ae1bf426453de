"""HSDS 3.0 as JSON (issue 13, item 3), and a ZIP whose datapackage.json says how its CSV files are written.

The specification's own JSON examples (tests/fixtures/hsds-official-json, see SOURCE.txt) import through the coordinator's
upload page and come back in the export with every value; packages generated per seed (optional fields left out, one
object, an array or a page, nested objects or flat ids in a second file) land on the map as generated; hostile JSON is
refused with a clear message, and nothing is saved.
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
from balie.partners.hsds.jsonparse import MAX_DEPTH, MAX_OBJECTS, MAX_STRINGS
from balie.partners.hsds.schema import RESOURCES, SCHEMA_PATH
from balie.partners.models import HsdsRecord, Partner, PartnerLocation, Service

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
OFFICIAL = FIXTURES / "hsds-official-json"
EXAMPLES = sorted(p.name for p in OFFICIAL.glob("*.json") if p.name != "base.json")
PERSON = {("addresses.csv", "attention"), ("metadata.csv", "updated_by")}
URL = "/sociale-kaart/importeren/"


@pytest.fixture
def rdam(network):
    return Organisation.objects.get(code="BIB-RDAM")


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")


def upload(client, *files: tuple[str, bytes]):
    return client.post(URL, {"bestanden": [SimpleUploadedFile(name, data) for name, data in files]})


def exported(client) -> dict[str, list[dict[str, str]]]:
    response = client.get("/sociale-kaart/exporteren/")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {n.rsplit("/", 1)[-1]: list(csv.DictReader(io.StringIO(archive.read(n).decode("utf-8-sig"), newline="")))
                for n in archive.namelist() if n.endswith(".csv")}


def objects_with_id(data, found=None, key=""):
    """Every object with an id anywhere in a JSON document, with its own values (numbers as written; the import trims
    spaces around a value, as it does in CSV) and the property it is nested in."""
    found = [] if found is None else found
    if isinstance(data, dict):
        if "id" in data:
            found.append((key, {k: v for k, v in data.items() if not isinstance(v, (dict, list)) and v is not None}))
        for name, value in data.items():
            objects_with_id(value, found, name)
    elif isinstance(data, list):
        for value in data:
            objects_with_id(value, found, key)
    return found


def as_written(path: pathlib.Path):
    return json.loads(path.read_text(encoding="utf-8"), parse_int=str, parse_float=str)


def assert_exported(out: dict[str, list[dict[str, str]]], objects: list[tuple[str, dict[str, str]]]) -> None:
    by_id: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for name, rows in out.items():
        for row in rows:
            by_id.setdefault(row["id"], []).append((name, row))
    for key, obj in objects:
        candidates = by_id.get(obj["id"], [])
        if key in ("contacts", "contacts.csv"):
            assert not any(name == "contacts.csv" for name, _ in candidates)  # a contact person is not kept
            continue
        assert any(all(row.get(k) == str(v).strip() or (name, k) in PERSON for k, v in obj.items()) for name, row in candidates), [
            (k, v, [row.get(k) for _, row in candidates]) for k, v in obj.items() if any(row.get(k) != str(v).strip() for _, row in candidates)]


def page(items: list, **extra) -> dict:
    return {"total_items": len(items), "total_pages": 1, "page_number": 1, "size": len(items), "first_page": True,
            "last_page": True, "empty": not items, "contents": items, **extra}


def nothing_saved(rdam) -> bool:
    return not HsdsRecord.objects.filter(organisation=rdam).exists() and not Partner.objects.filter(organisation=rdam).exists()


# --- the specification's own examples --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_it_imports_each_official_json_example_and_exports_every_value(rdam, coordinator, name):
    response = upload(coordinator, (name, (OFFICIAL / name).read_bytes()))
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert "Er is niets geïmporteerd" not in response.content.decode()
    assert_exported(exported(coordinator), objects_with_id(as_written(OFFICIAL / name)))


def test_the_full_service_example_lands_on_the_map_with_its_nested_objects(rdam, coordinator):
    response = upload(coordinator, ("service_full.json", (OFFICIAL / "service_full.json").read_bytes()))
    assert response.status_code == 200 and "Geïmporteerd: 1 organisaties, 1 diensten en 1 locaties." in response.content.decode()
    service = Service.objects.get(partner__organisation=rdam)
    assert service.name == "Community Counselling" and service.partner.name == "Example Organization Inc."
    assert service.open_hours_text == "do-vr 10:00-18:00" and list(service.locations.values_list("name", flat=True)) == ["MyCity Civic Center"]
    location = PartnerLocation.objects.get(partner__organisation=rdam)
    assert (location.address, location.plaats) == ("1-30 Main Street MyVillage", "MyCity")
    out = exported(coordinator)
    phone = out["phones.csv"][0]  # nested ten times in the example, one row with the links of every place
    assert len(out["phones.csv"]) == 1 and phone["service_id"] == service.hsds_id and phone["service_at_location_id"] == "e94c9f38-1e8f-4564-91d4-d53501ab1765"
    assert phone["number"] == '"+44 1234 234567"' and phone["extension"] == "100"
    program = out["programs.csv"][0]  # nested in the service, so it belongs to the service's organization
    assert program["organization_id"] == service.partner.hsds_id
    attribute = out["attributes.csv"][0]
    assert attribute["link_entity"] and attribute["link_id"] and attribute["taxonomy_term_id"] == out["taxonomy_terms.csv"][0]["id"]
    # Warnings name the JSON file and the path, not a line of a CSV file Balie made up.
    assert "service_full.json: service_areas[0].extent" in response.content.decode()


def test_all_official_json_examples_together_are_one_consistent_package(rdam, coordinator):
    # location.json is left out: it gives the same location and schedule other values (see the next test).
    files = [(n, (OFFICIAL / n).read_bytes()) for n in EXAMPLES if n not in ("tabular.json", "location.json")] + [
        ("base.json", (OFFICIAL / "base.json").read_bytes())]
    response = upload(coordinator, *files)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert Service.objects.filter(partner__organisation=rdam).count() == 1 and Partner.objects.filter(organisation=rdam).count() == 1
    out = exported(coordinator)
    for name, _ in files:
        assert_exported(out, objects_with_id(as_written(OFFICIAL / name)))
    # Importing the same JSON again changes nothing.
    before = records(rdam)
    upload(coordinator, *files)
    assert records(rdam) == before


def test_one_id_with_two_contents_across_the_official_examples_is_refused_naming_both_places(rdam, coordinator):
    """The specification's location.json has another external_identifier for the location of service_full.json, and
    its schedule opens at 10:00:00 instead of 10:00."""
    response = upload(coordinator, *[(n, (OFFICIAL / n).read_bytes()) for n in ("location.json", "service_full.json")])
    text = response.content.decode()
    assert response.status_code == 422 and nothing_saved(rdam)
    assert "service_full.json: service_at_locations[0].location.external_identifier" in text and "location.json: external_identifier" in text
    assert "service_full.json: schedules[0].opens_at" in text and text.count("Eén id hoort bij één object.") == 4


def test_json_in_a_zip_imports_like_the_loose_file(rdam, coordinator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hsds/service_full.json", (OFFICIAL / "service_full.json").read_bytes())
        archive.writestr("hsds/README.txt", "lees mij")
    response = upload(coordinator, ("kaart.zip", buffer.getvalue()))
    assert response.status_code == 200 and Service.objects.filter(partner__organisation=rdam).count() == 1


# --- generated packages ----------------------------------------------------------------------------------------------


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def social_map(rng: random.Random, seed: int) -> tuple[dict[str, dict[str, dict]], list[dict], list[tuple]]:
    """The rows a generated map should become (file -> id -> row, organizations not yet), its organizations, and per
    service its objects."""
    truth: dict[str, dict[str, dict]] = {name: {} for name in RESOURCES}

    def maybe(row: dict, **optional) -> dict:
        row.update({k: v for k, v in optional.items() if rng.random() < 0.6})
        return row

    orgs = [maybe({"id": _id(rng), "name": f"Stichting {seed}-{i}", "description": "Helpt met geldzaken"},
                  email=f"info{i}@voorbeeld.nl", website="https://voorbeeld.nl", year_incorporated=str(rng.randint(1950, 2020)))
            for i in range(rng.randint(1, 3))]
    shared_location = maybe({"id": _id(rng), "location_type": "physical", "name": "Wijkcentrum"}, latitude="51.92", longitude="4.48")
    services, tree = [], []
    for i in range(rng.choice([1, 1, 2, 4, 6])):
        org = rng.choice(orgs)
        service = maybe({"id": _id(rng), "name": f"Dienst {i}", "status": "active", "organization_id": org["id"]},
                        description="Spreekuur", email="dienst@voorbeeld.nl", minimum_age="18", assured_date="2025-01-31")
        phones = [maybe({"id": _id(rng), "number": f"010 {rng.randint(100, 999)} {rng.randint(1000, 9999)}", "service_id": service["id"]},
                        type="voice")]
        schedules = [maybe({"id": _id(rng), "service_id": service["id"], "freq": "WEEKLY", "byday": rng.choice(["MO", "TU,TH", "FR"]),
                            "opens_at": "09:00", "closes_at": "12:00"}, description="ochtend")]
        languages = [{"id": _id(rng), "service_id": service["id"], "name": "Nederlands", "code": "nl"}] if rng.random() < 0.5 else []
        location = shared_location if rng.random() < 0.5 else maybe({"id": _id(rng), "location_type": "physical"}, name=f"Locatie {i}")
        sal = {"id": _id(rng), "service_id": service["id"], "location_id": location["id"]}
        address = {"id": _id(rng), "location_id": location["id"], "address_1": f"Hoofdstraat {i + 1}", "city": "Rotterdam",
                   "state_province": "Zuid-Holland", "postal_code": "3011 AA", "country": "NL", "address_type": "physical"}
        for name, rows in [("services.csv", [service]), ("phones.csv", phones), ("schedules.csv", schedules),
                           ("languages.csv", languages), ("locations.csv", [location]), ("service_at_location.csv", [sal]),
                           ("addresses.csv", [address])]:
            for row in rows:
                truth[name][row["id"]] = row
        services.append(service)
        tree.append((service, org, phones, schedules, languages, sal, location, address))
    return truth, orgs, tree


def generated(seed: int) -> tuple[dict[str, dict[str, dict]], list[tuple[str, bytes]]]:
    """A social map as the rows it should become (file -> id -> row), and the same map written as HSDS JSON in the
    shape the seed picks."""
    rng = random.Random(seed)
    truth, orgs, tree = social_map(rng, seed)
    nest_children = rng.random() < 0.5  # the children's ids to their parent left out, as nesting says it
    nest_org = rng.random() < 0.5  # the organization inside each service, or in a file of its own
    for org in orgs:
        if not nest_org or any(o is org for _, o, *_ in tree):  # nested, an organization without services is nowhere
            truth["organizations.csv"][org["id"]] = org

    def without(row: dict, *keys: str) -> dict:
        return {k: v for k, v in row.items() if k not in keys} if nest_children else dict(row)

    def typed(row: dict) -> dict:
        numbers = {"latitude", "longitude", "minimum_age", "year_incorporated"}
        return {k: (float(v) if "." in v else int(v)) if k in numbers else v for k, v in row.items()}

    documents = []
    for service, org, phones, schedules, languages, sal, location, address in tree:
        doc = typed(without(service, "organization_id") if nest_org else dict(service))
        if nest_org:
            doc["organization"] = typed(org)
        doc["phones"] = [without(p, "service_id") for p in phones]
        doc["schedules"] = [without(s, "service_id") for s in schedules]
        if languages or rng.random() < 0.5:
            doc["languages"] = [without(lang, "service_id") for lang in languages]
        loc = typed(location) | {"addresses": [without(address, "location_id")]}
        doc["service_at_locations"] = [without(sal, "service_id", "location_id") | {"location": loc}] if nest_children else [dict(sal)]
        if not nest_children:
            documents.append(("location", loc))
        rng.shuffle(keys := list(doc))
        documents.append(("service", {k: doc[k] for k in keys}))
    return truth, written(rng, seed, documents, [] if nest_org else [typed(o) for o in orgs])


def written(rng: random.Random, seed: int, documents: list[tuple[str, dict]], orgs_doc: list[dict]) -> list[tuple[str, bytes]]:
    files = []
    if orgs_doc:
        shape = rng.choice(["array", "page"])
        files.append(("organizations.json", json.dumps(orgs_doc if shape == "array" else page(orgs_doc)).encode()))
    by_kind = {kind: [d for k, d in documents if k == kind] for kind in ("service", "location")}
    for kind, docs in by_kind.items():
        if not docs:
            continue
        shape = rng.choice(["array", "page"] + (["single"] if len(docs) == 1 else []))
        content = docs[0] if shape == "single" else docs if shape == "array" else page(docs)
        name = f"{kind}s_{seed}.json" if rng.random() < 0.5 else f"export-{kind[:3]}-{seed}.json"  # a name Balie does not know
        files.append((name, json.dumps(content, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5).encode()))
    if rng.random() < 0.3:  # the same files in one ZIP
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in files:
                archive.writestr(name, data)
        files = [("kaart.zip", buffer.getvalue())]
    return files


@pytest.mark.parametrize("seed", range(12))
def test_generated_json_packages_land_on_the_map_and_come_back_as_generated(rdam, coordinator, seed):
    truth, files = generated(seed)
    response = upload(coordinator, *files)
    assert response.status_code in (200, 302), response.content.decode()[:3000]
    services = {s.hsds_id: s for s in Service.objects.filter(partner__organisation=rdam)}
    assert set(services) == set(truth["services.csv"])
    for service_id, row in truth["services.csv"].items():
        service = services[service_id]
        assert service.partner.hsds_id == row["organization_id"]
        phone = next(p for p in truth["phones.csv"].values() if p["service_id"] == service_id)
        assert service.warm_phone.replace(" ", "").replace("-", "")[-7:] == phone["number"].replace(" ", "")[-7:]
        locations = {s["location_id"] for s in truth["service_at_location.csv"].values() if s["service_id"] == service_id}
        assert set(service.locations.values_list("hsds_id", flat=True)) == locations
        assert service.hours.count() == sum(len(s["byday"].split(",")) for s in truth["schedules.csv"].values() if s["service_id"] == service_id)
    out = exported(coordinator)
    for name, rows in truth.items():
        got = {r["id"]: r for r in out[name]}
        assert set(got) == set(rows), name
        for row_id, row in rows.items():
            assert {k: got[row_id][k] for k in row} == row, name


# --- hostile JSON -----------------------------------------------------------------------------------------------------


def service(**fields) -> dict:
    return {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "Dienst", "status": "active",
            "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Stichting", "description": "Helpt"}, **fields}


HOSTILE = {
    "deep": ("diep.json", b"[" * 100_000 + b"]" * 100_000, "dieper genest dan"),
    "deep_in_an_unknown_field": ("services.json", json.dumps(service(extra=json.loads("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)))).encode(),
                                 "dieper genest dan"),
    "many_objects": ("services.json", ("[" + ",".join(["{}"] * (MAX_OBJECTS + 1)) + "]").encode(), "objecten"),
    "many_strings": ("services.json", ('["' + '","'.join(["a"] * (MAX_STRINGS + 1)) + '"]').encode(), "teksten"),
    "number_for_text": ("services.json", json.dumps(service(name=12)).encode(), "services.json: name"),
    "text_for_number": ("services.json", json.dumps(service(minimum_age="achttien")).encode(), "services.json: minimum_age"),
    "object_for_text": ("services.json", json.dumps(service(name={"nl": "Dienst"})).encode(), "services.json: name"),
    "list_for_object": ("services.json", json.dumps(service(organization=[])).encode(), "services.json: organization"),
    "object_for_list": ("services.json", json.dumps(service(phones={"id": "x", "number": "010"})).encode(), "services.json: phones"),
    "text_in_a_list": ("services.json", json.dumps(page([service(), "dienst"])).encode(), "services.json: contents[1]"),
    "bool": ("services.json", json.dumps(service(email=True)).encode(), "services.json: email"),
    "same_id_other_content": ("services.json", json.dumps([service(), service(name="Andere dienst")]).encode(), "[1].name"),
    "same_id_other_parent": ("services.json", json.dumps([service(phones=[{"id": "p1", "number": "010 123 4567"}]),
                                                          service(id="b7a6b0d4-3c9e-4f7e-8d53-6a1c1f0e2b11", phones=[{"id": "p1", "number": "010 123 4567"}])]).encode(),
                              "services.json: [1].phones[0]"),
    "child_says_other_parent": ("services.json", json.dumps(service(phones=[{"id": "p1", "number": "010", "service_id": "ander"}])).encode(),
                                "services.json: phones[0]"),
    "duplicate_key": ("services.json", b'{"id": "ac148810-d857-441c-9679-408f346de14b", "name": "a", "name": "b", "status": "active"}', "services.json: name"),
    "utf16": ("services.json", json.dumps(service()).encode("utf-16"), "UTF-8"),
    "two_boms": ("services.json", "\ufeff\ufeff".encode() + json.dumps(service()).encode(), "geen geldige JSON"),
    "not_json": ("services.json", b"<html><body>Not found</body></html>", "geen geldige JSON"),
    "truncated": ("services.json", json.dumps(service())[:-5].encode(), "geen geldige JSON"),
    "empty": ("services.json", b"", "geen geldige JSON"),
    "nan": ("services.json", b'{"id": "x", "name": "a", "status": "active", "minimum_age": NaN}', "NaN"),
    "scalar": ("services.json", b"42", "HSDS-object"),
    "unknown_kind": ("export.json", json.dumps({"id": "x", "naam": "y"}).encode(), "herkent niet"),
    "lone_surrogate": ("services.json", b'{"id": "ac148810-d857-441c-9679-408f346de14b", "name": "\\ud800", "status": "active"}', "services.json: name"),
    "lone_surrogate_in_a_key": ("services.json", b'{"id": "ac148810-d857-441c-9679-408f346de14b", "name": "a", "status": "active", "x\\udc00": "b"}',
                                "services.json: x\ufffd"),
    "nul": ("services.json", json.dumps(service(description="a\u0000b")).encode(), "NUL"),
    "missing_required": ("services.json", json.dumps(page([service(id=f"{i:08d}-0000-4000-8000-000000000000") for i in range(3)]
                                                           + [service(phones=[{"id": "p1"}])])).encode(), "services.json: contents[3].phones[0].number"),
    "contents_not_a_list": ("services.json", json.dumps({"total_items": 1, "contents": {"id": "x"}}).encode(), "services.json: contents"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_json_is_refused_with_a_clear_message_and_nothing_is_saved(rdam, coordinator, case):
    name, data, expected = HOSTILE[case]
    response = upload(coordinator, (name, data))
    text = response.content.decode()
    assert response.status_code == 422 and "Er is niets geïmporteerd." in text, text[:3000]
    assert expected in text, text[text.find("fouten"):][:3000]
    assert nothing_saved(rdam)


def test_an_unknown_field_is_a_warning_with_its_path_even_when_its_name_is_no_text(rdam, coordinator):
    data = json.dumps(service(tax_id="12", extra={"a": 1})).encode()[:-1] + b', "x\\udc00": {}}'
    response = upload(coordinator, ("services.json", data))
    text = response.content.decode()
    assert response.status_code == 200 and Service.objects.filter(partner__organisation=rdam).count() == 1
    assert "services.json: x\ufffd" in text and "services.json: extra" in text and "services.json: tax_id" in text


def test_a_utf8_byte_order_mark_is_ignored_as_rfc_8259_allows(rdam, coordinator):
    response = upload(coordinator, ("services.json", "\ufeff".encode() + json.dumps(service()).encode()))
    assert response.status_code == 302 and Service.objects.filter(partner__organisation=rdam, name="Dienst").exists()


def test_a_table_from_json_and_the_same_table_as_csv_is_refused(rdam, coordinator):
    csv_text = (FIXTURES / "hsds-official" / "services.csv").read_bytes()
    response = upload(coordinator, ("services.csv", csv_text), ("services.json", json.dumps(service()).encode()))
    assert response.status_code == 422 and "Upload één van beide" in response.content.decode() and nothing_saved(rdam)


def test_json_errors_in_english_for_an_english_coordinator(rdam, users, client_for):
    users["coordinator"].language = "en"
    users["coordinator"].save()
    response = client_for("coordinator").post(URL, {"bestanden": [SimpleUploadedFile("services.json", b"{")]})
    assert response.status_code == 422 and "not valid JSON" in response.content.decode() and nothing_saved(rdam)


# --- datapackage.json in a ZIP ---------------------------------------------------------------------------------------


def official_csv() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (FIXTURES / "hsds-official").glob("*.csv")}


def rewritten(text: str, delimiter: str, quotechar: str = '"', header: bool = True) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, quotechar=quotechar, lineterminator="\r\n").writerows(rows if header else rows[1:])
    return buffer.getvalue()


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"pakket/{name}", text)
    return buffer.getvalue()


def datapackage(dialects: dict[str, dict]) -> str:
    package = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["path"] in dialects:
            resource["dialect"] = dialects[resource["path"]]
    return json.dumps(package)


def records(rdam) -> list[tuple[str, str, dict]]:
    return sorted((r.resource, r.hsds_id, r.data) for r in HsdsRecord.objects.filter(organisation=rdam))


@pytest.mark.parametrize("seed", range(3))
def test_a_zip_with_a_datapackage_dialect_imports_like_plain_csv(rdam, coordinator, seed):
    rng = random.Random(seed)
    files = official_csv()
    assert upload(coordinator, ("plain.zip", zipped(files))).status_code == 200
    plain = records(rdam)
    HsdsRecord.objects.all().delete()
    Partner.objects.all().delete()
    chosen = rng.sample(sorted(files), rng.randint(3, len(files)))
    dialects = {name: {"delimiter": ";", **({"quoteChar": "'"} if rng.random() < 0.5 else {}),
                       **({"header": False} if name == "phones.csv" else {})} for name in chosen}
    changed = {n: rewritten(t, ";", dialects[n].get("quoteChar", '"'), "header" not in dialects[n]) if n in dialects else t
               for n, t in files.items()}
    response = upload(coordinator, ("puntkomma.zip", zipped({**changed, "datapackage.json": datapackage(dialects)})))
    assert response.status_code == 200, response.content.decode()[:3000]
    assert records(rdam) == plain
    # Without its datapackage.json the same files are not read as HSDS: the dialect is what made the difference.
    HsdsRecord.objects.all().delete()
    Partner.objects.all().delete()
    assert upload(coordinator, ("zonder.zip", zipped(changed))).status_code == 422


@pytest.mark.parametrize("bad", ["{niet json", "[]", json.dumps({"resources": [{"path": "services.csv", "dialect": {"delimiter": ";;"}}]}),
                                 json.dumps({"resources": [{"path": "services.csv", "dialect": {"header": "nee"}}]})])
def test_an_invalid_datapackage_json_is_a_warning_and_the_csv_files_are_read_as_plain_csv(rdam, coordinator, bad):
    response = upload(coordinator, ("pakket.zip", zipped({**official_csv(), "datapackage.json": bad})))
    text = response.content.decode()
    assert response.status_code == 200 and "datapackage.json" in text and "gewone CSV" in text
    assert Service.objects.filter(partner__organisation=rdam).count() == 1
