"""The one audit logger: structured events to stdout (logger balie.audit) and to the AuditEvent table.

Every event has one entry in the catalogue below: its name, what it means in Dutch, and whether it reads or
processes personal data (the AVG tag). log() refuses a name that is not in the catalogue and takes the tag from
it, so a caller can neither invent an event nor forget to mark a read of contact data.
"""

from __future__ import annotations

import hashlib
import json
import logging
from enum import StrEnum
from typing import Any

from django.db import models

from .models import AuditEvent
from .ratelimit import client_ip

logger = logging.getLogger("balie.audit")


class Event(StrEnum):
    """The catalogue of audit events: name (stored), Dutch description, personal-data tag."""

    description: str
    personal_data: bool

    def __new__(cls, value: str, description: str, personal_data: bool = False) -> Event:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        member.personal_data = personal_data
        return member

    # desk: registrations
    VISIT_REGISTERED = "visit_registered", "Een bezoek met een of meer vragen is geregistreerd."
    VISIT_DELETED = "visit_deleted", "Een bezoek is met al zijn vragen verwijderd (ongedaan gemaakt)."
    QUESTION_UPDATED = "question_updated", "Een geregistreerde vraag is gecorrigeerd."
    QUESTION_DELETED = "question_deleted", "Een geregistreerde vraag is verwijderd."
    IMPORT_JOB_CREATED = "import_job_created", "Een CSV-bestand met registraties is gecontroleerd en klaargezet om te importeren."
    REGISTRATIONS_IMPORTED = "registrations_imported", "Registraties zijn uit een CSV-bestand geïmporteerd."
    REGISTRATIONS_EXPORTED = "registrations_exported", "De registraties van een organisatie zijn als CSV gedownload."
    IMPORT_JOB_INTERRUPTED = "import_job_interrupted", "Een import is onderbroken (storing of herstart) en opnieuw gestart of afgebroken."
    # signing in (the username typed and the address; never a password)
    LOGIN = "login", "Iemand is ingelogd."
    LOGOUT = "logout", "Iemand is uitgelogd."
    LOGIN_FAILED = "login_failed", "Een inlogpoging is mislukt (verkeerde gebruikersnaam of wachtwoord, of geblokkeerd)."
    # two-factor authentication and passwords (accounts; never a code, a secret or a password)
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Iemand heeft tweestapsverificatie ingesteld: een app gekoppeld en herstelcodes gekregen."
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Iemand heeft bij het inloggen de code uit de app goed ingevuld."
    TWO_FACTOR_FAILED = "two_factor_failed", "Een code voor tweestapsverificatie was fout, of er werd te vaak een foute code ingevuld."
    TWO_FACTOR_RECOVERY_USED = "two_factor_recovery_used", "Iemand is ingelogd met een herstelcode (die code werkt daarna niet meer)."
    TWO_FACTOR_RECOVERY_RENEWED = "two_factor_recovery_renewed", "Iemand heeft nieuwe herstelcodes gemaakt; de oude werken niet meer."
    TWO_FACTOR_RESET = "two_factor_reset", "De tweestapsverificatie van een account is gewist (door de persoon zelf, een coördinator of de beheerder)."
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Iemand heeft via 'Wachtwoord vergeten?' een e-mail met een link aangevraagd."
    PASSWORD_RESET_DONE = "password_reset_done", "Een wachtwoord is opnieuw ingesteld met de link uit de e-mail."
    PASSWORD_CHANGED = "password_changed", "Iemand heeft het eigen wachtwoord gewijzigd."
    # federation (hub and nodes, docs/federatie.md): never a token, never a figure
    FEDERATION_NODE_ADDED = "federation_node_added", "Op de hub is een knooppunt toegevoegd en heeft het een sleutel gekregen."
    FEDERATION_NODE_SUSPENDED = "federation_node_suspended", "Op de hub is een knooppunt geschorst of weer toegelaten."
    FEDERATION_TOKEN_ROTATED = "federation_token_rotated", "De sleutel van een knooppunt is vernieuwd; de oude werkt niet meer."
    FEDERATION_DELIVERY_RECEIVED = "federation_delivery_received", "De hub heeft cijfers van een knooppunt ontvangen (alleen aantallen)."
    FEDERATION_DELIVERY_WITHDRAWN = "federation_delivery_withdrawn", "Een knooppunt heeft geleverde cijfers ingetrokken; de hub heeft ze verwijderd."
    FEDERATION_SIGNAL_RECEIVED = "federation_signal_received", "De hub heeft de samenvatting van een landelijk gemeld signaal van een knooppunt ontvangen."
    FEDERATION_SYNCED = "federation_synced", "Een knooppunt heeft codelijsten van de hub opgehaald en zijn cijfers geleverd."
    # code lists (landelijk beheer)
    CODELIST_DRAFT_CREATED = "codelist_draft_created", "Een conceptversie van de codelijsten is gemaakt."
    CODELIST_CODE_SAVED = "codelist_code_saved", "Een code in een conceptversie van de codelijsten is opgeslagen."
    CODELIST_PUBLISHED = "codelist_published", "Een nieuwe versie van de codelijsten is gepubliceerd."
    # network: organisation, locations, staff, opening hours
    LOCATION_SAVED = "location_saved", "Een locatie is aangemaakt of gewijzigd."
    LOCATION_DELETED = "location_deleted", "Een locatie is in het beheer verwijderd."
    ORGANISATION_SAVED = "organisation_saved", "Een bibliotheekorganisatie is in het beheer aangemaakt of gewijzigd."
    USER_CREATED = "user_created", "Een gebruikersaccount is in het beheer aangemaakt."
    USER_ROLE_CHANGED = "user_role_changed", "De rol, organisatie, gemeenten of rechten van een account zijn in het beheer gewijzigd."
    USER_DELETED = "user_deleted", "Een gebruikersaccount is in het beheer verwijderd."
    PARTNER_USER_LINKED = "partner_user_linked", "Een partneraccount is aan een partnerorganisatie gekoppeld."
    PARTNER_USER_UNLINKED = "partner_user_unlinked", "De koppeling van een partneraccount aan een partnerorganisatie is verwijderd."
    LOCATION_VISITOR_INFO_SAVED = "location_visitor_info_saved", "De bezoekersinformatie van een locatie is gewijzigd."
    STAFF_SAVED = "staff_saved", "Een medewerkersaccount of de rol ervan is opgeslagen."
    LOCAL_CODE_SAVED = "local_code_saved", "Een lokale code is opgeslagen."
    API_TOKEN_CREATED = "api_token_created", "Er is een API-sleutel gemaakt."
    WEEKLY_HOURS_SAVED = "weekly_hours_saved", "Openingstijden of spreekuren van een locatie zijn opgeslagen."
    SESSION_SAVED = "session_saved", "Een losse bijeenkomst of afwijkende openingstijd is opgeslagen."
    CLOSURE_SAVED = "closure_saved", "Een sluitingsdag is opgeslagen."
    SCHEDULE_ITEM_DELETED = "schedule_item_deleted", "Een openingstijd, bijeenkomst of sluitingsdag is verwijderd."
    # partners (sociale kaart)
    PARTNER_CREATED = "partner_created", "Een partner is aan de sociale kaart toegevoegd."
    PARTNER_CHANGED = "partner_changed", "Een partner op de sociale kaart is gewijzigd."
    PARTNER_SERVICE_CREATED = "partner_service_created", "Een dienst van een partner is toegevoegd."
    PARTNER_SERVICE_CHANGED = "partner_service_changed", "Een dienst van een partner is gewijzigd."
    PARTNER_VERIFIED = "partner_verified", "De gegevens van een partner zijn gecontroleerd."
    SOCIAL_MAP_IMPORTED = "social_map_imported", "Een sociale kaart is geïmporteerd (HSDS)."
    SOCIAL_MAP_EXPORTED = "social_map_exported", "De sociale kaart is gedownload (HSDS)."
    # referrals (contact data is encrypted; a referral with consent carries it)
    REFERRAL_CREATED = "referral_created", "Een bezoeker is doorverwezen; bij toestemming met versleutelde contactgegevens.", True
    REFERRAL_STATUS_CHANGED = "referral_status_changed", "De status van een verwijzing is veranderd."
    REFERRAL_CONTACT_READ = "referral_contact_read", "De contactgegevens bij een verwijzing zijn ingezien.", True
    REFERRAL_CONTACT_DELETED = "referral_contact_deleted", "De contactgegevens bij een verwijzing zijn gewist.", True
    REFERRAL_LINK_REVOKED = "referral_link_revoked", "De persoonlijke partnerlinks van een verwijzing zijn ingetrokken; oudere links werken niet meer."
    REFERRAL_LINK_REFUSED = "referral_link_refused", "Iemand opende een ingetrokken persoonlijke partnerlink (adres en browser staan erbij)."
    REFERRAL_PARTNER_NOTIFIED = "referral_partner_notified", "De partner kreeg een e-mail met een persoonlijke link."
    REFERRAL_PARTNER_REMINDED = "referral_partner_reminded", "De partner kreeg een herinnering over een open verwijzing."
    # announcements (aanmeldingen): a partner or municipality announces a visitor; contact data only with consent
    ANNOUNCEMENT_CREATED = "announcement_created", "Een partner of gemeente heeft een bezoeker aangemeld; bij toestemming met versleutelde naam en telefoon.", True
    ANNOUNCEMENT_STATUS_CHANGED = "announcement_status_changed", "De status van een aanmelding is veranderd (gekomen, geholpen, niet gekomen, verlopen, ingetrokken)."
    ANNOUNCEMENT_CONTACT_READ = "announcement_contact_read", "Naam en telefoon bij een aanmelding zijn ingezien.", True
    ANNOUNCEMENT_CONTACT_DELETED = "announcement_contact_deleted", "Naam en telefoon bij een aanmelding zijn gewist.", True
    # courses
    COURSE_CREATED = "course_created", "Een cursus of groep is aangemaakt."
    COURSE_CHANGED = "course_changed", "Een cursus of groep is gewijzigd."
    COURSE_REFERRAL_CREATED = "course_referral_created", "Een bezoeker is (anoniem) op een cursus gewezen."
    COURSE_ENROLMENT_CREATED = "course_enrolment_created", "Een bezoeker is met naam en telefoon ingeschreven voor een cursus.", True
    COURSE_ENROLMENT_CANCELLED = "course_enrolment_cancelled", "Een inschrijving voor een cursus is afgemeld."
    COURSE_ENROLMENT_MOVED_UP = "course_enrolment_moved_up", "Iemand van de wachtlijst is ingeschreven."
    COURSE_ATTENDANCE_MARKED = "course_attendance_marked", "De aanwezigheid bij een cursus is ingevuld."
    COURSE_ENROLMENT_CONTACT_READ = "course_enrolment_contact_read", "Naam en telefoon bij een inschrijving zijn ingezien.", True
    COURSE_ENROLMENT_CONTACT_DELETED = "course_enrolment_contact_deleted", "Naam en telefoon bij een inschrijving zijn gewist.", True
    # signals
    SIGNAL_DETECTED = "signal_detected", "De detectie heeft een nieuw signaal gevonden."
    SIGNAL_STATUS_CHANGED = "signal_status_changed", "De status van een signaal is veranderd."
    SIGNAL_REPORT_SENT = "signal_report_sent", "Een signaalrapport is verstuurd aan een organisatie."
    SIGNAL_RECIPIENT_CREATED = "signal_recipient_created", "Een ontvanger van signalen is toegevoegd."
    SIGNAL_RECIPIENT_CHANGED = "signal_recipient_changed", "Een ontvanger van signalen is gewijzigd."
    # walk-in queue
    WALKIN_SETTINGS_CHANGED = "walkin_settings_changed", "De instellingen van de wachtrij van een locatie zijn gewijzigd."
    WALKIN_KIOSK_TOKEN_RENEWED = "walkin_kiosk_token_renewed", "Er is een nieuwe kiosklink voor de wachtrij gemaakt."
    WALKIN_TICKET_ISSUED = "walkin_ticket_issued", "Er is een wachtnummer uitgegeven."
    WALKIN_TICKET_CALLED = "walkin_ticket_called", "Een wachtnummer is opgeroepen."
    WALKIN_TICKET_RECALLED = "walkin_ticket_recalled", "Een wachtnummer is nog een keer opgeroepen."
    WALKIN_TICKET_NO_SHOW = "walkin_ticket_no_show", "Een opgeroepen bezoeker is niet verschenen."
    WALKIN_TICKET_CANCELLED = "walkin_ticket_cancelled", "Een wachtnummer is geannuleerd."
    WALKIN_TICKET_SERVED = "walkin_ticket_served", "De bezoeker met dit wachtnummer is geholpen en geregistreerd."
    # survey, forecast, insight
    SURVEY_LINK_CREATED = "survey_link_created", "Er is een enquêtelink voor een locatie gemaakt."
    FORECASTS_UPDATED = "forecasts_updated", "De drukteverwachting is opnieuw berekend."
    INSIGHT_REPORT = "insight_report", "Een verantwoordingsrapport voor een gemeente is gemaakt."
    # toolkit
    MESSAGE_CHECKED = "message_checked", "Een bericht is gecontroleerd op echtheid (is dit echt?)."
    LETTER_EXPLAINED = "letter_explained", "Een brief is uitgelegd."
    KB_GUIDE_CREATED = "kb_guide_created", "Een handleiding in de kennisbank is gemaakt."
    KB_GUIDE_UPDATED = "kb_guide_updated", "Een handleiding in de kennisbank is gewijzigd."
    KB_GUIDE_DELETED = "kb_guide_deleted", "Een handleiding in de kennisbank is verwijderd."
    # background work (core/worker.py, core/outbox.py)
    TASK_INTERRUPTED = "task_interrupted", "Een achtergrondtaak is afgebroken omdat de verwerker stopte; de taak is hersteld."
    MAIL_FAILED = "mail_failed", "Een e-mail kon na herhaalde pogingen niet worden verstuurd."


