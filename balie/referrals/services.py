"""Writes for referrals: create (with consent), the append-only status loop, the partner link, reminders, retention.

Personal data is only ever decrypted here (contact_for), and every such read is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from balie.core import audit, dates, outbox, pii, workflow
from balie.core import consent as consent_rules
from balie.core.access import scope_of
from balie.core.audit import Event
from balie.core.idempotency import Claim
from balie.core.models import CodeList
from balie.core.pii import normalise_phone
from balie.core.workflow import TransitionNotAllowed  # noqa: F401  (views and the API catch services.TransitionNotAllowed)
from balie.desk.models import Question
from balie.partners.models import Partner, Service

from . import mail
from .links import PartnerLink, link_url
from .models import CLOSED_STATUSES, OPEN_STATUSES, WARM_KINDS, Kind, Referral, ReferralStatusChange, RejectReason, Status

NOTE_MAX = 300  # ReferralStatusChange.note

ALLOWED: dict[str, set[str]] = {
    Status.VERSTUURD: {Status.ONTVANGEN, Status.IN_BEHANDELING, Status.GEHOLPEN, Status.NIET_BEREIKT, Status.AFGEWEZEN, Status.TERUGGETROKKEN},
    Status.ONTVANGEN: {Status.IN_BEHANDELING, Status.GEHOLPEN, Status.NIET_BEREIKT, Status.AFGEWEZEN, Status.TERUGGETROKKEN},
    Status.IN_BEHANDELING: {Status.GEHOLPEN, Status.NIET_BEREIKT, Status.AFGEWEZEN, Status.TERUGGETROKKEN},
}
# The partner reports what happened; the library can only withdraw its own referral.
PARTNER_TARGETS = {Status.ONTVANGEN, Status.IN_BEHANDELING, Status.GEHOLPEN, Status.NIET_BEREIKT, Status.AFGEWEZEN}
LIBRARY_TARGETS = {Status.TERUGGETROKKEN}
PARTNER, LIBRARY = "partner", "bibliotheek"
MACHINE = workflow.Machine(
    model=Referral, history=ReferralStatusChange, parent_field="referral", allowed=ALLOWED, event=Event.REFERRAL_STATUS_CHANGED,
    labels=Status,
)


# The error types of a write with contact data live in core.consent (courses uses them too); these names stay for
# the views and the API that catch them.
ReferralError = consent_rules.ContactError
ReferralInvalid = consent_rules.ContactInvalid


retention_days = consent_rules.retention_days


def consent_text(partner_name: str) -> str:
    """Plain Dutch (B1): what data, to whom, for what, how long. Stored exactly as shown."""
    return consent_rules.consent_text(
        allow=f"uw naam en uw telefoonnummer of e-mailadres door te geven aan {partner_name}",
        use=f"{partner_name} gebruikt dit alleen om contact met u op te nemen over uw vraag.",
        visible_to=f"Alleen de bibliotheek en {partner_name} kunnen deze gegevens zien.",
        erased_after="nadat de verwijzing is afgerond",
        withdraw_at=" bij de bibliotheek",
    )


def clean_contact(contact: dict[str, Any] | None) -> tuple[dict[str, str], list[ReferralError]]:
    """The minimum contact data: a name, and a phone number or an e-mail address, plus a preferred time."""
    contact = contact or {}
    errors: list[ReferralError] = []
    name = str(contact.get("naam", "")).strip()
    phone = str(contact.get("telefoon", "")).strip()
    email = str(contact.get("email", "")).strip()
    preferred = str(contact.get("voorkeur", "")).strip()
    long = [e for key, value in (("naam", name), ("telefoon", phone), ("email", email), ("voorkeur", preferred))
            if (e := consent_rules.too_long(key, value, field=f"contact.{key}")) is not None]
    if long:
        # Refused, never cut off (review L10); the text itself is not repeated in the message.
        return {"naam": "", "telefoon": "", "email": "", "voorkeur": ""}, long
    if not name:
        errors.append(ReferralError("contact.naam", gettext("Vul de naam in die de partner mag gebruiken.")))
    if not phone and not email:
        errors.append(ReferralError("contact.telefoon", gettext("Vul een telefoonnummer of e-mailadres in, zodat de partner contact kan opnemen.")))
    if phone:
        normal = normalise_phone(phone)
        if normal is None:
            errors.append(ReferralError("contact.telefoon", gettext("%(phone)s is geen geldig telefoonnummer. Bijvoorbeeld 06 12345678.") % {"phone": phone}))
        phone = normal or phone
    if email and ("@" not in email or "." not in email.rsplit("@", 1)[-1]):
        errors.append(ReferralError("contact.email", gettext("%(email)s is geen geldig e-mailadres.") % {"email": email}))
    return {"naam": name, "telefoon": phone, "email": email, "voorkeur": preferred}, errors


@transaction.atomic
def referral_create(
    *, user: Any, question: Question, partner: Partner, service: Service | None, kind: str, consent: bool = False,
    contact: dict[str, Any] | None = None, submission_key: str | None = None, base_url: str = "", via: str = "balie",
    now: dt.datetime | None = None, notify: bool = True,
) -> tuple[Referral, bool]:
    """Record a referral from a question. Returns (referral, created); a repeated submission key returns the first one."""
    claim = Claim(Referral, key=submission_key, owner={"organisation_id": getattr(user, "organisation_id", None)}, body={
        "question": question.pk, "partner": partner.pk, "service": service.pk if service else None, "kind": kind,
        "consent": bool(consent), "contact": {k: str(v).strip() for k, v in (contact or {}).items()},
    })
    if (existing := claim.existing()) is not None:
        return existing, False
    now = now or timezone.now()
    errors: list[ReferralError] = []
    if question.organisation_id != getattr(user, "organisation_id", None):
        errors.append(ReferralError("vraag", gettext("Deze vraag hoort niet bij uw organisatie.")))
    if partner.organisation_id not in (None, getattr(user, "organisation_id", None)) or not partner.active:
        errors.append(ReferralError("partner", gettext("Deze partner staat niet op uw sociale kaart.")))
    if service is not None and service.partner_id != partner.pk:
        errors.append(ReferralError("dienst", gettext("Deze dienst hoort niet bij de gekozen partner.")))
    if kind not in Kind.values:
        errors.append(ReferralError("soort", gettext("Kies hoe u doorverwijst: %(kinds)s.") % {
            "kinds": ", ".join(str(label).lower() for label in Kind.labels)}))
    has_contact = any(str(v).strip() for v in (contact or {}).values())
    cleaned: dict[str, str] = {}
    if has_contact and not consent:
        errors.append(ReferralError("toestemming", gettext("Zonder toestemming van de bezoeker slaan we geen contactgegevens op.")))
    if consent and kind not in WARM_KINDS:
        errors.append(ReferralError("toestemming", gettext("Bij alleen informatie geven neemt de partner geen contact op; toestemming is dan niet nodig.")))
    if consent and kind in WARM_KINDS:
        cleaned, contact_errors = clean_contact(contact)
        errors += contact_errors
    if errors:
        raise ReferralInvalid(errors)
    warm = kind in WARM_KINDS
    referral = Referral(
        organisation_id=question.organisation_id, location_id=question.location_id, question=question, partner=partner, service=service,
        kind=kind, status=Status.VERSTUURD if warm else Status.INFORMATIE, instantie=question.instantie, onderwerp=question.onderwerp,
        created_by=user if getattr(user, "is_authenticated", False) else None, last_update_at=now, closed_at=None if warm else now,
        consent=bool(consent and warm),
    )
    if referral.consent:
        referral.consent_text = consent_text(partner.name)
        referral.consent_at = now
        referral.contact_ciphertext = consent_rules.seal(cleaned)
    referral, created = claim.insert(referral)
    if not created:
        return referral, False
    Referral.objects.filter(pk=referral.pk).update(created_at=now)
    referral.created_at = now
    workflow.start(MACHINE, referral, referral.status, via=via, by=referral.created_by, at=now)
    audit.log(Event.REFERRAL_CREATED, user=user, obj=referral, partner=partner.name, kind=kind, consent=referral.consent, via=via)
    if warm and notify:
        # Queued in this transaction, sent by a task after the commit (core/outbox.py): a mail outage cannot fail this
        # request, and the same referral is never announced twice.
        notify_partner(referral, base_url=base_url)
    return referral, True


def allowed_targets(referral: Referral, actor: str) -> list[str]:
    targets = PARTNER_TARGETS if actor == PARTNER else LIBRARY_TARGETS
    return [s for s in Status.values if s in ALLOWED.get(referral.status, set()) and s in targets]


@transaction.atomic
def transition(
    referral: Referral, to: str, *, actor: str, via: str, by: Any = None, reason: str = "", note: str = "", now: dt.datetime | None = None,
) -> ReferralStatusChange:
    """The only place a referral's status changes: a new history row, never an edit. Illegal moves raise.

    Withdrawn by the library: the contact data is erased in the same transaction (nobody will call the visitor about
    this referral any more). Other closing statuses end the partner's access (may_read_contact); the library keeps
    the data until the retention period ends.
    """
    now = now or timezone.now()
    targets = PARTNER_TARGETS if actor == PARTNER else LIBRARY_TARGETS
    if to != Status.AFGEWEZEN:
        reason = ""

    def check(current: Referral) -> None:
        if to not in targets:
            if actor == PARTNER:
                raise TransitionNotAllowed(gettext("'%(status)s' kan de partner niet kiezen.") % {"status": Status(to).label})
            raise TransitionNotAllowed(gettext("'%(status)s' kan de bibliotheek niet kiezen.") % {"status": Status(to).label})
        if to == Status.AFGEWEZEN and reason not in RejectReason.values:
            raise TransitionNotAllowed(gettext("Kies waarom de verwijzing is afgewezen."))

    def fields(current: Referral) -> dict[str, Any]:
        values: dict[str, Any] = {"last_update_at": now}
        if actor == PARTNER and current.first_response_at is None:
            values["first_response_at"] = now
        if to in CLOSED_STATUSES:
            values["closed_at"] = now
        return values

    # The note is free text from staff or a partner: the desk note's rule (redact; drop it if a BSN/IBAN survives).
    note = pii.scrub_for_storage(note, max_length=NOTE_MAX).redacted
    change = workflow.transition(
        MACHINE, referral, to, by=by, check=check, fields=fields,
        history={"reason": reason, "note": note, "via": via, "at": now}, audit_extra={"via": via, "reason": reason},
    )
    if to == Status.TERUGGETROKKEN and Referral.objects.filter(pk=referral.pk).exclude(contact_ciphertext="").exists():
        consent_rules.contact_erase(referral, event=Event.REFERRAL_CONTACT_DELETED, by=by, reason="verwijzing teruggetrokken", now=now)
    return change


# --- personal data --------------------------------------------------------------------------------
def may_read_contact(user: Any, referral: Referral) -> bool:
    """The referring library, and the receiving partner while the referral is open (review M2).

    A partner needs the contact data to reach the visitor; once the referral is closed (helped, not reached, refused)
    or withdrawn, it has no reason left to see it. The library keeps it until the retention ends.
    """
    scope = scope_of(user)
    if scope.owns(referral.organisation_id):
        return True
    return scope.is_partner and scope.partner_id == referral.partner_id and referral.is_open


def contact_visible(referral: Referral, *, user: Any) -> bool:
    """Is there contact data this reader may see now? ``user`` None is the partner's personal link."""
    if not referral.contact_ciphertext:
        return False
    return referral.is_open if user is None else may_read_contact(user, referral)


