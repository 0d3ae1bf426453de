"""Social map (HSDS in and out, pages) and courses (waiting list, attendance, retention)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from balie.core.models import AuditEvent
from balie.courses import services as course_services
from balie.courses.models import Course, Enrolment, EnrolmentStatus
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.network.models import Location, Organisation
from balie.partners import hsds
from balie.partners.models import Partner, Service
from balie.referrals.services import ReferralInvalid


@pytest.fixture
def social(network, users):
    partners = build_social_map()
    build_courses()
    return partners


def question_for(user, **fields):
    data = {"instantie": "GEEN", "onderwerp": "APPARAAT", "uitkomst": "OPGELOST", **fields}
    visit, _ = desk_services.visit_register(user=user, location=user.default_location, questions=[data])
    return visit.questions.get()


# --- HSDS ---------------------------------------------------------------------------------------------
def test_it_round_trips_the_social_map_through_hsds(social, tmp_path):
    rdam = Organisation.objects.get(code="BIB-RDAM")
    call_command("export_hsds", str(tmp_path), "--organisation", "BIB-RDAM")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(hsds.FILES)
    first = hsds.export_package(rdam)
    # Into another library: the same map appears there, with hours, areas, phones and locations.
    call_command("import_hsds", str(tmp_path), "--organisation", "BIB-GOUDA")
    gouda = Organisation.objects.get(code="BIB-GOUDA")
    copied = Service.objects.get(partner__organisation=gouda, name="Thuisadministratie")
    original = Service.objects.get(partner__organisation=rdam, name="Thuisadministratie")
    assert copied.warm_phone == original.warm_phone and copied.warm_hours_text == original.warm_hours_text == "di, do 10:00-12:00"
    assert [g.cbs_code for g in copied.gemeenten.all()] == ["GM0599"] and copied.instanties == original.instanties
    assert copied.locations.get().address == "Hoogstraat 150"
    # Importing twice changes nothing; exporting the copy gives the same files.
    before = Partner.objects.count()
    call_command("import_hsds", str(tmp_path), "--organisation", "BIB-GOUDA")
    assert Partner.objects.count() == before
    second = hsds.export_package(gouda)
    # Ids survive the trip, so every row of the original package is in the copy's export, byte for byte.
    assert sum(len(first[name].splitlines()) > 1 for name in hsds.FILES) >= 6
    for name in hsds.FILES:
        assert set(first[name].splitlines()) <= set(second[name].splitlines()), name


# Valid HSDS 3.0 ids are UUIDs; short names keep the packages below readable.
IDS = {name: f"00000000-0000-4000-8000-{n:012d}" for n, name in enumerate(
    ["o1", "o9", "s1", "s2", "s3", "l1", "sl1", "p1", "p2", "t1", "a1"], start=1)}


def uuids(text: str) -> str:
    """o1, s1, ... as whole cells -> their UUIDs."""
    return "\n".join(",".join(IDS.get(cell, cell) for cell in line.split(",")) for line in text.split("\n"))


def small_package(**overrides):
    files = {
        "organizations.csv": "id,name,description,email\no1,Stichting Voorbeeld,Helpt met post,info@voorbeeld.example\n",
        "services.csv": "id,organization_id,name,status,balie_instanties,balie_onderwerpen,assured_date\ns1,o1,Hulp bij post,active,BELASTINGDIENST,BERICHT,2026-01-05\n",
        "locations.csv": "id,location_type,organization_id,name,balie_adres,balie_plaats\nl1,physical,o1,Kantoor,Straat 1,Rotterdam\n",
        "service_at_location.csv": "id,service_id,location_id\nsl1,s1,l1\n",
        "phones.csv": "id,service_id,number\np1,s1,010 123 45 67\n",
        "schedules.csv": "id,service_id,freq,byday,opens_at,closes_at,attending_type\nt1,s1,WEEKLY,MO;TU,09:00,12:00,phone\n",
        "service_areas.csv": "id,service_id,name,extent,extent_type\na1,s1,Rotterdam,GM0599,text\n",
    }
    files.update(overrides)
    # byday holds a comma; written with ; above so that uuids() can split cells on commas.
    return {name: uuids(text).replace("MO;TU", '"MO,TU"') for name, text in files.items() if text is not None}


def write_package(folder, **overrides):
    for name, text in small_package(**overrides).items():
        (folder / name).write_text(text, encoding="utf-8")


def test_it_imports_a_small_valid_package(network, tmp_path):
    write_package(tmp_path)
    call_command("import_hsds", str(tmp_path), "--organisation", "BIB-RDAM")
    service = Service.objects.get(name="Hulp bij post")
    assert service.warm_phone == "010 123 4567" and service.warm_hours_text == "ma-di 09:00-12:00"
    assert service.partner.organisation.code == "BIB-RDAM" and service.last_verified == dt.date(2026, 1, 5)


def test_it_lists_every_error_the_schema_makes_and_imports_nothing(network, tmp_path):
    write_package(
        tmp_path,
        **{"service_areas.csv": None,  # a missing file is fine: every HSDS file is optional
           "services.csv": "id,organization_id,name,status,balie_instanties\ns1,o1,Hulp bij post,active,BELASTINGDIENST\n"
                           "s2,o9,Kapot,open,NIETBESTAAND\ns3,o1,,active,\n",
           "phones.csv": "id,service_id,number\np1,s1,12345\np2,s3,\n",
           "schedules.csv": "id,service_id,byday,opens_at,closes_at\nt1,s1,XX,25:00,12:00\nnot-a-uuid,s1,MO,09:00,10:00\n"},
    )
    with pytest.raises(CommandError):
        call_command("import_hsds", str(tmp_path), "--organisation", "BIB-RDAM")
    with pytest.raises(hsds.HsdsRejected) as exc:
        hsds.import_package(hsds.read_dir(str(tmp_path)), organisation=Organisation.objects.get(code="BIB-RDAM"))
    found = {(e.file, e.line, e.column) for e in exc.value.errors}
    assert found == {
        ("services.csv", 3, "status"),  # enum
        ("services.csv", 4, "name"),  # required
        ("phones.csv", 3, "number"),  # required
        ("schedules.csv", 2, "opens_at"),  # type time
        ("schedules.csv", 3, "id"),  # format uuid
    }
    messages = " | ".join(str(e) for e in exc.value.errors)
    assert "active of inactive of defunct of temporarily closed" in messages and "25:00 is geen tijd" in messages
    assert Partner.objects.count() == 0 and Service.objects.count() == 0
    # Fixed, the rest is valid HSDS that does not all fit the map: imported, with a warning per row and column.
    write_package(tmp_path, **{
        "service_areas.csv": None,
        "services.csv": "id,organization_id,name,status,balie_instanties\ns1,o1,Hulp bij post,active,BELASTINGDIENST|NIETBESTAAND\n",
        "phones.csv": "id,service_id,number\np1,s1,12345\n",
        "schedules.csv": "id,service_id,byday,opens_at,closes_at\nt1,s1,XX,10:00,12:00\n"})
    result = hsds.import_package(hsds.read_dir(str(tmp_path)), organisation=Organisation.objects.get(code="BIB-RDAM"))
    assert {(w.file, w.line, w.column) for w in result.warnings} == {
        ("services.csv", 2, "balie_instanties"), ("phones.csv", 2, "number"), ("schedules.csv", 2, "")}
    service = Service.objects.get()
    assert service.instanties == "|BELASTINGDIENST|" and service.warm_phone == "12345" and not service.hours.exists()


def test_it_imports_through_the_coordinator_page_all_or_nothing(client_for, network, tmp_path):
    write_package(tmp_path, **{"phones.csv": "id,service_id,number\np1,s1,\n"})
    client = client_for("coordinator")
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in sorted(tmp_path.iterdir())]
    bad = client.post("/sociale-kaart/importeren/", {"bestanden": uploads})
    assert bad.status_code == 422 and "Dit veld is verplicht in HSDS 3.0" in bad.content.decode() and Partner.objects.count() == 0
    write_package(tmp_path)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for p in tmp_path.iterdir():
            z.writestr(f"pakket/{p.name}", p.read_text())
    good = client.post("/sociale-kaart/importeren/", {"bestanden": [SimpleUploadedFile("pakket.zip", archive.getvalue())]})
    assert good.status_code == 302 and Partner.objects.get().organisation.code == "BIB-RDAM", good.content.decode()[-3000:]
    export = client.get("/sociale-kaart/exporteren/")
    assert sorted(zipfile.ZipFile(io.BytesIO(export.content)).namelist()) == sorted(hsds.FILES)
    assert client_for("medewerker").get("/sociale-kaart/importeren/").status_code == 403
    assert client_for("medewerker").get("/sociale-kaart/exporteren/").status_code == 403


# --- social map pages ---------------------------------------------------------------------------------
def test_it_shows_the_social_map_to_staff_of_the_organisation_and_national_partners_to_all(client_for, social):
    shm = social["SchuldHulpMaatje Rotterdam"]
    for username in ("medewerker", "collega", "coordinator"):
        assert client_for(username).get(f"/sociale-kaart/{shm.uuid}/").status_code == 200
        assert "SchuldHulpMaatje Rotterdam" in client_for(username).get("/sociale-kaart/").content.decode()
    assert client_for("medewerker-gouda").get(f"/sociale-kaart/{shm.uuid}/").status_code == 404
    assert client_for("medewerker-gouda").get(f"/sociale-kaart/{social['CAK'].uuid}/").status_code == 200
    assert client_for("partner").get("/sociale-kaart/").status_code == 403


def test_it_flags_entries_not_verified_for_12_months(client_for, social):
    humanitas = social["Humanitas Thuisadministratie Rotterdam"]
    assert humanitas.needs_verification and not social["SchuldHulpMaatje Rotterdam"].needs_verification
    page = client_for("coordinator").get(f"/sociale-kaart/{humanitas.uuid}/").content.decode()
    assert "meer dan 12 maanden niet gecontroleerd" in page
    client_for("coordinator").post(f"/sociale-kaart/{humanitas.uuid}/gecontroleerd/")
    humanitas.refresh_from_db()
    assert not humanitas.needs_verification and not humanitas.services.first().needs_verification
    assert client_for("medewerker").post(f"/sociale-kaart/{humanitas.uuid}/gecontroleerd/").status_code == 403
    assert client_for("coordinator-gouda").post(f"/sociale-kaart/{humanitas.uuid}/gecontroleerd/").status_code == 404


def test_it_lets_a_coordinator_edit_a_service_with_hours_codes_and_area(client_for, social):
    shm = social["SchuldHulpMaatje Rotterdam"]
    service = shm.services.first()
    url = f"/sociale-kaart/{shm.uuid}/diensten/{service.uuid}/"
    client = client_for("coordinator")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "X", "access": "afspraak", "warm_phone": "123", "warm_hours": "maandag 9-17", "gemeente_codes": "GM9999"})
    html = bad.content.decode()
    assert bad.status_code == 422 and "123 is geen geldig telefoonnummer" in html and "begrijp ik niet" in html and "GM9999" in html
    ok = client.post(url, {"name": "Maatje", "access": "beide", "warm_phone": "010 789 45 60", "warm_hours": "ma-vr 9:00-17:00; za 10-12",
                           "instantie_codes": ["CJIB", "BANK"], "onderwerp_codes": ["BETALEN"], "gemeente_codes": "GM0599, GM0513",
                           "taal_codes": ["NL", "AR"], "cost": "Gratis"})
    assert ok.status_code == 302
    service.refresh_from_db()
    assert service.instanties == "|CJIB|BANK|" and service.warm_hours_text == "ma-vr 09:00-17:00; za 10:00-12:00"
    assert sorted(g.cbs_code for g in service.gemeenten.all()) == ["GM0513", "GM0599"]
    assert client_for("medewerker").get(url).status_code == 403
    assert client_for("coordinator-gouda").get(url).status_code == 404
    # National entries are read-only for a library coordinator.
    cak = social["CAK"]
    assert client.get(f"/sociale-kaart/{cak.uuid}/bewerken/").status_code == 404


def test_it_adds_a_partner(client_for, social):
    response = client_for("coordinator").post("/sociale-kaart/nieuw/", {"name": "Voedselbank Zuid", "phone": "010 111 22 33", "active": "on"})
    assert response.status_code == 302
    assert Partner.objects.get(name="Voedselbank Zuid").organisation.code == "BIB-RDAM"


# --- courses ------------------------------------------------------------------------------------------
def test_it_enrols_until_full_then_puts_visitors_on_the_waiting_list(users, social):
    staff = users["medewerker"]
    course = Course.objects.get(title__startswith="Klik & Tik")
    course.capacity = 2
    course.save()
    made = [course_services.enrol(user=staff, course=course, question=question_for(staff), consent=True, name=f"Deelnemer {n}",
                                  phone="06 41234567")[0] for n in range(3)]
    assert [e.status for e in made] == ["ingeschreven", "ingeschreven", "wachtlijst"]
    assert "Deelnemer" not in made[0].contact_ciphertext
    moved = course_services.cancel(user=staff, enrolment=made[0])
    assert moved.pk == made[2].pk
    assert Enrolment.objects.get(pk=made[2].pk).status == EnrolmentStatus.INGESCHREVEN


def test_it_refuses_an_enrolment_without_consent_or_with_a_bad_phone(users, social):
    course = Course.objects.filter(organisation=users["medewerker"].organisation).first()
    with pytest.raises(ReferralInvalid) as exc:
        course_services.enrol(user=users["medewerker"], course=course, question=None, consent=False, name="", phone="123")
    assert {e.field for e in exc.value.errors} == {"toestemming", "naam", "telefoon"}
    assert Enrolment.objects.count() == 0


def test_it_refers_and_enrols_from_a_question_and_the_organiser_marks_attendance(client_for, users, social):
    staff = users["medewerker"]
    question = question_for(staff)
    course = Course.objects.get(title__startswith="Digisterker: werken")
    client = client_for("medewerker")
    url = f"/cursussen/{course.uuid}/vraag/{question.uuid}/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "anoniem"})
    client.post(url, {"action": "inschrijven", "toestemming": "ja", "naam": "Piet Proef", "telefoon": "06 41234567", "submission_key": "a"})
    client.post(url, {"action": "inschrijven", "toestemming": "ja", "naam": "Piet Proef", "telefoon": "06 41234567", "submission_key": "a"})
    assert course.referrals.count() == 1 and course.enrolments.count() == 1
    enrolment = course.enrolments.get()
    detail = client_for("collega").get(f"/cursussen/{course.uuid}/").content.decode()
    assert "Piet Proef" not in detail
    named = client_for("collega").get(f"/cursussen/{course.uuid}/?namen=1").content.decode()
    assert "Piet Proef" in named
    assert AuditEvent.objects.filter(event="course_enrolment_contact_read", user=users["collega"], personal_data=True).count() == 1
    client_for("coordinator").post(f"/cursussen/{course.uuid}/", {"inschrijving": str(enrolment.uuid), "action": "aanwezig", "aanwezig": "ja"})
    enrolment.refresh_from_db()
    assert enrolment.attended is True
    assert client_for("medewerker-gouda").get(f"/cursussen/{course.uuid}/").status_code == 404
    assert client_for("medewerker-gouda").get(url).status_code == 404
    assert client_for("partner").get("/cursussen/").status_code == 403
    from balie.courses.selectors import course_figures

    row = next(r for r in course_figures(staff.organisation) if r["course"] == course.title)
    assert (row["referrals"], row["enrolments"], row["attended"]) == (1, 1, 1)
    assert "Piet" not in str(course_figures(staff.organisation))


def test_it_deletes_enrolment_contact_data_after_the_course_retention(users, social, settings):
    settings.BALIE_REFERRAL_RETENTION_DAYS = 90
    course = Course.objects.filter(organisation=users["medewerker"].organisation).first()
    enrolment, _ = course_services.enrol(user=users["medewerker"], course=course, question=None, consent=True, name="A B", phone="06 41234567")
    after_course = timezone.make_aware(dt.datetime.combine(course.end_date, dt.time(12)))
    assert course_services.purge_personal_data(now=after_course + dt.timedelta(days=90)) == 0
    assert course_services.purge_personal_data(now=after_course + dt.timedelta(days=92)) == 1
    enrolment.refresh_from_db()
    assert enrolment.contact_ciphertext == "" and enrolment.personal_data_deleted_at


def test_it_lets_only_coordinators_manage_courses(client_for, social, users):
    data = {"kind": "lokaal", "title": "Appen met de kleinkinderen", "start_date": "2026-12-01", "end_date": "2026-12-15", "capacity": "8",
            "language_level": "geen", "cost": "Gratis", "location": str(Location.objects.get(code="RDAM-CENTRAAL").pk), "active": "on"}
    assert client_for("coordinator").post("/cursussen/nieuw/", data).status_code == 302
    assert client_for("medewerker").post("/cursussen/nieuw/", data).status_code == 403
    bad = client_for("coordinator").post("/cursussen/nieuw/", {**data, "end_date": "2026-11-01"})
    assert bad.status_code == 422 and "niet voor de eerste keer" in bad.content.decode()
    course = Course.objects.get(title="Appen met de kleinkinderen")
    assert client_for("coordinator-gouda").get(f"/cursussen/{course.uuid}/bewerken/").status_code == 404
