"""Review M4 (coverage): every free text Balie stores goes through the PII check, on every write path.

Each path (forms, partner link, API, services) gets its own freshly generated BSN, IBAN or phone number in a spelling
people type. Afterwards every text column of every table (and every session) is searched for the digits: none may be
there. Per field the rule is one of: redact (notes and texts that go to someone: the desk note's rule), refuse with a
Dutch message (labels and notices shown as typed on a public screen), or store only a keyed hash (client keys).
The inventory test keeps it that way: a new text field fails until it is given a rule here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from rest_framework.test import APIClient

from balie.core import pii
from balie.core.models import AuditEvent
from balie.courses.models import Course, Enrolment
from balie.demo.courses import build_courses
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.desk.models import Question, Visit
from balie.network.models import Location
from balie.partners.models import PartnerUser
from balie.referrals import links as referral_links
from balie.referrals import services as referral_services
from balie.referrals.models import Kind, Referral, ReferralStatusChange
from balie.signals import services as signal_services
from balie.signals.models import Kind as SignalKind
from balie.signals.models import ScopeKind, Signal, SignalResponse, SignalStatusChange
from balie.signals.models import Status as SignalStatus
from balie.signals.workflow import record_creation
from balie.signals.workflow import transition as signal_transition
from balie.walkin.models import QueueSettings, Ticket

pytestmark = pytest.mark.django_db

# --- what every field does with personal data ------------------------------------------------------------------------
REDACTED = {  # free text that is kept: the desk note's rule (pii.scrub + must_never_store)
    "desk.Question.note", "referrals.ReferralStatusChange.note", "signals.Signal.description", "signals.Signal.impact",
    "signals.SignalStatusChange.note", "signals.SignalResponse.text", "signals.SignalResponse.change",
    "announcements.Announcement.description",
    # a node's national signal summary: scrubbed on the node and again by the hub (test_federation_national)
    "signals.NodeSignal.description",
}
REFUSED = {"walkin.QueueSettings.opening_note", "walkin.Ticket.desk_label"}  # shown as typed: refused with a message
HASHED = {  # client keys: only core.idempotency.stored_key(key) is kept
    "desk.Visit.submission_key", "referrals.Referral.submission_key", "courses.Enrolment.submission_key",
    "walkin.Ticket.idempotency_key", "walkin.Ticket.call_key", "announcements.Announcement.submission_key",
}
ENCRYPTED = {"referrals.Referral.contact_ciphertext", "courses.Enrolment.contact_ciphertext", "core.OutgoingMail.sealed",
             "announcements.Announcement.contact_ciphertext"}  # consent, Fernet (ADR 0009)
# Not typed by anyone about a visitor: generated, fixed texts, codes, hashes, or an organisation's own public data
# (its name, address, phone and e-mail belong there). Each with the reason.
EXEMPT = {
    "system": {  # codes, generated values and fixed texts
        "core.Code.code", "core.AuditEvent.event",
        # the outbox's bookkeeping: event names, object references, its own keys, the mail server's error, and a subject
        # made by Balie from the organisation's and instantie's names (the message itself is sealed)
        "core.OutgoingMail.audit_event", "core.OutgoingMail.audit_object_type", "core.OutgoingMail.audit_object_uuid",
        "core.OutgoingMail.key", "core.OutgoingMail.last_error", "core.OutgoingMail.subject", "core.AuditEvent.object_type", "core.AuditEvent.object_uuid",
        "referrals.ReferralStatusChange.via", "referrals.Referral.consent_text", "courses.Enrolment.consent_text",
        "announcements.Announcement.consent_text", "announcements.Announcement.instantie", "announcements.Announcement.onderwerp",
        "announcements.Announcement.uitkomst", "announcements.AnnouncementStatusChange.via",
        "referrals.Referral.instantie", "referrals.Referral.onderwerp", "signals.Signal.scope_key", "signals.Signal.instantie",
        "signals.Signal.onderwerp", "signals.Signal.partner", "signals.Signal.phrase", "walkin.QueueSettings.kiosk_token",
        "survey.SurveyLink.code", "survey.SurveyResponse.device_hash", "survey.SurveyResponse.language", "survey.DailySalt.salt",
        "forecast.LocationForecast.method", "forecast.LocationForecast.backtest_method", "forecast.LocationForecast.note",
        "forecast.LocationForecast.service_source", "insight.Cell.a", "insight.Cell.b", "insight.Cell.cube", "knowledge.Guide.slug",
        "desk.Visit.kanaal", "desk.Question.kanaal", "desk.Question.vraagsoort", "desk.Question.instantie", "desk.Question.onderwerp",
        "desk.Question.instantie_local", "desk.Question.onderwerp_local", "desk.Question.digid_detail", "desk.Question.complexiteit",
        "desk.Question.behoefteprofielen", "desk.Question.achterliggend", "desk.Question.uitkomst", "desk.Question.leeftijdsgroep",
        "desk.Question.taal", "desk.JournalEntry.codes", "network.Gemeente.cbs_code", "network.Organisation.code", "network.Location.code",
        "network.LocalCode.code", "network.LocalCode.national_code",
        # Federation (docs/federatie.md): figures are codes checked against the code lists (insight.delivered refuses
        # anything else); the call log holds paths, methods and UUIDs; a node's key is kept only as its SHA-256.
        "insight.DeliveredFigure.code", "insight.DeliveredFigure.dimension", "insight.DeliveredFigure.gemeente",
        "insight.DeliveredPeriod.period", "insight.DeliveredPeriod.source", "insight.DeliveredPeriod.transaction_id",
        "federation.Call.method", "federation.Call.path", "federation.Call.peer", "federation.Call.transaction_id",
        "federation.Node.code", "federation.Node.token_hash",
        "signals.NodeSignal.instantie", "signals.NodeSignal.source", "signals.NodeSignal.transaction_id",
        # Review M5/H2: the raw upload and its name; the import work keeps it redacted or deletes it.
        "desk.ImportJob.content", "desk.ImportJob.file_name",
    },
    "organisation": {  # an organisation's own (public) data, typed by its coordinator or imported from HSDS
        "network.Gemeente.naam", "network.Gemeente.provincie", "network.Organisation.naam", "network.Location.naam",
        "network.Location.address", "network.Location.postcode", "network.Location.plaats", "network.Location.phone",
        "network.Location.public_description", "network.Location.transit_note", "network.LocalCode.label", "network.Session.title",
        "network.Closure.reason", "partners.Partner.hsds_id", "partners.Partner.name", "partners.Partner.description",
        "partners.Partner.phone", "partners.Partner.email", "partners.Partner.signal_email", "partners.Partner.website",
        "partners.Partner.signal_codes", "partners.PartnerLocation.hsds_id", "partners.PartnerLocation.name",
        "partners.PartnerLocation.address", "partners.PartnerLocation.postcode", "partners.PartnerLocation.plaats",
        "partners.PartnerLocation.transport", "partners.Service.hsds_id", "partners.Service.name", "partners.Service.description",
        "partners.Service.email", "partners.Service.warm_phone", "partners.Service.instanties", "partners.Service.onderwerpen",
        "partners.Service.behoefteprofielen", "partners.Service.languages", "partners.Service.cost", "partners.Service.eligibility",
        "partners.ServiceHours.hsds_id", "partners.HsdsRecord.resource", "partners.HsdsRecord.hsds_id", "courses.Course.title", "courses.Course.description", "courses.Course.schedule",
        "courses.Course.cost", "messagecheck.TrustedDomain.domain", "messagecheck.TrustedDomain.organisation",
        "messagecheck.TrustedDomain.note", "core.CodeListVersion.description", "core.Code.label", "core.Code.label_en",
        "core.Code.explanation",
        # Guides are scanned on save already (knowledge.services: BSN, IBAN and dates of birth refused).
        "knowledge.Guide.title", "knowledge.Guide.summary", "knowledge.Guide.body", "knowledge.Guide.instanties",
        "knowledge.Guide.onderwerpen", "knowledge.Guide.keywords",
        # a node is an installation of a library organisation or municipality: its name and OIN are public
        "federation.Node.naam", "federation.Node.oin", "signals.NodeSignal.source_name",
    },
}


def _text_fields() -> set[str]:
    out = set()
    for model in apps.get_models():
        if not model.__module__.startswith("balie."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                out.add(f"{model._meta.app_label}.{model.__name__}.{field.name}")
    return out


def test_every_text_field_has_a_personal_data_rule():
    known = REDACTED | REFUSED | HASHED | ENCRYPTED | set().union(*EXEMPT.values())
    fields = _text_fields()
    # Accounts (usernames, names of staff, password hashes) are the staff's own data, not visitors'.
    unknown = sorted(f for f in fields - known if not f.startswith(("accounts.", "core.AuditEvent.")) and not f.endswith(".request_fingerprint"))
    assert not unknown, f"Kies een regel voor persoonsgegevens (redigeren, weigeren, hashen of uitgezonderd met reden): {unknown}"
    stale = sorted(known - fields - {"core.AuditEvent.event", "core.AuditEvent.object_type", "core.AuditEvent.object_uuid"})
    assert not stale, f"Deze velden bestaan niet meer: {stale}"


# --- generated numbers ----------------------------------------------------------------------------------------------
RNG = random.Random(20261203)


def _n(count: int) -> str:
    return "".join(str(RNG.randrange(10)) for _ in range(count))


def new_bsn() -> str:
    while True:
        head = _n(8)
        check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1))) % 11
        if check < 10 and head != "00000000":
            return head + str(check)


def new_iban() -> str:
    from stdnum import iban

    bban = "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + _n(10)
    return "NL" + iban.calc_check_digits("NL00" + bban) + bban


SPELLINGS: list[Callable[[], tuple[str, str]]] = [  # -> (as typed, what may never be found in the database)
    lambda: (b := new_bsn(), b),
    lambda: ("bsn" + "-".join(re.findall("...", b := new_bsn())), b),
    lambda: ("\u200b".join(re.findall("...", b := new_bsn())) + "abc", b),
    lambda: (" ".join(re.findall(".{1,4}", i := new_iban())).lower(), i),
    lambda: ("iban" + (i := new_iban()) + "x", i),
    lambda: ("06-" + (m := str(RNG.choice([1, 2, 3, 4, 5, 6, 7, 8, 9])) + _n(7)), "6" + m),
    lambda: ("+31 (0)6 " + (m := "9" + _n(7)), "6" + m),
    lambda: ("(010) " + (f := _n(7))[:3] + " " + f[3:5] + " " + f[5:], "10" + f),
    # a visitor's password (core/pii/credentials.py): a key to their accounts, never kept
    lambda: ("wachtwoord: " + (p := "".join(RNG.choices("BCDFGHJKLMNPQRSTVWXZ", k=2)) + "".join(RNG.choices("aeiou", k=2)) + _n(4)), p),
]
ASCII_SPELLINGS = [0, 1, 4, 5]  # usable as an Idempotency-Key (visible ASCII, no spaces)


def _compact(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return "".join(ch for ch in pii.normalise(text).text.upper() if ch.isalnum())


def _database_text() -> list[tuple[str, str]]:
    """(where, compact text) for every text and JSON value in the database, sessions decoded."""
    out = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if not names or model is Session:
            continue
        for row in model._base_manager.values_list(*names).iterator():
            out += [(f"{model._meta.label}.{name}", _compact(v)) for name, v in zip(names, row) if v]
    for session in Session.objects.all():
        out.append(("session", _compact(SessionStore().decode(session.session_data))))
    return out


# --- the world and the write paths ----------------------------------------------------------------------------------
@pytest.fixture
def world(network, users, settings):
    settings.BALIE_PII_NAMES = False  # names are not what this is about; deduce takes seconds to load
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    partners = build_social_map()
    build_courses()
    QueueSettings.objects.create(location=Location.objects.get(code="RDAM-CENTRAAL"), enabled=True)
    return {"partners": partners, "users": users}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(username: str) -> APIClient:
    out = io.StringIO()
    call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    return client


def _question(world) -> Question:
    visit, _ = desk_services.visit_register(user=world["users"]["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                                            questions=[{"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    return visit.questions.get()


def _referral(world) -> Referral:
    partner = world["partners"]["SchuldHulpMaatje Rotterdam"]
    referral, _ = referral_services.referral_create(
        user=world["users"]["medewerker"], question=_question(world), partner=partner, service=partner.services.first(),
        kind=Kind.SAMEN_GEBELD, notify=False)
    return referral


def _signal(world, status: str = SignalStatus.NIEUW) -> Signal:
    org = world["users"]["coordinator"].organisation
    week = dt.date(2026, 11, 2)
    signal = Signal.objects.create(kind=SignalKind.AANTAL, scope_kind=ScopeKind.ORGANISATIE, scope_key=f"organisatie:{org.code}",
                                   organisation=org, instantie="UWV", start_week=week, end_week=week, observed=30, expected=10.0,
                                   effect=2.0, q_value=0.001, evidence={"weekly": [], "examples": []})
    record_creation(signal)
    if status != SignalStatus.NIEUW:
        partner = world["partners"]["SchuldHulpMaatje Rotterdam"]
        Signal.objects.filter(pk=signal.pk).update(recipient=partner)
        signal_transition(signal, SignalStatus.BEVESTIGD)
        signal_transition(signal, SignalStatus.GEMELD)
    return signal


def _note(text: str) -> str:
    return f"Toelichting: {text} graag terugbellen"


# Each path: write `typed` through the real stack; return the rows it wrote (or would have written), for the checks.
def path_referral_library_web(world, typed):
    r = _referral(world)
    _client(world["users"]["collega"]).post(f"/verwijzingen/{r.uuid}/", {"status": "teruggetrokken", "toelichting": _note(typed)})
    return ReferralStatusChange.objects.filter(referral=r, to_status="teruggetrokken")


def path_referral_partner_web(world, typed):
    r = _referral(world)
    _client(world["users"]["partner"]).post(f"/verwijzingen/{r.uuid}/", {"status": "ontvangen", "toelichting": _note(typed)})
    return ReferralStatusChange.objects.filter(referral=r, to_status="ontvangen")


def path_referral_partner_link(world, typed):
    r = _referral(world)
    Client().post(f"/verwijzingen/{r.uuid}/partner/{referral_links.link_token(r)}/", {"status": "in_behandeling", "toelichting": _note(typed)})
    return ReferralStatusChange.objects.filter(referral=r, to_status="in_behandeling")


def path_referral_partner_api(world, typed):
    r = _referral(world)
    _api("partner").post(f"/api/v1/verwijzingen/{r.uuid}/status", {"status": "ontvangen", "toelichting": _note(typed)}, format="json")
    return ReferralStatusChange.objects.filter(referral=r, to_status="ontvangen")


def path_referral_library_api(world, typed):
    r = _referral(world)
    _api("medewerker").post(f"/api/v1/verwijzingen/{r.uuid}/status", {"status": "teruggetrokken", "toelichting": _note(typed)}, format="json")
    return ReferralStatusChange.objects.filter(referral=r, to_status="teruggetrokken")


def path_signal_confirm(world, typed):
    s = _signal(world)
    _client(world["users"]["coordinator"]).post(f"/signalen/{s.uuid}/", {"action": "confirm", "description": _note(typed), "impact": _note(typed)})
    return Signal.objects.filter(pk=s.pk, status=SignalStatus.BEVESTIGD)


def path_signal_close(world, typed):
    s = _signal(world)
    _client(world["users"]["coordinator"]).post(f"/signalen/{s.uuid}/", {"action": "close", "solved": "nee", "note": _note(typed)})
    return SignalStatusChange.objects.filter(signal=s, to_status=SignalStatus.NIET_OPGEPAKT)


def path_signal_dismiss(world, typed):
    s = _signal(world)
    _client(world["users"]["coordinator"]).post(f"/signalen/{s.uuid}/geen-signaal/", {"reason": "seizoen", "note": _note(typed)})
    return SignalStatusChange.objects.filter(signal=s, to_status=SignalStatus.GEEN_SIGNAAL)


def path_signal_respond_account(world, typed):
    s = _signal(world, SignalStatus.GEMELD)
    _client(world["users"]["partner"]).post(f"/signalen/{s.uuid}/", {"action": "respond", "text": _note(typed), "change": _note(typed)})
    return SignalResponse.objects.filter(signal=s)


def path_signal_respond_link(world, typed):
    s = _signal(world, SignalStatus.GEMELD)
    Client().post(f"/signalen/reactie/{signal_services.response_token(s)}/", {"text": _note(typed), "change": _note(typed)})
    return SignalResponse.objects.filter(signal=s)


def path_desk_note_form(world, typed):
    before = Question.objects.count()
    _client(world["users"]["medewerker"]).post("/balie/", {"submission_key": f"k{RNG.random()}", "save": "1", "q-0-instantie": "DIGID",
                                                           "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST", "q-0-notitie": _note(typed)})
    return Question.objects.order_by("-id")[:Question.objects.count() - before]


def path_desk_note_api(world, typed):
    before = Question.objects.count()
    _api("medewerker").post("/api/v1/registraties", {"locatie": "RDAM-CENTRAAL", "instantie": "DIGID", "onderwerp": "INLOGGEN",
                                                     "uitkomst": "OPGELOST", "notitie": _note(typed)}, format="json")
    return Question.objects.order_by("-id")[:Question.objects.count() - before]


REDACTING_PATHS = [path_referral_library_web, path_referral_partner_web, path_referral_partner_link, path_referral_partner_api,
                   path_referral_library_api, path_signal_confirm, path_signal_close, path_signal_dismiss, path_signal_respond_account, path_signal_respond_link,
                   path_desk_note_form, path_desk_note_api]


@pytest.mark.parametrize("path", REDACTING_PATHS, ids=lambda p: p.__name__[5:])
def test_it_redacts_personal_data_on_every_note_path(world, path):
    needles = []
    for spelling in SPELLINGS:
        typed, needle = spelling()
        rows = path(world, typed)
        assert rows.exists(), f"{path.__name__}: er is niets opgeslagen voor {typed!r}"
        needles.append((typed, needle))
    found = [(typed, where) for typed, needle in needles for where, text in _database_text() if needle.upper() in text]
    assert not found, found
    # What was stored is the text with placeholders, not an empty or rejected note.
    stored = " ".join(str(v) for row in path(world, "06-12345678") for v in row.__dict__.values() if isinstance(v, str))
    assert "[TELEFOON]" in stored and "graag terugbellen" in stored


def test_it_refuses_personal_data_in_the_queue_notice_with_a_dutch_message(world):
    client = _client(world["users"]["medewerker"])
    settings = QueueSettings.objects.get()
    for spelling in SPELLINGS:
        typed, needle = spelling()
        page = client.post("/wachtrij/balie/instellingen/", {"staff_on_duty": "2", "opening_note": f"Vandaag tot 16.30 uur, {typed}"},
                           follow=True).content.decode()
        assert "lijkt persoonsgegevens te bevatten" in page and needle not in re.sub(r"\D", "", page)
        settings.refresh_from_db()
        assert settings.opening_note == ""
    # The location's own public number may be in the notice; an ordinary notice is saved.
    location = Location.objects.get(code="RDAM-CENTRAAL")
    location.phone = "010 281 6100"
    location.save()
    client.post("/wachtrij/balie/instellingen/", {"staff_on_duty": "2", "opening_note": "Vandaag tot 16.30 uur. Vragen? Bel 010-2816100."})
    settings.refresh_from_db()
    assert settings.opening_note == "Vandaag tot 16.30 uur. Vragen? Bel 010-2816100."


def test_it_refuses_personal_data_as_a_desk_label_and_keeps_it_out_of_session_and_audit(world):
    from balie.walkin import services as walkin_services

    location = Location.objects.get(code="RDAM-CENTRAAL")
    for _ in range(3):
        walkin_services.ticket_issue(location=location, topic="DIGID")
    client = _client(world["users"]["medewerker"])
    needles = []
    for spelling in SPELLINGS:
        typed, needle = spelling()
        needles.append(needle)
        page = client.post("/wachtrij/balie/oproepen/", {"desk_label": f"balie {typed}", "call_key": f"c{RNG.random()}"}, follow=True)
        assert "lijkt persoonsgegevens te bevatten" in page.content.decode()
    assert not Ticket.objects.filter(status="OPGEROEPEN").exists()
    client.post("/wachtrij/balie/oproepen/", {"desk_label": "balie 2", "call_key": "c-ok"})
    called = Ticket.objects.get(status="OPGEROEPEN")
    assert called.desk_label == "balie 2"
    # The label is on the ticket (the screen shows it), not copied into the audit log (review L8).
    assert all("desk" not in e.extra and "balie 2" not in json.dumps(e.extra) for e in AuditEvent.objects.filter(event__startswith="walkin_"))
    found = [(needle, where) for needle in needles for where, text in _database_text() if needle in text]
    assert not found, found


def test_it_stores_only_a_hash_of_every_client_key(world):
    from balie.core import idempotency

    users = world["users"]
    desk = _client(users["medewerker"])
    api = _api("medewerker")
    queue = QueueSettings.objects.get()
    service = world["partners"]["SchuldHulpMaatje Rotterdam"].services.first()
    course = Course.objects.filter(organisation=users["medewerker"].organisation).first()
    needles = []
    for index in ASCII_SPELLINGS:
        for write in range(7):
            typed, needle = SPELLINGS[index]()
            needles.append(needle)
            question = _question(world)
            if write == 0:
                desk.post("/balie/", {"submission_key": typed, "save": "1", "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST"})
            elif write == 1:
                body = {"locatie": "RDAM-CENTRAAL", "instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}
                assert api.post("/api/v1/registraties", body, format="json", HTTP_IDEMPOTENCY_KEY=typed).status_code == 201
            elif write == 2:
                desk.post(f"/verwijzingen/nieuw/{question.uuid}/", {"dienst": str(service.uuid), "soort": "informatie", "submission_key": typed})
            elif write == 3:
                body = {"registratie": str(question.uuid), "dienst": str(service.uuid), "soort": "informatie"}
                assert api.post("/api/v1/verwijzingen", body, format="json", HTTP_IDEMPOTENCY_KEY=typed).status_code == 201
            elif write == 4:
                desk.post(f"/cursussen/{course.uuid}/vraag/{question.uuid}/", {"toestemming": "ja", "naam": "Jantine Voorbeeldig",
                                                                               "telefoon": "06 41234567", "submission_key": typed})
            elif write == 5:
                desk.post("/wachtrij/balie/uitgeven/", {"issue_key": typed, "onderwerp": "BRIEF"})
                Client().post(f"/wachtrij/RDAM-CENTRAAL/kiosk/{queue.kiosk_token}/", {"sleutel": typed, "onderwerp": "DIGID"})
                desk.post("/wachtrij/balie/oproepen/", {"desk_label": "balie 1", "call_key": typed})
            else:
                desk.post("/balie/turven/", {"pair": "DIGID:INLOGGEN", "click_id": typed})
    assert Visit.objects.exclude(submission_key=None).count() >= 3 * len(ASCII_SPELLINGS)
    assert Referral.objects.exclude(submission_key=None).count() == 2 * len(ASCII_SPELLINGS)
    assert Enrolment.objects.exclude(submission_key=None).count() == len(ASCII_SPELLINGS)
    assert Ticket.objects.exclude(call_key=None).count() == len(ASCII_SPELLINGS)
    keys = [*Visit.objects.values_list("submission_key", flat=True), *Referral.objects.values_list("submission_key", flat=True),
            *Enrolment.objects.values_list("submission_key", flat=True), *Ticket.objects.values_list("idempotency_key", flat=True),
            *Ticket.objects.values_list("call_key", flat=True)]
    assert all(k is None or re.fullmatch(r"h:[0-9a-f]{64}", k) for k in keys)
    found = [(needle, where) for needle in needles for where, text in _database_text() if needle in text]
    assert not found, found
    # A repeat with the same key still finds the first object.
    before = Visit.objects.count()
    for _ in range(2):
        api.post("/api/v1/registraties", {"locatie": "RDAM-CENTRAAL", **{"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST"}},
                 format="json", HTTP_IDEMPOTENCY_KEY="bsn111222333")
    assert Visit.objects.count() == before + 1
    assert Visit.objects.filter(submission_key=idempotency.stored_key(f"api:{users['medewerker'].pk}:bsn111222333")).exists()


def test_the_upgrade_hashes_keys_stored_as_sent(world):
    from balie.core import idempotency

    question, hashed = _question(world), _question(world)
    Visit.objects.filter(pk=question.visit_id).update(submission_key="desk:111222333")
    Visit.objects.filter(pk=hashed.visit_id).update(submission_key=idempotency.stored_key("x"))
    assert idempotency.hash_existing_keys(Visit, "submission_key") == 1
    assert Visit.objects.get(pk=question.visit_id).submission_key == idempotency.stored_key("desk:111222333")
    assert idempotency.hash_existing_keys(Visit, "submission_key") == 0  # idempotent


def test_the_storage_rule_cuts_first_and_drops_what_still_holds_a_bsn(monkeypatch):
    assert pii.scrub_for_storage("bel 06-12345678", max_length=300, names=False).redacted == "bel [TELEFOON]"
    # Cutting at 9 characters turns "1112223334" (not a BSN) into "111222333" (a BSN): cut first, then check.
    assert pii.scrub_for_storage("1112223334 klantnummer", max_length=9, names=False).redacted == "[BSN]"
    assert pii.scrub_for_storage("", names=False).redacted == ""
    # A detector miss (simulated): the safety net drops the whole text rather than store a BSN.
    monkeypatch.setattr(pii, "scan", lambda text, names=None: [])
    assert pii.scrub_for_storage("BSN 111-222-333", names=False).redacted == pii.REMOVED


def test_the_refusal_names_the_kind_never_the_data():
    message = pii.refusal("balie 111-222-333", what="De naam van de balie")
    assert message and "een BSN" in message and "111" not in message
    assert pii.refusal("balie 2", what="De naam van de balie") is None
    assert pii.refusal("Bel 010-2816100", what="De mededeling", allowed_phones=["+31 10 281 6100"]) is None


def test_partner_users_are_linked(world):  # the partner account in these paths is SchuldHulpMaatje's
    assert PartnerUser.objects.get(user=world["users"]["partner"]).partner == world["partners"]["SchuldHulpMaatje Rotterdam"]
