"""The social map: partner organisations, the services they offer, where, and when their warm line is staffed.

Shaped after Open Referral HSDS 3.0 (organization, service, location, service_at_location, phone, schedule,
service_area) so the map can be exchanged as an HSDS CSV package (ADR 0009). Codes are stored as "|A|B|"
strings like the desk's questions (ADR 0003), so matching a question to services is a plain LIKE.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from balie.core.access import Scope

# join_multi is imported from here by partners/demo.py (moving to the demo app); new code imports it from core.
from balie.core.codelists import join_multi, split_multi  # noqa: F401
from balie.core.dates import WEEKDAYS_SHORT

VERIFY_AFTER_DAYS = 365


class Access(models.TextChoices):
    INLOOP = "inloop", _("Zonder afspraak (inloop)")
    AFSPRAAK = "afspraak", _("Op afspraak")
    BEIDE = "beide", _("Inloop en op afspraak")


class HoursKind(models.TextChoices):
    # HSDS schedule.attending_type: "phone" is the staffed warm line, "in_person" the opening hours.
    WARME_LIJN = "phone", "Warme lijn bemand"
    OPEN = "in_person", "Open voor bezoek"



class PartnerQuerySet(models.QuerySet["Partner"]):
    def for_scope(self, scope: Scope) -> PartnerQuerySet:
        """The social map a scope reads: library staff see their organisation's partners plus the national ones.

        The social map holds the organisations that receive referrals; one that only receives signals is not on it.
        """
        if not scope.is_desk_staff:
            return self.none()
        return self.filter(Q(organisation_id=scope.organisation_id) | Q(organisation__isnull=True), receives_referrals=True)

    def managed_by(self, scope: Scope) -> PartnerQuerySet:
        """Partners a coordinator edits: only those of the own organisation (national entries are read-only)."""
        if not scope.is_coordinator:
            return self.none()
        return self.filter(organisation_id=scope.organisation_id, receives_referrals=True)

    def signal_recipients_managed_by(self, scope: Scope) -> PartnerQuerySet:
        """Signal recipients a scope manages: a coordinator its library's local ones, the national role the national ones."""
        recipients = self.filter(receives_signals=True)
        if scope.is_coordinator:
            return recipients.filter(organisation_id=scope.organisation_id)
        if scope.is_national:
            return recipients.filter(organisation__isnull=True)
        return self.none()