def contact_for(
    referral: Referral, *, user: Any, via: str, origin: dict[str, str] | None = None, link: PartnerLink | None = None,
) -> dict[str, str]:
    """Decrypt the contact data for someone allowed to see it; every read is audit-logged.

    ``user`` is None for a partner who opened their personal link (the signed link is the permission); then ``link``
    says which link it was, and the audit event records it with the partner and ``origin`` (address, browser), so
    a forwarded link can be traced (review L8).
    """
    if not referral.contact_ciphertext:
        return {}
    if user is None and link is None:
        raise ValueError("Een lezing zonder account kan alleen via een geldige partnerlink.")
    if not contact_visible(referral, user=user):
        raise PermissionError("Alleen de verwijzende bibliotheek, en de ontvangende partner zolang de verwijzing loopt, zien contactgegevens.")
    extra: dict[str, Any] = {"via": via, **(origin or {})}
    if link is not None:
        extra.update(partner=referral.partner.name, partner_uuid=str(referral.partner.uuid), link_version=link.version,
                     link_issued_at=link.issued_at.isoformat())
    return consent_rules.contact_read(referral, event=Event.REFERRAL_CONTACT_READ, user=user, **extra)


@transaction.atomic
def withdraw_consent(referral: Referral, *, by: Any) -> None:
    """The visitor withdrew consent: the contact data goes at once."""
    consent_rules.contact_erase(referral, event=Event.REFERRAL_CONTACT_DELETED, by=by, reason="toestemming ingetrokken")