USER_AGENT_KEPT = 80


def origin(request: Any) -> dict[str, str]:
    """Where a request without an account came from (a personal link): the address and the browser.

    The browser string is kept short; its hash (of the whole string) lets two events be matched to one browser.
    """
    meta = getattr(request, "META", None) or {}
    agent = str(meta.get("HTTP_USER_AGENT", ""))
    return {
        "address": client_ip(request) if meta else "",
        "user_agent": agent[:USER_AGENT_KEPT],
        "user_agent_hash": hashlib.sha256(agent.encode("utf-8", "replace")).hexdigest()[:16],
    }


def event_for(name: str | Event) -> Event:
    """The catalogue entry for a name; an unknown name is a programming error, not something to store."""
    try:
        return Event(name)  # type: ignore[call-arg]  # a lookup by value; mypy sees the custom __new__
    except ValueError:
        raise ValueError(f"Onbekende auditgebeurtenis {name!r}: zet hem eerst in balie.core.audit.Event.") from None


def log(
    event: Event | str,
    *,
    user: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_uuid: str = "",
    **extra: Any,
) -> AuditEvent:
    entry = event_for(event)
    if "personal_data" in extra:
        raise TypeError("personal_data komt uit de catalogus (balie.core.audit.Event), niet van de aanroeper.")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_uuid = object_uuid or str(getattr(obj, "uuid", obj.pk))
    user_obj = user if getattr(user, "is_authenticated", False) else None
    record = AuditEvent.objects.create(
        event=entry.value,
        user=user_obj,
        object_type=object_type,
        object_uuid=object_uuid,
        personal_data=entry.personal_data,
        extra=extra,
    )
    logger.info(
        json.dumps(
            {
                "event": entry.value,
                "user": user_obj.get_username() if user_obj else None,
                "object_type": object_type,
                "object_uuid": object_uuid,
                "personal_data": entry.personal_data,
                **extra,
            },
            default=str,
        )
    )
    return record