class Partner(models.Model):
    """An outside organisation: a partner on the social map (HSDS organization) and/or a receiver of signals.

    There is one model for "an outside organisation" (it used to be two: this one and signals.SignalRecipient).
    `receives_referrals` puts it on the social map; `receives_signals` makes it a candidate recipient of signal
    reports for the instantie codes in `signal_codes`. `organisation` empty means national: every library sees it
    on its map, and it receives national signals (ADR 0007, ADR 0009).
    """

    objects = PartnerQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk.")
    hsds_id = models.CharField("HSDS-id", max_length=100, blank=True, help_text="Kenmerk in het HSDS-bestand waaruit deze partner kwam.")
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="partners",
        verbose_name="bibliotheekorganisatie",
        help_text="De bibliotheek die deze organisatie beheert. Leeg: een landelijke organisatie die iedereen ziet en die landelijke signalen ontvangt.",
    )
    name = models.CharField(_("naam"), max_length=150, help_text=_("Naam van de organisatie, bijvoorbeeld Juridisch Loket."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Wat de organisatie doet, in gewone woorden."))
    email = models.EmailField(_("e-mailadres"), blank=True, help_text=_("Algemeen e-mailadres; hier gaan verwijzingen heen als de dienst geen eigen adres heeft."))
    website = models.URLField(_("website"), blank=True, help_text=_("Website van de organisatie."))
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True, help_text=_("Algemeen telefoonnummer."))
    receives_referrals = models.BooleanField(
        "ontvangt verwijzingen", default=True,
        help_text="Aan: de organisatie staat op de sociale kaart en kan verwijzingen ontvangen.",
    )
    receives_signals = models.BooleanField(
        "ontvangt signalen", default=False,
        help_text="Aan: de organisatie kan signaalrapporten ontvangen over de instanties hieronder (ADR 0007).",
    )
    signal_email = models.EmailField(
        "e-mailadres voor signalen", blank=True,
        help_text="Waar signaalrapporten naartoe gaan. Leeg: het algemene e-mailadres.",
    )
    signal_codes = models.CharField(
        "instanties voor signalen", max_length=300, blank=True,
        help_text="Landelijke of lokale instantiecodes waarvoor deze organisatie signalen ontvangt, als |A|B|.",
    )
    active = models.BooleanField(_("actief"), default=True, help_text=_("Inactieve partners verschijnen niet meer bij doorverwijzen."))
    last_verified = models.DateField(_("laatst gecontroleerd"), null=True, blank=True, help_text=_("Wanneer iemand de gegevens voor het laatst controleerde."))
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True, help_text="Laatste wijziging.")

    class Meta:
        verbose_name = "partnerorganisatie"
        verbose_name_plural = "partnerorganisaties"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "hsds_id"], condition=~models.Q(hsds_id=""), name="partner_hsds_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_verification(self) -> bool:
        return needs_verification(self.last_verified)

    @property
    def national(self) -> bool:
        """A national organisation: on every library's map and the recipient of national signals."""
        return self.organisation_id is None

    @property
    def codes(self) -> list[str]:
        """The instantie codes this organisation receives signals about."""
        return split_multi(self.signal_codes)

    @property
    def signal_report_email(self) -> str:
        return self.signal_email or self.email