def purge_personal_data(now: dt.datetime | None = None) -> int:
    """Delete contact data of referrals closed more than the retention period ago. Run daily (task or cron)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    due = Referral.objects.filter(closed_at__isnull=False, closed_at__lte=cutoff)
    return consent_rules.contact_purge(
        due, event=Event.REFERRAL_CONTACT_DELETED, reason=f"bewaartermijn van {retention_days()} dagen verstreken", now=now,
    )


# --- the partner's personal link (links.py reads and signs it) ----------------------------------------
@transaction.atomic
def link_revoke(*, referral: Referral, by: Any, send_new: bool = False, base_url: str = "") -> Referral:
    """The library stops every personal link sent so far (a forwarded or lost e-mail). Audited.

    With ``send_new`` (and the referral still open) the partner gets a new link by e-mail; a coordinator's reminder
    also carries the new version.
    """
    if not scope_of(by).owns(referral.organisation_id):
        raise PermissionDenied(gettext("Alleen de bibliotheek die doorverwees kan de partnerlink intrekken."))
    Referral.objects.filter(pk=referral.pk).update(link_version=F("link_version") + 1)
    referral.refresh_from_db(fields=["link_version"])
    send = send_new and referral.is_open
    audit.log(Event.REFERRAL_LINK_REVOKED, user=by, obj=referral, link_version=referral.link_version, new_link_sent=send)
    if send:
        # Queued in this transaction like every partner e-mail (core/outbox.py); the new link version makes it a new mail.
        notify_partner(referral, base_url=base_url)
    return referral


def _words(version: Any, instantie: str, onderwerp: str) -> tuple[str, str]:
    from balie.core import codelists

    return (codelists.codes(version, CodeList.INSTANTIE).get(instantie, instantie),
            codelists.codes(version, CodeList.ONDERWERP).get(onderwerp, onderwerp))


def question_labels(question: Question) -> tuple[str, str]:
    """The instantie and onderwerp of a question in words, from the question's own code list version."""
    return _words(question.codelist_version, question.instantie, question.onderwerp)


