"""The fixture world of the access matrix: one object of every kind for two library organisations.

"own" is Bibliotheek Rotterdam (the organisation of medewerker, collega and coordinator); "other" is Bibliotheek
Gouda (the organisation of medewerker-gouda, the outsider). The access table (tests/access_table.py) names objects
by the keys of these dicts, so a URL is always filled with a real id of a real object.

Everything goes through the project's own builders and services where they exist, so the objects look like the
ones users make; a few rows without a write service (signals, import jobs, sessions) are created directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

# Actors -> demo usernames (balie/network/demo.py builds them all).
USERNAMES = {
    "medewerker": "medewerker",
    "collega": "collega",
    "buiten": "medewerker-gouda",
    "coordinator": "coordinator",
    "gemeente": "gemeente",
    "landelijk": "landelijk",
    "partner": "partner",
    "beheerder": "beheerder",
}


@dataclass
class World:
    own: dict[str, Any] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)
    national: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)  # actor -> User (no entry for anonymous)

    def side(self, name: str) -> dict[str, Any]:
        return {"own": self.own, "other": self.other}[name]


def _side(*, org_code: str, location_code: str, staff: str, coordinator: str, colleague: str, partner: str,
          gemeente: str, local_code: str) -> dict[str, Any]:
    from balie.courses import services as course_services
    from balie.courses.models import Course
    from balie.desk import services as desk_services
    from balie.desk.exchange.models import ImportJob, ImportStatus
    from balie.knowledge.services import GuideData, guide_create
    from balie.network.models import Closure, LocalCode, Location, Organisation, Session, WeeklyHours
    from balie.partners.models import Partner
    from balie.referrals import links as referral_links
    from balie.referrals import services as referral_services
    from balie.referrals.models import Kind
    from balie.signals import services as signal_services
    from balie.signals.models import ScopeKind, Signal, SignalStatusChange, Status
    from balie.survey import services as survey_services
    from balie.walkin import services as walkin_services

    users = get_user_model().objects
    org = Organisation.objects.get(code=org_code)
    location = Location.objects.get(code=location_code)
    staff_user, coordinator_user = users.get(username=staff), users.get(username=coordinator)
    today = timezone.localdate()

    visit, _ = desk_services.visit_register(user=staff_user, location=location, questions=[
        {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"},
    ])
    question = visit.questions.get()

    partner_obj = Partner.objects.get(name=partner)
    referral, _ = referral_services.referral_create(
        user=staff_user, question=question, partner=partner_obj, service=partner_obj.services.first(),
        kind=Kind.SAMEN_GEBELD, consent=True, contact={"naam": "Jantine Voorbeeldig", "telefoon": "06 41234567"}, notify=False,
    )

    course = Course.objects.filter(organisation=org).order_by("pk").first()
    enrolment, _ = course_services.enrol(user=staff_user, course=course, question=question, consent=True,
                                         name="Piet Voorbeeld", phone="06 12345678")

    # The partner's organisation also receives signals (ADR 0007): the signal below was reported to it.
    Partner.objects.filter(pk=partner_obj.pk).update(receives_signals=True, signal_codes="|BELASTINGDIENST|")
    recipient_for_partner = Partner.objects.get(pk=partner_obj.pk)
    recipient = Partner.objects.create(
        name=f"Woningcorporatie {org.naam}", email="signalen@woning.example", receives_referrals=False, receives_signals=True,
        signal_codes="|WONEN|", organisation=org)
    monday = today - dt.timedelta(days=today.weekday())
    signal = Signal.objects.create(
        scope_kind=ScopeKind.ORGANISATIE, scope_key=f"organisatie:{org.code}", organisation=org, instantie="BELASTINGDIENST",
        start_week=monday - dt.timedelta(weeks=1), end_week=monday, observed=40, expected=12.0, effect=2.3, q_value=0.001,
        status=Status.GEMELD, recipient=recipient_for_partner, description="Betalingsregeling aanvragen lukt niet.",
    )
    SignalStatusChange.objects.create(signal=signal, from_status="", to_status=Status.NIEUW)
    SignalStatusChange.objects.create(signal=signal, from_status=Status.NIEUW, to_status=Status.GEMELD, by=coordinator_user)

    settings = walkin_services.queue_settings_ensure(location)
    settings.enabled = True
    settings.save()
    ticket, _ = walkin_services.ticket_issue(location=location)

    guide = guide_create(user=coordinator_user, data=GuideData(
        title=f"Betalingsregeling {org.naam}", summary="Zo vraagt u een betalingsregeling aan.",
        body="1. Log in met DigiD.\n2. Kies Betalingsregeling.", instanties=["BELASTINGDIENST"], onderwerpen=["BETALEN"],
    ))

    import_job = ImportJob.objects.create(
        organisation=org, created_by=staff_user, file_name="registraties.csv", status=ImportStatus.DONE, finished_at=timezone.now())

    session = Session.objects.create(location=location, date=today + dt.timedelta(days=7), start=dt.time(10), end=dt.time(12))
    closure = Closure.objects.create(organisation=org, location=location, start_date=today + dt.timedelta(days=30),
                                     end_date=today + dt.timedelta(days=31), reason="Verbouwing")
    local, _ = LocalCode.objects.get_or_create(
        organisation=org, list="instantie", code=local_code, defaults={"label": local_code.title(), "national_code": "WONEN"})

    # An announcement (aanmelding) by the side's partner for today, with consent and sealed contact data. Created
    # directly: the service asks for the partner's own account, and only Rotterdam's partner has one.
    from balie.announcements.models import Announcement, AnnouncementStatusChange
    from balie.announcements.models import Status as AnnouncementStatus
    from balie.core import consent as consent_rules

    announcement = Announcement.objects.create(
        organisation=org, location=location, partner=partner_obj, expected_on=today, instantie="BELASTINGDIENST", onderwerp="BETALEN",
        description="Hulp bij een betalingsregeling.", status=AnnouncementStatus.AANGEMELD, consent=True, consent_at=timezone.now(),
        consent_text="Toestemming (testwereld).", contact_ciphertext=consent_rules.seal({"naam": "Ria Aangemeld", "telefoon": "+31641234568"}),
    )
    AnnouncementStatusChange.objects.create(announcement=announcement, from_status="", to_status=AnnouncementStatus.AANGEMELD,
                                            via="formulier", at=timezone.now())

    return {
        "announcement": announcement,
        "organisation": org,
        "location": location,
        "weekly": WeeklyHours.objects.filter(location=location).order_by("pk").first(),
        "session": session,
        "closure": closure,
        "staff": users.get(username=colleague),
        "local_code": local,
        "visit": visit,
        "question": question,
        "import_job": import_job,
        "partner": partner_obj,
        "service": partner_obj.services.order_by("pk").first(),
        "referral": referral,
        "referral_token": referral_links.link_token(referral),
        "course": course,
        "enrolment": enrolment,
        "signal": signal,
        "signal_token": signal_services.response_token(signal),
        "recipient": recipient,
        "ticket": ticket,
        "kiosk_token": settings.kiosk_token,
        "guide": guide,
        "survey_link": survey_services.link_ensure(location),
        "gemeente": gemeente,
    }


def build_world() -> World:
    """Build the demo network, social map and courses, then one object of every kind per organisation."""
    from balie.core import codelists
    from balie.demo.courses import build_courses
    from balie.demo.network import build_network
    from balie.demo.partners import build_social_map
    from balie.knowledge.models import Guide

    build_network()
    build_social_map()
    build_courses()
    world = World()
    world.users = {actor: get_user_model().objects.get(username=name) for actor, name in USERNAMES.items()}
    world.own = _side(org_code="BIB-RDAM", location_code="RDAM-CENTRAAL", staff="medewerker", coordinator="coordinator",
                      colleague="collega", partner="SchuldHulpMaatje Rotterdam", gemeente="GM0599", local_code="WONEN_WOONSTAD")
    world.other = _side(org_code="BIB-GOUDA", location_code="GOUDA-CHOCOLADEFABRIEK", staff="medewerker-gouda",
                        coordinator="coordinator-gouda", colleague="medewerker-gouda", partner="Sociaal Team Gouda",
                        gemeente="GM0513", local_code="WONEN_MOZAIEK")
    world.national = {
        "codelist_version": codelists.current_version(),
        "national_guide": Guide.objects.filter(organisation__isnull=True).order_by("pk").first(),
        # The year of the last month that has ended: a report period must have begun and have a whole month in it.
        "year": str((timezone.localdate().replace(day=1) - dt.timedelta(days=1)).year),
    }
    return world


@contextlib.contextmanager
def rolled_back_world(django_db_blocker: Any, *, prepare: Callable[[World], None] | None = None, language: str = "",
                      **settings: Any) -> Iterator[World]:
    """The world built once for a whole test module, inside one transaction that is rolled back at the end.

    Fast settings for page walks: an MD5 password hasher, no PII warm-up, and signed-cookie sessions (thousands of
    requests need no session row each; the pages do not care where a session lives). ``prepare`` adds data to the
    world; ``language`` sets every account's language (the English crawls); extra settings override the rest.
    """
    from django.db import transaction
    from django.test import override_settings

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], BALIE_PII_WARMUP=False,
                             SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies", **settings)
    with django_db_blocker.unblock(), fast:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            if prepare is not None:
                prepare(world)
            if language:
                for user in world.users.values():
                    user.language = language
                    user.save(update_fields=["language"])
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
