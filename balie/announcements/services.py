"""Writes for announcements: create (with consent), the append-only status loop, contact data, expiry and retention.

Contact data is only decrypted here (contact_for), and every read is written to the audit log (core.consent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from balie.core import audit, codelists, pii, workflow
from balie.core import consent as consent_rules
from balie.core.access import Cap, scope_of
from balie.core.audit import Event
from balie.core.idempotency import Claim
from balie.core.models import CodeList
from balie.core.pii import normalise_phone
from balie.core.workflow import TransitionNotAllowed  # noqa: F401  (views and the API catch services.TransitionNotAllowed)
from balie.desk.models import Visit
from balie.network.models import Location
from balie.network.schedule import hours
from balie.network.schedule.selectors import schedules_for

from .models import CAME_STATUSES, Announcement, AnnouncementStatusChange, Status

DESCRIPTION_MAX = 500  # Announcement.description
DAYS_AHEAD = 60  # announcing further ahead is a plan, not an announcement
HELPED = ("OPGELOST", "DEELS", "DOORVERWEZEN")  # uitkomst codes that mean the visitor was helped (NIET_OPGELOST: not)
OUTCOME_RANK = {"OPGELOST": 0, "DEELS": 1, "DOORVERWEZEN": 2, "NIET_OPGELOST": 3}

ALLOWED: dict[str, set[str]] = {
    Status.AANGEMELD: {Status.GEKOMEN, Status.NIET_GEKOMEN, Status.VERLOPEN, Status.INGETROKKEN},
    # A visitor who comes a day late, or after the desk marked "niet gekomen", is still registered from the announcement.
    Status.NIET_GEKOMEN: {Status.GEKOMEN},
    Status.VERLOPEN: {Status.GEKOMEN},
    Status.GEKOMEN: {Status.GEHOLPEN},
}
MACHINE = workflow.Machine(
    model=Announcement, history=AnnouncementStatusChange, parent_field="announcement", allowed=ALLOWED,
    event=Event.ANNOUNCEMENT_STATUS_CHANGED, labels=Status,
)

AnnouncementError = consent_rules.ContactError
AnnouncementInvalid = consent_rules.ContactInvalid


@dataclass(frozen=True)
class Slot:
    """A consultation hour the visitor may be announced for (one concrete slot on one day)."""

    date: dt.date
    start: dt.time
    end: dt.time

    @property
    def value(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.start:%H:%M}"

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


# --- who may announce where -----------------------------------------------------------------------------------
def sender_partner(user: Any) -> Any:
    """The partner organisation a partner account speaks for (partners.PartnerUser), else None."""
    if not scope_of(user).is_partner:
        return None
    link = getattr(user, "partner_link", None)
    return getattr(link, "partner", None)


def announce_locations(user: Any) -> Any:
    """The active IDO locations this account may announce visitors to.

    A municipality: the locations in its gemeenten. A partner: the locations of the library that keeps it on its social
    map; a national partner (no library) may announce to every IDO.
    """
    scope = scope_of(user)
    active = Location.objects.filter(active=True).select_related("gemeente", "organisation").order_by("gemeente__naam", "naam")
    if not scope.can(Cap.ANNOUNCE):
        return active.none()
    if scope.is_partner:
        partner = sender_partner(user)
        if partner is None or not partner.active:
            return active.none()
        return active if partner.organisation_id is None else active.filter(organisation_id=partner.organisation_id)
    if scope.reads_gemeenten:
        return active.filter(gemeente_id__in=scope.gemeente_ids)
    return active.none()


def consultation_slots(location: Location, *, start: dt.date, days: int = 14, now: dt.datetime | None = None) -> list[Slot]:
    """The IDO consultation hours of a location from ``start`` on (public holidays and closures taken into account)."""
    now = now or timezone.now()
    end = start + dt.timedelta(days=days)
    schedule = schedules_for([location], start=start, end=end).get(location.pk)
    if schedule is None:
        return []
    found = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        for slot in hours.day_plan(schedule, day).slots:
            if slot.is_consultation and slot.ends_at() > now:
                found.append(Slot(day, slot.start, slot.end))
    return found


# --- create ---------------------------------------------------------------------------------------------------
def consent_text(location_name: str) -> str:
    """Plain Dutch (B1): what data, to whom, for what, how long. Stored exactly as shown."""
    return consent_rules.consent_text(
        allow=f"uw naam en telefoonnummer door te geven aan het Informatiepunt Digitale Overheid in {location_name}",
        use="Zij gebruiken dit alleen om u te herkennen als u komt, of om u te bellen als u niet kunt komen.",
        visible_to="Alleen het informatiepunt en wie u aanmeldde kunnen deze gegevens zien.",
        erased_after="nadat u bent geweest (of als u niet kwam)",
        withdraw_at=" bij wie u aanmeldde of bij het informatiepunt",
    )


def clean_contact(contact: dict[str, Any] | None) -> tuple[dict[str, str], list[AnnouncementError]]:
    """The minimum: a name and a phone number, nothing else."""
    contact = contact or {}
    name = str(contact.get("naam", "")).strip()
    phone = str(contact.get("telefoon", "")).strip()
    long = [e for key, value in (("naam", name), ("telefoon", phone))
            if (e := consent_rules.too_long(key, value, field=f"contact.{key}")) is not None]
    if long:
        return {"naam": "", "telefoon": ""}, long
    errors: list[AnnouncementError] = []
    if not name:
        errors.append(AnnouncementError("contact.naam", gettext("Vul de naam in die het informatiepunt mag gebruiken.")))
    if not phone:
        errors.append(AnnouncementError("contact.telefoon", gettext("Vul een telefoonnummer in.")))
    else:
        normal = normalise_phone(phone)
        if normal is None:
            errors.append(AnnouncementError("contact.telefoon", gettext("Dit is geen geldig telefoonnummer. Bijvoorbeeld 06 12345678.")))
        phone = normal or phone
    return {"naam": name, "telefoon": phone}, errors


def _check_code(errors: list[AnnouncementError], field: str, code: str, code_list: str) -> None:
    if code and code not in codelists.codes(codelists.current_version(), code_list):
        message = (gettext("Onbekende instantiecode '%(code)s'. Kies er een uit de lijst.") if field == "instantie" else
                   gettext("Onbekende onderwerpcode '%(code)s'. Kies er een uit de lijst."))
        errors.append(AnnouncementError(field, message % {"code": code[:40]}))


@transaction.atomic
def announcement_create(
    *, user: Any, location: Location | None, expected_on: dt.date | None, slot: tuple[dt.time, dt.time] | None = None,
    instantie: str = "", onderwerp: str = "", description: str = "", consent: bool = False,
    contact: dict[str, Any] | None = None, submission_key: str | None = None, via: str = "formulier", now: dt.datetime | None = None,
) -> tuple[Announcement, bool]:
    """Announce a visitor. Returns (announcement, created); a repeated submission key returns the first one.

    Every problem is collected and raised at once (AnnouncementInvalid); nothing is saved then.
    """
    scope = scope_of(user)
    scope.require(Cap.ANNOUNCE)
    instantie, onderwerp = (instantie or "").strip().upper(), (onderwerp or "").strip().upper()
    claim = Claim(Announcement, key=submission_key, owner={"created_by_id": getattr(user, "pk", None)}, body={
        "location": getattr(location, "pk", None), "expected_on": str(expected_on), "slot": [str(t) for t in slot] if slot else None,
        "instantie": instantie, "onderwerp": onderwerp, "description": description, "consent": bool(consent),
        "contact": {k: str(v).strip() for k, v in (contact or {}).items()},
    })
    if (existing := claim.existing()) is not None:
        return existing, False
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: list[AnnouncementError] = []
    if location is None or not announce_locations(user).filter(pk=location.pk).exists():
        errors.append(AnnouncementError("locatie", gettext("Kies een IDO-locatie waar u bezoekers naartoe mag sturen.")))
        location = None
    if expected_on is None:
        errors.append(AnnouncementError("datum", gettext("Vul de dag in waarop de bezoeker komt.")))
    elif expected_on < today:
        errors.append(AnnouncementError("datum", gettext("Deze dag is al voorbij. Kies vandaag of een dag later.")))
    elif expected_on > today + dt.timedelta(days=DAYS_AHEAD):
        errors.append(AnnouncementError("datum", gettext("Meld een bezoeker hoogstens %(days)s dagen vooruit aan.") % {"days": DAYS_AHEAD}))
    if slot is not None and location is not None and expected_on is not None and not errors:
        offered = {(s.start, s.end) for s in consultation_slots(location, start=expected_on, days=1, now=now)}
        if tuple(slot) not in offered:
            errors.append(AnnouncementError("spreekuur", gettext("Op die dag is er geen spreekuur op dat tijdstip. Kies een spreekuur uit de lijst.")))
    _check_code(errors, "instantie", instantie, CodeList.INSTANTIE)
    _check_code(errors, "onderwerp", onderwerp, CodeList.ONDERWERP)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors.append(AnnouncementError("toelichting", gettext("De toelichting is %(length)s tekens lang; het maximum is %(max)s.") % {
            "length": len(description), "max": DESCRIPTION_MAX}))
    if not (instantie or onderwerp or description):
        errors.append(AnnouncementError("instantie", gettext(
            "Zeg waar het over gaat: kies een instantie of onderwerp, of schrijf een korte toelichting.")))
    has_contact = any(str(v).strip() for v in (contact or {}).values())
    cleaned: dict[str, str] = {}
    if has_contact and not consent:
        errors.append(AnnouncementError("toestemming", gettext("Zonder toestemming van de bezoeker slaan we geen naam of telefoonnummer op.")))
    if consent:
        cleaned, contact_errors = clean_contact(contact)
        errors += contact_errors
    if errors:
        raise AnnouncementInvalid(errors)
    assert location is not None and expected_on is not None
    partner = sender_partner(user)
    # Free text from outside the library: the desk note's rule (redact; drop it if a BSN or IBAN survives).
    description = pii.scrub_for_storage(description, max_length=DESCRIPTION_MAX).redacted
    announcement = Announcement(
        organisation_id=location.organisation_id, location=location, partner=partner,
        gemeente_id=None if partner is not None else location.gemeente_id, expected_on=expected_on,
        preferred_start=slot[0] if slot else None, preferred_end=slot[1] if slot else None,
        instantie=instantie, onderwerp=onderwerp, description=description, status=Status.AANGEMELD,
        created_by=user if getattr(user, "is_authenticated", False) else None, consent=bool(consent),
    )
    if consent:
        announcement.consent_text = consent_text(location.naam)
        announcement.consent_at = now
        announcement.contact_ciphertext = consent_rules.seal(cleaned)
    announcement, created = claim.insert(announcement)
    if not created:
        return announcement, False
    Announcement.objects.filter(pk=announcement.pk).update(created_at=now)
    announcement.created_at = now
    workflow.start(MACHINE, announcement, Status.AANGEMELD, via=via, by=announcement.created_by, at=now)
    audit.log(Event.ANNOUNCEMENT_CREATED, user=user, obj=announcement, location=location.code, consent=announcement.consent, via=via)
    return announcement, True


# --- the status loop ------------------------------------------------------------------------------------------
def _transition(announcement: Announcement, to: str, *, by: Any, via: str, now: dt.datetime, fields: dict[str, Any] | None = None) -> None:
    extra = dict(fields or {})
    if to != Status.GEHOLPEN:
        # Every move away from "aangemeld" closes it; the retention of contact data counts from the latest one.
        extra["closed_at"] = now
    workflow.transition(MACHINE, announcement, to, by=by, fields=lambda _current: extra,
                        history={"via": via, "at": now}, audit_extra={"via": via})


def best_outcome(visit: Visit) -> str:
    """The visit's most favourable uitkomst (solved beats partly beats referred beats not solved)."""
    outcomes = list(visit.questions.values_list("uitkomst", flat=True))
    return min(outcomes, key=lambda code: OUTCOME_RANK.get(code, 9)) if outcomes else ""