def code_labels(referral: Referral) -> tuple[str, str]:
    """The same for a referral, which keeps its own copy of the codes."""
    return _words(referral.question.codelist_version, referral.instantie, referral.onderwerp)


def notify_partner(referral: Referral, *, base_url: str = "", reminder: bool = False, now: dt.datetime | None = None) -> bool:
    """E-mail the partner a personal link. The e-mail itself carries no personal data (e-mail is not encrypted).

    The e-mail is queued (core/outbox.py) and sent by the worker with retries. One announcement per referral, at most one
    reminder per referral per day; the audit event is written when the mail server has accepted it.
    """
    to = referral.service.referral_email if referral.service else referral.partner.email
    if not to:
        return False
    # In the receiving account's language (Dutch unless it chose English), whoever made the referral.
    with translation.override(mail.recipient_language(referral.partner, to)):
        subject, body = mail.partner_mail(referral, link_url(referral, base_url), reminder=reminder)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    day = timezone.localdate(now or timezone.now())
    # One announcement per link version: a revoked link (link_revoke with send_new) is followed by a new announcement.
    announcement = "melding" if not referral.link_version else f"melding:link{referral.link_version}"
    key = f"{mail_key(referral)}herinnering:{day:%Y-%m-%d}" if reminder else f"{mail_key(referral)}{announcement}"
    outbox.queue(message, key=key, audit_event=Event.REFERRAL_PARTNER_REMINDED if reminder else Event.REFERRAL_PARTNER_NOTIFIED,
                 audit_obj=referral, partner=referral.partner.name)
    return True