def needs_verification(last_verified: dt.date | None, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return last_verified is None or (today - last_verified).days > VERIFY_AFTER_DAYS


class PartnerLocation(models.Model):
    """Where a partner receives visitors (HSDS location)."""

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk.")
    hsds_id = models.CharField("HSDS-id", max_length=100, blank=True, help_text="Kenmerk in het HSDS-bestand.")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="locations", verbose_name="partner", help_text="De organisatie.")
    name = models.CharField("naam", max_length=150, help_text="Naam van de locatie, bijvoorbeeld Wijkteam Feijenoord.")
    address = models.CharField("adres", max_length=150, blank=True, help_text="Straat en huisnummer.")
    postcode = models.CharField("postcode", max_length=7, blank=True, help_text="Postcode, bijvoorbeeld 3071 AB.")
    plaats = models.CharField("plaats", max_length=100, blank=True, help_text="Plaats.")
    lat = models.FloatField("breedtegraad", null=True, blank=True, help_text="Ligging (WGS84).")
    lon = models.FloatField("lengtegraad", null=True, blank=True, help_text="Ligging (WGS84).")
    transport = models.CharField("openbaar vervoer", max_length=200, blank=True, help_text="Hoe kom je er, bijvoorbeeld Tram 23, halte Beijerlandselaan.")

    class Meta:
        verbose_name = "locatie van een partner"
        verbose_name_plural = "locaties van partners"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """What a partner helps with (HSDS service), mapped to the national code lists."""

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk.")
    hsds_id = models.CharField("HSDS-id", max_length=100, blank=True, help_text="Kenmerk in het HSDS-bestand.")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="services", verbose_name="partner", help_text="De organisatie die de dienst levert.")
    name = models.CharField(_("naam"), max_length=150, help_text=_("Naam van de dienst, bijvoorbeeld Hulp bij de belastingaangifte."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Wat de dienst doet, in gewone woorden."))
    email = models.EmailField(_("e-mailadres"), blank=True, help_text=_("Waar verwijzingen voor deze dienst naartoe gaan."))
    warm_phone = models.CharField(
        _("telefoon warme lijn"), max_length=30, blank=True,
        help_text=_("Het nummer om samen met de bezoeker te bellen (op de speaker)."),
    )
    instanties = models.CharField("instanties", max_length=400, blank=True, help_text="Landelijke instantiecodes waarmee de dienst helpt, als |A|B|.")
    onderwerpen = models.CharField("onderwerpen", max_length=400, blank=True, help_text="Landelijke onderwerpcodes waarmee de dienst helpt, als |A|B|.")
    behoefteprofielen = models.CharField("behoefteprofielen", max_length=200, blank=True, help_text="Behoefteprofielen waarvoor de dienst geschikt is, als |A|B|.")
    gemeenten = models.ManyToManyField(
        "network.Gemeente", blank=True, related_name="partner_services", verbose_name="werkgebied",
        help_text="Gemeenten waar de dienst inwoners helpt (HSDS service_area). Leeg: het hele land.",
    )
    languages = models.CharField("talen", max_length=100, blank=True, default="|NL|", help_text="Talen waarin geholpen wordt, als |NL|EN|.")
    access = models.CharField(_("toegang"), max_length=10, choices=Access.choices, default=Access.AFSPRAAK, help_text=_("Inloop, op afspraak of allebei."))
    cost = models.CharField(_("kosten"), max_length=150, blank=True, default="Gratis", help_text=_("Bijvoorbeeld Gratis of Eigen bijdrage € 15."))
    eligibility = models.TextField(_("voor wie"), blank=True, help_text=_("Wie er terecht kan, in gewone woorden."))
    locations = models.ManyToManyField(
        PartnerLocation, blank=True, related_name="services", verbose_name="locaties",
        help_text="Waar de dienst wordt gegeven (HSDS service_at_location).",
    )
    active = models.BooleanField(_("actief"), default=True, help_text=_("Inactieve diensten verschijnen niet bij doorverwijzen."))
    last_verified = models.DateField(_("laatst gecontroleerd"), null=True, blank=True, help_text=_("Wanneer iemand de gegevens voor het laatst controleerde (HSDS assured_date)."))

    class Meta:
        verbose_name = "dienst"
        verbose_name_plural = "diensten"
        ordering = ["partner__name", "name"]

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.name}"

    @property
    def instantie_list(self) -> list[str]:
        return split_multi(self.instanties)

    @property
    def onderwerp_list(self) -> list[str]:
        return split_multi(self.onderwerpen)

    @property
    def behoefteprofiel_list(self) -> list[str]:
        return split_multi(self.behoefteprofielen)

    @property
    def language_list(self) -> list[str]:
        return split_multi(self.languages)

    @property
    def needs_verification(self) -> bool:
        return needs_verification(self.last_verified)

    @property
    def referral_email(self) -> str:
        return self.email or self.partner.email

    @property
    def warm_hours_text(self) -> str:
        return hours_text([h for h in self.hours.all() if h.kind == HoursKind.WARME_LIJN], DAY_ABBREVIATIONS)

    @property
    def open_hours_text(self) -> str:
        return hours_text([h for h in self.hours.all() if h.kind == HoursKind.OPEN], DAY_ABBREVIATIONS)


# Shown to staff in their own language. The form field and the HSDS round trip keep Dutch WEEKDAYS_SHORT: that is
# what the hours parser (forms.parse_hours) reads back.
DAY_ABBREVIATIONS = tuple(pgettext_lazy("weekday abbreviation", day) for day in ("ma", "di", "wo", "do", "vr", "za", "zo"))


def hours_text(hours: list[ServiceHours], names: tuple[str, ...] = WEEKDAYS_SHORT) -> str:
    """'ma-vr 09:00-17:00; za 10:00-12:00': consecutive days with the same times are joined."""
    by_time: dict[tuple[dt.time, dt.time], list[int]] = {}
    for h in sorted(hours, key=lambda h: (h.weekday, h.opens)):
        by_time.setdefault((h.opens, h.closes), []).append(h.weekday)
    parts = []
    for (opens, closes), days in by_time.items():
        runs: list[list[int]] = []
        for d in sorted(set(days)):
            if runs and d == runs[-1][-1] + 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        label = ", ".join(str(names[r[0]]) if len(r) == 1 else f"{names[r[0]]}-{names[r[-1]]}" for r in runs)
        parts.append(f"{label} {opens:%H:%M}-{closes:%H:%M}")
    return "; ".join(parts)


class ServiceHours(models.Model):
    """One weekly slot (HSDS schedule with freq=WEEKLY): when the warm line is staffed or the door is open."""

    hsds_id = models.CharField("HSDS-id", max_length=100, blank=True, help_text="Kenmerk in het HSDS-bestand.")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours", verbose_name="dienst", help_text="De dienst.")
    location = models.ForeignKey(
        PartnerLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="hours", verbose_name="locatie",
        help_text="Bij openingstijden: de locatie.",
    )
    kind = models.CharField("soort", max_length=10, choices=HoursKind.choices, help_text="Warme lijn bemand of open voor bezoek.")
    weekday = models.PositiveSmallIntegerField("dag", help_text="0 is maandag, 6 is zondag.")
    opens = models.TimeField("van", help_text="Begintijd.")
    closes = models.TimeField("tot", help_text="Eindtijd.")

    class Meta:
        verbose_name = "tijdvak"
        verbose_name_plural = "tijdvakken"
        ordering = ["weekday", "opens"]

    def contains(self, moment: dt.datetime) -> bool:
        local = timezone.localtime(moment)
        return local.weekday() == self.weekday and self.opens <= local.time() < self.closes


class PartnerUser(models.Model):
    """The one link from a partner account (role partner) to the outside organisation it speaks for.

    The same link gives the account the referrals and the signals addressed to that organisation;
    accounts.User stays untouched (no foreign key from accounts up to partners).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_link", verbose_name="gebruiker",
        help_text="Het partneraccount.",
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="users", verbose_name="partner",
                                help_text="De organisatie namens wie deze gebruiker verwijzingen en signalen bijwerkt.")

    class Meta:
        verbose_name = "partneraccount"
        verbose_name_plural = "partneraccounts"

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


class HsdsRecord(models.Model):
    """One row of an imported HSDS package, kept as it came, so the export gives back what was imported.

    Balie's map holds what a desk needs (partners, services, locations, hours, areas); HSDS has more (programs, funding,
    cost options, taxonomies, a schedule that is not weekly, a service area drawn as GeoJSON). Those rows, and the columns
    Balie has no field for, live here. `modelled` rows became an entry on the map: the export writes them from the map
    (what a coordinator changed wins) and takes the other columns from here.
    """

    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="hsds_records",
        verbose_name="bibliotheekorganisatie", help_text="De bibliotheek die het pakket importeerde. Leeg: de landelijke kaart.",
    )
    resource = models.CharField("HSDS-bestand", max_length=40, help_text="Het bestand waar de regel in stond, zoals programs.csv.")
    hsds_id = models.CharField("HSDS-id", max_length=36, help_text="Het id van de regel (een UUID).")
    position = models.PositiveIntegerField("volgorde", default=0, help_text="Regelnummer in het geïmporteerde bestand.")
    data = models.JSONField("gegevens", default=dict, help_text="De kolommen van de regel, zoals geïmporteerd (lege weggelaten).")
    modelled = models.BooleanField(
        "op de kaart", default=False, help_text="Aan: de regel werd een partner, dienst, locatie of tijdvak op de sociale kaart.",
    )
    imported_at = models.DateTimeField("geïmporteerd op", auto_now=True, help_text="Laatste import van deze regel.")

    class Meta:
        verbose_name = "HSDS-regel"
        verbose_name_plural = "HSDS-regels"
        ordering = ["resource", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "resource", "hsds_id"], name="hsds_record_unique")]

    def __str__(self) -> str:
        return f"{self.resource} {self.hsds_id}"