@transaction.atomic
def mark_came(*, announcement: Announcement, visit: Visit, by: Any, now: dt.datetime | None = None) -> bool:
    """The desk registered the announced visitor: gekomen, and geholpen when the outcome says so. False if nothing changed.

    Only the anonymous outcome code goes back to the sender; the registration itself stays with the library.
    """
    now = now or timezone.now()
    current = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if current.organisation_id != visit.organisation_id or current.status in CAME_STATUSES or current.status == Status.INGETROKKEN:
        return False
    outcome = best_outcome(visit)
    _transition(announcement, Status.GEKOMEN, by=by, via="balie", now=now, fields={"visit_id": visit.pk, "uitkomst": outcome})
    if outcome in HELPED:
        _transition(announcement, Status.GEHOLPEN, by=by, via="balie", now=now)
    return True


@transaction.atomic
def mark_no_show(*, announcement: Announcement, by: Any, now: dt.datetime | None = None) -> None:
    """The desk says the announced visitor did not come (only the library of the location)."""
    if not scope_of(by).owns(announcement.organisation_id):
        raise PermissionDenied(gettext("Alleen het informatiepunt van de locatie kan 'niet gekomen' kiezen."))
    _transition(announcement, Status.NIET_GEKOMEN, by=by, via="balie", now=now or timezone.now())