def mail_key(referral: Referral) -> str:
    """The prefix of the outbox keys of every e-mail about this referral."""
    return f"verwijzing:{referral.pk}:"


def mail_problem(referral: Referral) -> str:
    """A sentence for the library when the partner has not been reached by e-mail yet (the mail server failed), else ""."""
    trouble = outbox.trouble(mail_key(referral))
    if trouble == outbox.GAVE_UP:
        return gettext("Partner nog niet bereikt per e-mail: het versturen is steeds mislukt. Bel de partner of stuur een herinnering.")
    if trouble == outbox.RETRYING:
        return gettext("Partner nog niet bereikt per e-mail: de mailserver gaf een fout. Balie probeert het automatisch opnieuw.")
    return ""


# --- follow-up and reminders ----------------------------------------------------------------------
def due_date(referral: Referral) -> dt.date:
    return dates.add_working_days(timezone.localtime(referral.last_update_at).date(), settings.BALIE_REFERRAL_FOLLOWUP_WORKING_DAYS)


def is_overdue(referral: Referral, today: dt.date) -> bool:
    return referral.status in OPEN_STATUSES and due_date(referral) <= today


def send_reminders(now: dt.datetime | None = None, *, base_url: str = "") -> int:
    """Remind partners of open referrals without an update for 10 working days; at most once per 10 working days."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = 0
    candidates = Referral.objects.filter(status__in=OPEN_STATUSES).select_related("partner", "service", "organisation", "location", "question__codelist_version")
    for referral in candidates.iterator():
        if not is_overdue(referral, today):
            continue
        if referral.reminder_sent_at and dates.add_working_days(
                timezone.localtime(referral.reminder_sent_at).date(), settings.BALIE_REFERRAL_FOLLOWUP_WORKING_DAYS) > today:
            continue
        sent += referral_remind(referral=referral, base_url=base_url, now=now)
    return sent


@transaction.atomic
def referral_remind(*, referral: Referral, base_url: str = "", now: dt.datetime | None = None) -> bool:
    """Send the partner a reminder with a fresh link and remember when: the one place that sets reminder_sent_at.

    Both the coordinator's button and the nightly job use it, so the once-per-10-working-days rule sees both.
    False when the referral is closed or the partner has no e-mail address.
    """
    if not referral.is_open or not notify_partner(referral, base_url=base_url, reminder=True, now=now):
        return False
    Referral.objects.filter(pk=referral.pk).update(reminder_sent_at=now or timezone.now())
    return True