def is_sender(user: Any, announcement: Announcement) -> bool:
    scope = scope_of(user)
    if scope.is_partner:
        return announcement.partner_id is not None and announcement.partner_id == scope.partner_id
    if scope.reads_gemeenten:
        return announcement.gemeente_id is not None and announcement.gemeente_id in scope.gemeente_ids
    return False


@transaction.atomic
def withdraw(*, announcement: Announcement, by: Any, via: str = "formulier", now: dt.datetime | None = None) -> None:
    """The sender takes the announcement back; name and phone go at once (nobody needs them any more)."""
    if not is_sender(by, announcement):
        raise PermissionDenied(gettext("Alleen wie aanmeldde kan de aanmelding intrekken."))
    now = now or timezone.now()
    _transition(announcement, Status.INGETROKKEN, by=by, via=via, now=now)
    if Announcement.objects.filter(pk=announcement.pk).exclude(contact_ciphertext="").exists():
        consent_rules.contact_erase(announcement, event=Event.ANNOUNCEMENT_CONTACT_DELETED, by=by, reason="aanmelding ingetrokken", now=now)


def expire_overdue(now: dt.datetime | None = None) -> int:
    """Announcements whose day has passed without a visit become 'verlopen' (by the system). Returns how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    for announcement in Announcement.objects.filter(status=Status.AANGEMELD, expected_on__lt=today).iterator():
        try:
            _transition(announcement, Status.VERLOPEN, by=None, via="systeem", now=now)
        except TransitionNotAllowed:
            continue  # moved on in the meantime (the visitor was registered while this ran)
        count += 1
    return count


# --- personal data --------------------------------------------------------------------------------------------
def may_read_contact(user: Any, announcement: Announcement) -> bool:
    """The library of the location (until the retention ends), and the sender while the announcement is open."""
    if not announcement.contact_ciphertext:
        return False
    if scope_of(user).owns(announcement.organisation_id):
        return True
    return announcement.is_open and is_sender(user, announcement)


def contact_for(announcement: Announcement, *, user: Any, via: str) -> dict[str, str]:
    """Decrypt the name and phone for someone allowed to see them; every read is audit-logged."""
    if not may_read_contact(user, announcement):
        raise PermissionDenied(gettext("Alleen het informatiepunt, en wie aanmeldde zolang de aanmelding open is, zien naam en telefoon."))
    return consent_rules.contact_read(announcement, event=Event.ANNOUNCEMENT_CONTACT_READ, user=user, via=via)


@transaction.atomic
def withdraw_consent(*, announcement: Announcement, by: Any) -> None:
    """The visitor withdrew consent (told the desk or the sender): name and phone go at once."""
    if not (scope_of(by).owns(announcement.organisation_id) or is_sender(by, announcement)):
        raise PermissionDenied(gettext("Alleen het informatiepunt of wie aanmeldde kan de toestemming intrekken."))
    consent_rules.contact_erase(announcement, event=Event.ANNOUNCEMENT_CONTACT_DELETED, by=by, reason="toestemming ingetrokken")


def purge_personal_data(now: dt.datetime | None = None) -> int:
    """Expire overdue announcements, then erase the contact data of those closed longer than the retention period ago.

    Run daily with the referrals' retention job (referrals.tasks.purge_personal_data_task, manage.py purge_personal_data).
    """
    now = now or timezone.now()
    expire_overdue(now)
    days = consent_rules.retention_days()
    due = Announcement.objects.filter(closed_at__isnull=False, closed_at__lte=now - dt.timedelta(days=days))
    return consent_rules.contact_purge(due, event=Event.ANNOUNCEMENT_CONTACT_DELETED, reason=f"bewaartermijn van {days} dagen verstreken", now=now)
